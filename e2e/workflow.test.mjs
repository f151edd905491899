// The designer's workflow around the design: live problems with fixes, the export dialog and its
// zip, autosave across reloads, share links without passwords, and stored designs that cannot
// be read. Driven by roles and accessible names, like a screen reader user would.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Editor, eventually, openDesigner, useSiteAndBrowser } from './support.mjs';

const STORE_KEY = 'nats-topology/design';

/** Page object for the workflow: toolbar counts, the problems panel, dialogs. */
class Workflow extends Editor {
  constructor(page) {
    super(page);
    this.problems = page.getByRole('region', { name: 'Problems' });
  }

  errorCount() {
    return this.page.getByRole('group', { name: 'Problem counts' }).getByRole('button', { name: /\berrors?$/ });
  }

  problem(rule) {
    return this.problems.getByRole('listitem').filter({ has: this.page.getByRole('button', { name: `Explain rule ${rule}` }) });
  }

  dialog(name) {
    return this.page.getByRole('dialog', { name });
  }

  /** Clicks `button` and returns the saved path and suggested name of the download it starts. */
  async download(button, dir) {
    const [download] = await Promise.all([this.page.waitForEvent('download'), button.click()]);
    const path = join(dir, download.suggestedFilename());
    await download.saveAs(path);
    return { path, name: download.suggestedFilename() };
  }
}

