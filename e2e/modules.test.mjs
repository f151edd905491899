// The designer's two wasm modules: the first load fetches the editor only; the import and export
// worker is fetched, from the site's own base path, the first time the export dialog opens or a
// file is imported, and once only.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_PATH, Designer, eventually, openDesigner, useSiteAndBrowser } from './support.mjs';

describe('two wasm modules', () => {
  const web = useSiteAndBrowser();

  test('the first load fetches no import or export code; Export and an import fetch the worker once', async () => {
    const { page, context, problems } = await openDesigner(web.browser, web.site.url);
    // Requests from the page and from its workers alike.
    const fetched = [];
    context.on('request', (r) => fetched.push(new URL(r.url()).pathname));
    const initial = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname));
    assert.ok(initial.some((p) => /^\/nats-topology\/designer-[0-9a-f]+_bg\.wasm$/.test(p)), initial.join('\n'));
    await page.waitForTimeout(300);
    assert.deepEqual([...initial, ...fetched].filter((p) => p.includes('io-worker')), [], 'no worker at the first load');

    await page.getByRole('button', { name: 'Export', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Export' });
    const files = dialog.getByRole('navigation', { name: 'Files' });
    await files.getByRole('button', { name: 'README.md' }).waitFor({ timeout: 15_000 });
    await eventually(async () => assert.match(await dialog.locator('pre').textContent(), /^# /m));
    const worker = () => fetched.filter((p) => p.includes('io-worker')).sort();
    assert.deepEqual(worker(), [
      `${BASE_PATH}io-worker.js`,
      `${BASE_PATH}io-worker_bg.wasm`,
      `${BASE_PATH}io-worker_loader.js`,
    ]);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    // An import goes to the same worker: nothing more is fetched.
    const conf = 'server_name: "$(rm -rf ~)"\njetstream { domain: hub }\nleafnodes { port: 7422 }\n';
    const dataTransfer = await page.evaluateHandle((conf) => {
      const dt = new DataTransfer();
      dt.items.add(new File([conf], 'hub.conf'));
      return dt;
    }, conf);
    await page.getByRole('application', { name: 'Topology canvas' }).dispatchEvent('drop', { dataTransfer });
    await page.getByText(/Imported 1 file/).waitFor({ timeout: 15_000 });
    const designer = new Designer(page);
    await eventually(async () => assert.equal(await designer.shapes('cluster').count(), 1));
    assert.equal(worker().length, 3, worker().join('\n'));
    assert.deepEqual(problems, []);
    await context.close();
  });
});
