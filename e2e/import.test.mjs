// Importing existing configuration files by dropping them on the canvas: the guide's own files.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Designer, eventually, openDesigner, useSiteAndBrowser } from './support.mjs';

const FIXTURES = resolve(import.meta.dirname, '..', 'tests', 'fixtures');

/** Every file under a fixture folder, as [name, text] (the browser only knows file names). */
function files(folder) {
  const out = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push([name, readFileSync(path, 'utf8')]);
    }
  };
  walk(join(FIXTURES, folder));
  return out;
}

async function drop(page, entries) {
  const dataTransfer = await page.evaluateHandle((entries) => {
    const dt = new DataTransfer();
    for (const [name, text] of entries) dt.items.add(new File([text], name));
    return dt;
  }, entries);
  await page.getByRole('application', { name: 'Topology canvas' }).dispatchEvent('drop', { dataTransfer });
}

describe('import by drop', () => {
  const web = useSiteAndBrowser();

  test("dropping the guide's files imports its topology and shows what is wrong with it", async () => {
    const { page, context, problems } = await openDesigner(web.browser, web.site.url);
    const designer = new Designer(page);
    const guide = files('guide-as-written');
    assert.equal(guide.length, 9, 'three values files, five stream files, one script');
    await drop(page, guide);

    await eventually(async () =>
      assert.deepEqual((await designer.names('cluster')).sort(), ['headquarter', 'spoke-1', 'spoke-2']),
    );
    const streams = (await designer.names('stream')).sort();
    assert.ok(streams.includes('sales') && streams.includes('tickets-1'), streams.join(', '));
    const report = page.getByText(/Imported 9 files/);
    await report.waitFor();
    const message = await report.locator('xpath=ancestor::div[1]').textContent();
    for (const rule of ['helm-unknown-key', 'script-domain-unknown', 'script-config-missing']) {
      assert.ok(message.includes(rule), `${rule} is reported: ${message}`);
    }
    // The design's own problems are live in the Problems panel, opened from the error count.
    await page.getByRole('button', { name: /^[1-9]\d* errors?$/ }).first().click();
    const panel = page.getByRole('region', { name: 'Problems' });
    await eventually(async () => assert.ok((await panel.textContent()).includes('external-api-unknown-domain')));
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('dropping the corrected files imports a design with no errors', async () => {
    const { page, context } = await openDesigner(web.browser, web.site.url);
    const designer = new Designer(page);
    await drop(page, files('guide-corrected'));
    await page.getByText(/Imported \d+ files/).waitFor();
    await eventually(async () => assert.equal(await designer.shapes('cluster').count(), 3));
    await eventually(async () => {
      const errors = await page.getByRole('group', { name: 'Problem counts' }).getByRole('button', { name: /\berrors?$/ }).textContent();
      assert.equal(errors.trim(), '0 errors');
    });
    await context.close();
  });
});