describe('designer workflow', () => {
  const web = useSiteAndBrowser();
  let dir;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nats-topology-e2e-'));
  });

  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('a planted error shows in Problems, leads to its field, and its Fix removes it in one undoable step', async () => {
    const { page, context, problems } = await openDesigner(web.browser, web.site.url);
    const w = new Workflow(page);
    assert.equal(await w.errorCount().textContent(), '0 errors');

    await w.stream('sales').click();
    await w.setField('Replicas', 7);
    await eventually(async () => assert.equal(await w.errorCount().textContent(), '1 error'));
    // The toolbar count opens the panel on the first error.
    await w.errorCount().click();
    const outOfRange = w.problem('replicas-out-of-range');
    await outOfRange.waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.closest('[aria-label="Problems"]') !== null), true);
    assert.match(await outOfRange.textContent(), /stream sales/);

    // Activating the problem selects the stream and focuses its field in the inspector.
    await w.canvas.click({ position: { x: 10, y: 10 } });
    assert.equal(await w.stream('sales').getAttribute('aria-selected'), 'false');
    await outOfRange.getByRole('button', { name: /stream sales/ }).press('Enter');
    await eventually(async () => assert.equal(await w.stream('sales').getAttribute('aria-selected'), 'true'));
    await eventually(async () =>
      assert.equal(await page.evaluate(() => document.activeElement?.dataset.field), 'num_replicas'));

    // The rule id explains the rule.
    await outOfRange.getByRole('button', { name: 'Explain rule replicas-out-of-range' }).click();
    const rules = w.dialog('Rules');
    await rules.getByText('negative or above 5', { exact: false }).waitFor();
    await page.keyboard.press('Escape');
    await rules.waitFor({ state: 'detached' });

    // Fix: one command, one undo step.
    await outOfRange.getByRole('button', { name: 'Fix' }).click();
    await eventually(async () => assert.equal(await w.errorCount().textContent(), '0 errors'));
    await page.getByRole('button', { name: 'Undo' }).click();
    await eventually(async () => assert.equal(await w.errorCount().textContent(), '1 error'));
    // The stream is still selected: correct the field by hand this time.
    await w.setField('Replicas', 3);
    await eventually(async () => assert.equal(await w.errorCount().textContent(), '0 errors'));
    await eventually(async () => assert.equal(await outOfRange.count(), 0));
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('hostile names in problems are text, never markup', async () => {
    const { page, context, problems } = await openDesigner(web.browser, web.site.url);
    const w = new Workflow(page);
    const hostile = '<img src=x onerror=alert(1)>';
    await w.cluster('spoke-1').locator('.cluster-header').click();
    await w.setField('Name', hostile);
    await w.setField('JetStream domain', 'cinema-b');
    await w.errorCount().click();
    await w.problem('domain-duplicate').first().waitFor();
    assert.match(await w.problems.textContent(), /<img src=x onerror=alert\(1\)>/);
    assert.equal(await page.locator('img').count(), 0, 'no element was made from the name');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('export shows the files, previews one highlighted, and downloads the zip only after "Export anyway" when there are errors', async () => {
    const { page, context, problems } = await openDesigner(web.browser, web.site.url);
    const w = new Workflow(page);
    await w.stream('sales').click();
    await w.setField('Replicas', 7);
    await eventually(async () => assert.equal(await w.errorCount().textContent(), '1 error'));

    await page.getByRole('button', { name: 'Export', exact: true }).click();
    const dialog = w.dialog('Export');
    await dialog.waitFor();
    assert.equal(await dialog.getAttribute('aria-modal'), 'true');
    await dialog.getByRole('alert').getByText('The design has 1 error', { exact: false }).waitFor();
    const all = dialog.getByRole('button', { name: 'Download all' });
    assert.equal(await all.isDisabled(), true, 'errors block the zip until the user chooses');

    // Preview of one file, with highlighted keys and numbers.
    const files = dialog.getByRole('navigation', { name: 'Files' });
    await files.getByRole('button', { name: 'streams/headquarter.sales.json' }).click();
    const preview = dialog.getByRole('region', { name: 'Preview' });
    await eventually(async () => assert.match(await preview.locator('pre').textContent(), /"num_replicas": 7/));
    assert.ok((await preview.locator('.tok-key').count()) > 3, 'keys are highlighted');
    assert.ok((await preview.locator('.tok-num').count()) > 0, 'numbers are highlighted');

    // The chart choice changes the Helm values.
    await dialog.getByRole('radio', { name: /Chart 0\.19/ }).check();
    await files.getByRole('button', { name: 'helm/values-headquarter.yaml' }).click();
    await eventually(async () => assert.match(await preview.locator('pre').textContent(), /^nats:/m));

    await dialog.getByRole('checkbox', { name: 'Export anyway' }).check();
    const zip = await w.download(all, dir);
    assert.equal(zip.name, 'cinemas.zip');
    const listing = execFileSync('python3', ['-m', 'zipfile', '-l', zip.path], { encoding: 'utf8' });
    for (const path of ['cinemas/README.md', 'cinemas/helm/values-headquarter.yaml', 'cinemas/streams/headquarter.sales.json', 'cinemas/nats-setup.sh']) {
      assert.ok(listing.includes(path), `${path} in the zip:\n${listing}`);
    }
    const sales = execFileSync('python3', ['-c', 'import sys,zipfile; print(zipfile.ZipFile(sys.argv[1]).read("cinemas/streams/headquarter.sales.json").decode())', zip.path], { encoding: 'utf8' });
    assert.equal(JSON.parse(sales).num_replicas, 7);
    const readme = execFileSync('python3', ['-c', 'import sys,zipfile; print(zipfile.ZipFile(sys.argv[1]).read("cinemas/README.md").decode())', zip.path], { encoding: 'utf8' });
    assert.match(readme, /replicas-out-of-range/);

    // Escape closes the dialog and the page shortcuts did not act behind it.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await w.stream('sales').count(), 1);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('the design comes back after a reload, with no undo history', async () => {
    const { page, context, problems } = await openDesigner(web.browser, web.site.url);
    const w = new Workflow(page);
    await w.cluster('spoke-1').locator('.cluster-header').click();
    await w.setField('Name', 'cinema-east');
    await w.cluster('cinema-east').waitFor();
    await eventually(async () => {
      const stored = await page.evaluate((key) => localStorage.getItem(key), STORE_KEY);
      assert.match(stored ?? '', /cinema-east/);
    });
    await page.reload();
    await w.cluster('cinema-east').waitFor();
    assert.deepEqual((await w.names('cluster')).sort(), ['cinema-east', 'headquarter', 'spoke-2']);
    assert.equal(await page.getByRole('button', { name: 'Undo' }).isDisabled(), true);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('save and open a design file; a share link carries the design without its passwords', async () => {
    const { page, context, problems } = await openDesigner(web.browser, web.site.url);
    const w = new Workflow(page);
    const saved = await w.download(page.getByRole('button', { name: 'Save' }), dir);
    assert.equal(saved.name, 'cinemas.json');
    const file = JSON.parse(await readFile(saved.path, 'utf8'));
    assert.equal(file.format, 'nats-topology');
    // The guide's habit: a plain password.
    file.name = 'cinemas with a plain password';
    const hub = file.clusters.find((c) => c.name === 'headquarter');
    const account = Object.values(hub.accounts).find((a) => a.users?.length);
    account.users[0].password = { plain: 'hunter2-secret' };
    const edited = join(dir, 'plain.json');
    await writeFile(edited, JSON.stringify(file));

    await page.getByLabel('Files to open').setInputFiles(edited);
    await page.getByRole('status').filter({ hasText: 'Opened plain.json' }).waitFor();
    await eventually(async () => assert.equal(await page.getByRole('textbox', { name: 'Design name' }).inputValue(), 'cinemas with a plain password'));

    // A broken file is reported and changes nothing.
    const broken = join(dir, 'broken.json');
    await writeFile(broken, '{"format": "nats-topology", "version": 1, "clusters": 5}');
    await page.getByLabel('Files to open').setInputFiles(broken);
    // It says what the file is, what was expected and where.
    const alert = page.getByRole('alert').filter({ hasText: 'broken.json is a nats-topology design file, but not one this designer can read' });
    await alert.getByText('line 1, clusters: expected a sequence, found integer `5`').waitFor();
    await eventually(async () => assert.equal(await page.getByRole('textbox', { name: 'Design name' }).inputValue(), 'cinemas with a plain password'));
    await page.getByRole('alert').getByRole('button', { name: 'Dismiss' }).click();

    await page.getByRole('button', { name: 'Share link' }).click();
    const dialog = w.dialog('Share link');
    await dialog.getByText('1 password (plain text or bcrypt) became', { exact: false }).waitFor();
    const link = await dialog.getByRole('textbox').inputValue();
    assert.match(link, /#design=[A-Za-z0-9_-]+$/);
    assert.ok(!link.includes('hunter2'));

    // A fresh browser (empty storage) opens the link.
    const other = await openDesigner(web.browser, link);
    const o = new Workflow(other.page);
    await eventually(async () => assert.equal(await other.page.getByRole('textbox', { name: 'Design name' }).inputValue(), 'cinemas with a plain password'));
    await other.page.getByRole('status').filter({ hasText: 'Opened the design from a share link' }).waitFor();
    assert.deepEqual((await o.names('cluster')).sort(), ['headquarter', 'spoke-1', 'spoke-2']);
    assert.equal(await other.page.evaluate(() => location.hash), '', 'the fragment is dropped once read');
    const shared = await o.download(other.page.getByRole('button', { name: 'Save' }), dir);
    const text = await readFile(shared.path, 'utf8');
    assert.ok(!text.includes('hunter2') && !text.includes('"plain"'), 'no password in the shared design');
    assert.deepEqual(other.problems, []);
    await other.context.close();

    // A damaged link says so and opens the example.
    const damaged = await openDesigner(web.browser, `${web.site.url}#design=AAAA`);
    await damaged.page.getByRole('alert').filter({ hasText: 'The share link could not be opened' }).waitFor();
    assert.deepEqual((await new Workflow(damaged.page).names('cluster')).sort(), ['headquarter', 'spoke-1', 'spoke-2']);
    await damaged.context.close();
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('a corrupted or newer stored design is reported, kept aside, and the example opens', async () => {
    for (const [stored, reason] of [
      ['{"format": "nats-topology", "version": 1, "clusters": [', /not JSON/],
      ['{"format": "nats-topology", "version": 99}', /newer than this tool reads/],
    ]) {
      const context = await web.browser.newContext({ viewport: { width: 1400, height: 900 } });
      await context.addInitScript(([key, value]) => {
        if (!sessionStorage.getItem('seeded')) {
          localStorage.setItem(key, value);
          sessionStorage.setItem('seeded', '1');
        }
      }, [STORE_KEY, stored]);
      const page = await context.newPage();
      await page.goto(web.site.url);
      const alert = page.getByRole('alert');
      await alert.waitFor();
      assert.match(await alert.textContent(), reason);
      assert.match(await alert.textContent(), /nats-topology\/unreadable-1/);
      const w = new Workflow(page);
      assert.deepEqual((await w.names('cluster')).sort(), ['headquarter', 'spoke-1', 'spoke-2']);
      assert.equal(await page.evaluate(() => localStorage.getItem('nats-topology/unreadable-1')), stored);
      await alert.getByRole('button', { name: 'Dismiss' }).click();
      await alert.waitFor({ state: 'detached' });
      await context.close();
    }
  });

  test('New offers templates: a hub with spokes replaces the design', async () => {
    const { page, context, problems } = await openDesigner(web.browser, web.site.url);
    const w = new Workflow(page);
    await page.getByRole('button', { name: 'New' }).click();
    const dialog = w.dialog('New design');
    await dialog.getByRole('radio', { name: /Hub with spokes/ }).check();
    await dialog.getByRole('spinbutton', { name: 'Spokes' }).fill('4');
    await dialog.getByRole('spinbutton', { name: 'Spokes' }).press('Tab');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await eventually(async () => assert.deepEqual((await w.names('cluster')).sort(), ['hub', 'spoke-1', 'spoke-2', 'spoke-3', 'spoke-4']));
    assert.equal(await w.shapes('source link').count(), 4);
    assert.equal(await w.errorCount().textContent(), '0 errors');
    await page.getByRole('button', { name: 'New' }).click();
    await dialog.getByRole('radio', { name: /Empty/ }).check();
    await dialog.getByRole('button', { name: 'Create' }).click();
    await eventually(async () => assert.equal(await w.shapes('cluster').count(), 0));
    // Replacing the design is one undo step: nothing is lost to New.
    await page.getByRole('button', { name: 'Undo' }).click();
    await eventually(async () => assert.deepEqual((await w.names('cluster')).sort(), ['hub', 'spoke-1', 'spoke-2', 'spoke-3', 'spoke-4']));
    await page.getByRole('button', { name: 'Undo' }).click();
    await eventually(async () => assert.deepEqual((await w.names('cluster')).sort(), ['headquarter', 'spoke-1', 'spoke-2']));
    await page.getByRole('button', { name: 'Redo' }).click();
    await eventually(async () => assert.equal(await w.shapes('cluster').count(), 5));
    assert.deepEqual(problems, []);
    await context.close();
  });
});
