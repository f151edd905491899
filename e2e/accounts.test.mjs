// Accounts made visible: each account's exports and imports edited as rows (one undo step per
// change), "Wire accounts" applying the fix of a wiring problem, a copy of another account's
// stream labelled with the accounts it joins, and the canvas filtered by account.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Editor, eventually, openDesigner, useSiteAndBrowser } from './support.mjs';

describe('accounts, exports and imports', () => {
  const web = useSiteAndBrowser();
  let dir;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nats-topology-accounts-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const errors = (page) =>
    page.getByRole('group', { name: 'Problem counts' }).getByRole('button', { name: /\berrors?$/ });

  test('exports and imports are rows of labelled fields, each change one undo step; Wire accounts adds the missing export', async () => {
    const { page, context, problems } = await openDesigner(web.browser, web.site.url);
    const editor = new Editor(page);
    const inspector = editor.inspector;
    await editor.cluster('headquarter').locator('.cluster-header').click();
    await inspector.getByLabel('New account name').fill('DATA');
    await inspector.getByRole('button', { name: 'Add account' }).click();
    await inspector.getByRole('list', { name: 'Exports of DATA' }).waitFor({ state: 'attached' });

    // An export, added from the keyboard and filled in field by field.
    await inspector.getByRole('button', { name: 'Add export to DATA' }).focus();
    await page.keyboard.press('Enter');
    const row = inspector.getByRole('group', { name: 'Export 1 of DATA' });
    await row.waitFor();
    const response = inspector.getByLabel('Response type of export 1 of DATA');
    assert.equal(await response.isDisabled(), true, 'a stream export has no response type');
    await inspector.getByLabel('Subject of export 1 of DATA').fill('data.>');
    await inspector.getByLabel('Subject of export 1 of DATA').press('Enter');
    await inspector.getByLabel('Kind of export 1 of DATA').selectOption('service');
    await eventually(async () => assert.equal(await response.isDisabled(), false));
    await response.selectOption('stream');
    await inspector.getByLabel('Accounts allowed to import export 1 of DATA').fill('ACC, SYS');
    await inspector.getByLabel('Accounts allowed to import export 1 of DATA').press('Tab');
    await eventually(async () => {
      assert.equal(await inspector.getByLabel('Subject of export 1 of DATA').inputValue(), 'data.>');
      assert.equal(await inspector.getByLabel('Kind of export 1 of DATA').inputValue(), 'service');
      assert.equal(await response.inputValue(), 'stream');
      assert.equal(await inspector.getByLabel('Accounts allowed to import export 1 of DATA').inputValue(), 'ACC, SYS');
    });

    // Undo takes back one field at a time; Redo puts it back.
    const undo = page.getByRole('button', { name: 'Undo' });
    await undo.click();
    await eventually(async () => assert.equal(await inspector.getByLabel('Accounts allowed to import export 1 of DATA').inputValue(), ''));
    assert.equal(await response.inputValue(), 'stream');
    await page.getByRole('button', { name: 'Redo' }).click();
    await eventually(async () => assert.equal(await inspector.getByLabel('Accounts allowed to import export 1 of DATA').inputValue(), 'ACC, SYS'));
    await inspector.getByRole('button', { name: 'Remove export 1 of DATA' }).click();
    await row.waitFor({ state: 'detached' });

    // An import of something DATA does not export: the server would refuse to start.
    const before = await errors(page).textContent();
    await inspector.getByRole('button', { name: 'Add import to ACC' }).click();
    const importRow = inspector.getByRole('group', { name: 'Import 1 of ACC' });
    await importRow.waitFor();
    assert.equal(await inspector.getByLabel('Account that import 1 of ACC comes from').inputValue(), 'DATA');
    await inspector.getByLabel('Subject of import 1 of ACC').fill('orders.>');
    await inspector.getByLabel('Subject of import 1 of ACC').press('Enter');
    const local = inspector.getByLabel('Local subject or prefix of import 1 of ACC');
    assert.equal(await local.isDisabled(), true, 'the same subject needs no local one');
    await inspector.getByLabel('Where import 1 of ACC appears').selectOption('prefix');
    await eventually(async () => assert.equal(await local.isDisabled(), false));
    await local.fill('from-data');
    await local.press('Enter');
    await eventually(async () => assert.notEqual(await errors(page).textContent(), before));

    const wire = inspector.getByRole('list', { name: 'Account wiring' }).getByRole('button', { name: 'Wire accounts' });
    await wire.waitFor();
    assert.match(await wire.getAttribute("title"), /export stream orders\.> from \W?DATA\W? to \W?ACC/);
    await wire.click();
    await eventually(async () => {
      assert.equal(await inspector.getByLabel('Subject of export 1 of DATA').inputValue(), 'orders.>');
      assert.equal(await inspector.getByLabel('Accounts allowed to import export 1 of DATA').inputValue(), 'ACC');
      assert.equal(await errors(page).textContent(), before);
    });
    await wire.waitFor({ state: 'detached' });
    // The import is untouched, and the wiring is one undo step.
    assert.equal(await local.inputValue(), 'from-data');
    await undo.click();
    await eventually(async () => assert.equal(await inspector.getByRole('group', { name: 'Export 1 of DATA' }).count(), 0));
    await wire.waitFor();
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('a copy of another account\'s stream names both accounts on its link; the account filter dims the others', async () => {
    const { page, context, problems } = await openDesigner(web.browser, web.site.url);
    const editor = new Editor(page);
    // The guide's design with tickets-1 (which sales sources) moved into a new account DATA.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save' }).click()]);
    const saved = join(dir, 'saved.json');
    await download.saveAs(saved);
    const file = JSON.parse(await readFile(saved, 'utf8'));
    const tickets = file.streams.find((s) => s.config.name === 'tickets-1');
    const spoke = file.clusters.find((c) => c.id === tickets.cluster);
    spoke.accounts.DATA = { jetstream: true, users: [] };
    tickets.account = 'DATA';
    const edited = join(dir, 'cross-account.json');
    await writeFile(edited, JSON.stringify(file));
    await page.getByLabel('Files to open').setInputFiles(edited);
    await page.getByRole('status').filter({ hasText: 'Opened cross-account.json' }).waitFor();

    const sources = editor.shapes('source link');
    const cross = sources.filter({ has: page.locator('text.link-label', { hasText: 'ACC ← DATA' }) });
    await eventually(async () => assert.equal(await cross.count(), 1));
    assert.match(await cross.getAttribute('aria-label'), /^sales sources tickets-1.*, account ACC from account DATA$/);
    assert.equal(await cross.locator(':scope > title').textContent(), 'Joins accounts ACC ← DATA (copy ← origin)');
    // The other source stays within ACC and says nothing about accounts.
    const same = sources.filter({ hasNot: page.locator('text.link-label', { hasText: '←' }) });
    assert.equal(await same.count(), 1);

    // The copy's problem, and Wire accounts exactly when that problem has a fix.
    await editor.stream('sales').click();
    const row = page.getByRole('region', { name: 'Problems' }).getByRole('listitem')
      .filter({ has: page.getByRole('button', { name: 'Explain rule cross-account-exports-missing' }) });
    await page.getByRole('group', { name: 'Problem counts' }).getByRole('button', { name: /\berrors?$/ }).click();
    await row.first().waitFor();
    const fixable = await row.getByRole('button', { name: 'Fix', exact: true }).count();
    assert.equal(await editor.inspector.getByRole('button', { name: 'Wire accounts' }).count(), fixable);

    // Only DATA at full strength: its stream and the link that comes from it.
    const filter = page.getByRole('toolbar', { name: 'View' }).getByLabel('Show account');
    await filter.selectOption({ label: 'Account DATA' });
    const dimmed = async () => (await editor.shapes('stream').evaluateAll((els) =>
      els.filter((e) => e.classList.contains('dimmed')).map((e) => e.getAttribute('aria-label')))).sort();
    await eventually(async () => assert.deepEqual(await dimmed(), ['cinema-a', 'cinema-a-mirror', 'sales', 'tickets-2']));
    assert.equal(await cross.evaluate((e) => e.classList.contains('dimmed')), false, 'the link from DATA stays');
    assert.equal(await same.evaluate((e) => e.classList.contains('dimmed')), true);
    assert.equal(await editor.stream('tickets-1').evaluate((e) => getComputedStyle(e).opacity), '1');
    assert.ok(Number(await editor.stream('sales').evaluate((e) => getComputedStyle(e).opacity)) < 0.5);
    // From the keyboard: focused, the arrow keys choose another account.
    await filter.focus();
    await page.keyboard.press('ArrowUp');
    await eventually(async () => assert.equal(await filter.inputValue(), 'ACC'));
    await eventually(async () => assert.deepEqual(await dimmed(), ['tickets-1']));
    await filter.selectOption({ label: 'All accounts' });
    await eventually(async () => assert.deepEqual(await dimmed(), []));
    assert.deepEqual(problems, []);
    await context.close();
  });
});
