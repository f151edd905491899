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
    // The first view on a small laptop and on a phone.
    for (const [width, height] of [[1280, 720], [390, 844]]) {
      const small = await openDesigner(browser, site.url, { colorScheme, viewport: { width, height } });
      await small.page.screenshot({ path: `${out}/designer-${width}x${height}-${colorScheme}.png` });
      await small.context.close();
    }
    // A planted error, the problems panel, the export dialog and the rule catalog.
    await page.locator('[aria-roledescription="stream"][aria-label="sales"]').click();
    const replicas = page.getByRole('complementary', { name: 'Inspector' }).getByLabel('Replicas', { exact: true });
    await replicas.fill('7');
    await replicas.press('Enter');
    await page.getByRole('group', { name: 'Problem counts' }).getByRole('button').first().click();
    await page.waitForTimeout(200);
    await page.screenshot({ path: `${out}/problems-${colorScheme}.png` });
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    await page.getByRole('navigation', { name: 'Files' }).getByRole('button', { name: 'helm/values-headquarter.yaml' }).click();
    await page.waitForTimeout(200);
    await page.screenshot({ path: `${out}/export-${colorScheme}.png` });
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Explain rule replicas-out-of-range' }).click();
    await page.waitForTimeout(200);
    await page.screenshot({ path: `${out}/rules-${colorScheme}.png` });
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Share link' }).click();
    await page.waitForTimeout(200);
    await page.screenshot({ path: `${out}/share-${colorScheme}.png` });
    await context.close();
  }
} finally {
  await browser.close();
  await site.close();
}
