// Takes screenshots of the release build in light and dark themes, for people to look at.
// Usage: node scripts/screenshot.mjs [OUT_DIR]   (default: target/screenshots)
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { launchBrowser, openDesigner, serveDist } from '../e2e/support.mjs';

const out = resolve(process.argv[2] ?? 'target/screenshots');
await mkdir(out, { recursive: true });
const site = await serveDist();
const browser = await launchBrowser();
try {
  for (const colorScheme of ['light', 'dark']) {
    const { page, context, problems } = await openDesigner(browser, site.url, { colorScheme });
    const file = `${out}/designer-${colorScheme}.png`;
    await page.screenshot({ path: file });
    console.log(file, problems.length ? problems : '');
    await context.close();
  }
} finally {
  await browser.close();
  await site.close();
}
