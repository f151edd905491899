// Takes screenshots of the release build in light and dark themes, for people to look at.
// Usage: node scripts/screenshot.mjs [OUT_DIR]   (default: target/screenshots)
// ONLY=regions takes only the Two regions and a site shots.
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { launchBrowser, openDesigner, serveDist } from '../e2e/support.mjs';

const out = resolve(process.argv[2] ?? 'target/screenshots');
await mkdir(out, { recursive: true });
const site = await serveDist();
const browser = await launchBrowser();

/** Two regions and a site (New): the supercluster, its gateway link, a TLS lock and a
 * mismatch; the cluster inspector's gateway and TLS sections and a stream's placement. */
async function regions(colorScheme) {
  for (const [width, height] of [[1400, 900], [1280, 720], [390, 844]]) {
    const shot = await openDesigner(browser, site.url, { colorScheme, viewport: { width, height } });
    const { page } = shot;
    const inspector = page.getByRole('complementary', { name: 'Inspector' });
    await page.getByRole('button', { name: 'New' }).click();
    const dialog = page.getByRole('dialog', { name: 'New design' });
    await dialog.getByRole('radio', { name: /^Two regions and a site/ }).check();
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${out}/regions-${width}x${height}-${colorScheme}.png` });
    if (width > 700) {
      const cluster = (name) => page.locator(`[aria-roledescription="cluster"][aria-label="${name}"] .cluster-header`);
      // A TLS remote to a listener without TLS: the lock and the mismatch.
      await cluster('site').click();
      await inspector.getByLabel('Dial with TLS (tls block) of remote to east (APP)').check();
      await inspector.getByLabel('Dial with TLS (tls block) of remote to east (APP)').scrollIntoViewIfNeeded();
      await page.waitForTimeout(200);
      await page.screenshot({ path: `${out}/regions-tls-${width}x${height}-${colorScheme}.png` });
      await cluster('east').click();
      await inspector.getByRole('list', { name: 'Gateway peers' }).scrollIntoViewIfNeeded();
      await page.waitForTimeout(200);
      await page.screenshot({ path: `${out}/regions-gateway-${width}x${height}-${colorScheme}.png` });
      await page.locator('[aria-roledescription="stream"][aria-label="orders-east"]').click();
      await inspector.getByLabel('Placement tag region:west').check();
      await inspector.getByRole('group', { name: 'Placement tags' }).scrollIntoViewIfNeeded();
      await page.waitForTimeout(200);
      await page.screenshot({ path: `${out}/regions-placement-${width}x${height}-${colorScheme}.png` });
      // Add region: the supercluster grows.
      await cluster('west').click();
      await page.getByRole('button', { name: 'Add region' }).click();
      await page.waitForTimeout(300);
      await page.screenshot({ path: `${out}/regions-added-${width}x${height}-${colorScheme}.png` });
    }
    if (shot.problems.length) console.log('regions', width, shot.problems);
    await shot.context.close();
  }
}

try {
  for (const colorScheme of ['light', 'dark']) {
    await regions(colorScheme);
    if (process.env.ONLY === 'regions') continue;
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
    // Accounts: exports and imports as rows, "Wire accounts" for an import nothing exports, and
    // the account filter in the view controls; on the laptop, the small laptop and the phone.
    for (const [width, height] of [[1400, 900], [1280, 720], [390, 844]]) {
      const shot = await openDesigner(browser, site.url, { colorScheme, viewport: { width, height } });
      const inspector = shot.page.getByRole('complementary', { name: 'Inspector' });
      await shot.page.locator('[aria-roledescription="cluster"][aria-label="headquarter"] .cluster-header').click();
      await inspector.getByLabel('New account name').fill('DATA');
      await inspector.getByRole('button', { name: 'Add account' }).click();
      await inspector.getByRole('button', { name: 'Add export to DATA' }).click();
      await inspector.getByLabel('Subject of export 1 of DATA').fill('data.>');
      await inspector.getByLabel('Subject of export 1 of DATA').press('Enter');
      await inspector.getByRole('button', { name: 'Add import to ACC' }).click();
      await inspector.getByLabel('Subject of import 1 of ACC').fill('orders.>');
      await inspector.getByLabel('Subject of import 1 of ACC').press('Enter');
      await inspector.getByRole('list', { name: 'Account wiring' }).waitFor();
      await inspector.getByRole('group', { name: 'Import 1 of ACC' }).scrollIntoViewIfNeeded();
      await shot.page.waitForTimeout(200);
      await shot.page.screenshot({ path: `${out}/accounts-${width}x${height}-${colorScheme}.png` });
      if (shot.problems.length) console.log('accounts', width, shot.problems);
      await shot.context.close();
    }
    // The Edge key-value and Cross-account sharing templates (New), with a bucket's inspector
    // and a cross-account copy's; on the laptop, the small laptop and the phone.
    for (const [width, height] of [[1400, 900], [1280, 720], [390, 844]]) {
      for (const [template, name, shape] of [
        [/^Edge key-value/, 'edge-kv', '[aria-roledescription="key-value bucket"]'],
        [/^Cross-account sharing/, 'cross-account', '[aria-roledescription="stream"][aria-label="orders-mirror"]'],
      ]) {
        const shot = await openDesigner(browser, site.url, { colorScheme, viewport: { width, height } });
        await shot.page.getByRole('button', { name: 'New' }).click();
        const dialog = shot.page.getByRole('dialog', { name: 'New design' });
        await dialog.getByRole('radio', { name: template }).check();
        await dialog.getByRole('button', { name: 'Create' }).click();
        await dialog.waitFor({ state: 'hidden' });
        await shot.page.waitForTimeout(300);
        await shot.page.screenshot({ path: `${out}/${name}-${width}x${height}-${colorScheme}.png` });
        if (width > 700) {
          await shot.page.locator(shape).first().click();
          await shot.page.waitForTimeout(200);
          await shot.page.screenshot({ path: `${out}/${name}-inspector-${width}x${height}-${colorScheme}.png` });
        }
        if (shot.problems.length) console.log(name, width, shot.problems);
        await shot.context.close();
      }
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
