// The templates of New that share across accounts and at the edge, the cross-account copies on
// the canvas (resolved links "APP ← DATA", "Wire accounts" after an import is removed), and
// key-value buckets and object stores in the designer: palette entries (mouse and keyboard),
// their own shapes, inspector sections editing through the model's bucket functions (one undo
// step per change), "Mirror into…" a site, and bucket problems on the shape.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Editor, eventually, openDesigner, useSiteAndBrowser } from './support.mjs';

describe('templates, cross-account copies and buckets', () => {
  const web = useSiteAndBrowser();

  /** New → the template whose radio is named `name`, by the dialog's controls; waits for `cluster`. */
  async function newFrom(page, name, cluster = 'hub') {
    await page.getByRole('button', { name: 'New' }).click();
    const dialog = page.getByRole('dialog', { name: 'New design' });
    await dialog.getByRole('radio', { name }).check();
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await new Editor(page).cluster(cluster).waitFor();
  }

  const summary = (page) => page.locator('#problems .summary');
  const undo = (page) => page.getByRole('button', { name: 'Undo' });
  // A select's accessible name is its label followed by the chosen option.
  const control = (editor, label) => ['Storage', 'Compression', 'Site'].includes(label)
    ? editor.inspector.getByRole('combobox', { name: new RegExp(`^${label}\\b`) })
    : editor.inspector.getByLabel(label, { exact: true });

  test('New offers Cross-account sharing, Edge key-value and Two regions and a site; each opens with no problem', async () => {
    const { page, context, problems } = await openDesigner(web.browser, web.site.url);
    const editor = new Editor(page);
    await newFrom(page, /^Cross-account sharing/);
    assert.deepEqual((await editor.names('stream')).sort(), ['events', 'events-copy', 'orders', 'orders-mirror']);
    await eventually(async () => assert.equal(await summary(page).evaluate((e) => e.classList.contains('clean')), true));
    assert.doesNotMatch(await summary(page).textContent(), /error|warning/);

    await newFrom(page, /^Edge key-value/);
    await eventually(async () => assert.equal(await editor.shapes('key-value bucket').count(), 6));
    await eventually(async () => assert.equal(await summary(page).textContent(), 'no problems'));

    // The template opens clean (its gateways and supercluster: gateways.test.mjs).
    await newFrom(page, /^Two regions and a site/, 'east');
    await eventually(async () => assert.equal(await editor.shapes('cluster').count(), 3));
    await eventually(async () => assert.doesNotMatch(await summary(page).textContent(), /error|warning/));
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('cross-account copies are links APP ← DATA; without an import, Wire accounts in the copy rewires in one step', async () => {
    const { page, context, problems } = await openDesigner(web.browser, web.site.url);
    const editor = new Editor(page);
    await newFrom(page, /^Cross-account sharing/);
    const labelled = (kind) => editor.shapes(kind).filter({ has: page.locator('text.link-label', { hasText: 'APP ← DATA' }) });
    await eventually(async () => {
      assert.equal(await labelled('mirror link').count(), 1);
      assert.equal(await labelled('source link').count(), 1);
    });
    assert.match(await labelled('mirror link').getAttribute('aria-label'), /^orders-mirror mirrors orders.*account APP from account DATA$/);
    assert.equal(await page.locator('.link.dangling, [aria-roledescription$="link"] .dangling').count(), 0, 'nothing dangles');

    // Remove one of APP's imports on the hub, in the hub's inspector.
    await editor.cluster('hub').locator('.cluster-header').click();
    const imports = editor.inspector.getByRole('list', { name: 'Imports of APP' }).getByRole('group');
    const before = await imports.count();
    assert.ok(before >= 3, `APP imports the three pieces (${before})`);
    await editor.inspector.getByRole('button', { name: 'Remove import 1 of APP' }).click();
    await eventually(async () => assert.equal(await imports.count(), before - 1));
    await eventually(async () => assert.match(await summary(page).textContent(), /[1-9]\d* errors?/));
    const rule = page.locator('#problems').getByRole('button', { name: 'Explain rule cross-account-exports-missing' });
    await page.locator('#problems .problems-toggle').click();
    await rule.first().waitFor();

    // The copy's inspector offers Wire accounts; pressing it repairs, and one Undo takes it back.
    const wire = editor.inspector.getByRole('list', { name: 'Account wiring' }).getByRole('button', { name: 'Wire accounts' });
    let copy = null;
    for (const name of ['orders-mirror', 'events-copy']) {
      await editor.stream(name).click();
      await editor.inspector.getByRole('heading', { name: new RegExp(name) }).waitFor();
      if (await wire.count()) {
        copy = name;
        break;
      }
    }
    assert.ok(copy, 'a copy offers Wire accounts');
    await wire.first().click();
    await eventually(async () => assert.doesNotMatch(await summary(page).textContent(), /error/));
    assert.equal(await rule.count(), 0);
    assert.equal(await labelled('mirror link').count() + await labelled('source link').count(), 2);
    await undo(page).click();
    await eventually(async () => assert.equal(await wire.count() > 0, true));
    assert.match(await summary(page).textContent(), /error/);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('buckets and object stores from the palette by mouse and keyboard, shaped as such, edited one undo step at a time', async () => {
    const { page, context, problems } = await openDesigner(web.browser, web.site.url);
    const editor = new Editor(page);
    await newFrom(page, /^Edge key-value/);
    const kv = editor.shapes('key-value bucket');
    const stores = editor.shapes('object store');
    await eventually(async () => assert.equal(await kv.count(), 6));
    // The shape shows the bucket's name, not its stream's, and says what it is.
    const config = kv.filter({ has: page.locator('text.stream-name', { hasText: /^config$/ }) });
    assert.equal(await config.count(), 3);
    assert.equal(await config.first().getAttribute('aria-label'), 'config (key-value bucket, stream KV_config)');
    assert.equal(await config.first().locator('.bucket-mark').count(), 1);

    // By mouse: the hub selected, "Add bucket".
    await editor.cluster('hub').locator('.cluster-header').click();
    await page.getByRole('button', { name: 'Add bucket' }).click();
    await eventually(async () => assert.equal(await kv.count(), 7));
    const added = kv.filter({ has: page.locator('text.stream-name', { hasText: /^bucket-1$/ }) });
    assert.equal(await added.getAttribute('aria-selected'), 'true');
    await editor.inspector.getByRole('heading', { name: /Key-value bucket/ }).waitFor();

    // By keyboard: "Add object store" focused, Enter: it goes into the selected bucket's cluster.
    await page.getByRole('button', { name: 'Add object store' }).focus();
    await page.keyboard.press('Enter');
    await eventually(async () => assert.equal(await stores.count(), 1));
    assert.equal(await stores.getAttribute('aria-label'), 'store-1 (object store, stream OBJ_store-1)');
    await editor.inspector.getByRole('heading', { name: /Object store/ }).waitFor();
    for (const label of ['TTL (s)', 'Max bytes', 'Storage', 'Replicas']) {
      assert.equal(await control(editor, label).count(), 1, label);
    }
    assert.equal(await editor.inspector.getByLabel('History', { exact: true }).count(), 0, 'an object store has no history');
    await editor.setField('TTL (s)', 3600);
    await eventually(async () => assert.equal(await editor.inspector.getByLabel('TTL (s)', { exact: true }).inputValue(), '3600'));
    await undo(page).click();
    await eventually(async () => assert.equal(await editor.inspector.getByLabel('TTL (s)', { exact: true }).inputValue(), '0'));
    // Seconds as typed: decimals, a trailing "s" and exponents are read (the browser's Number()
    // after a check of the characters); what is not a finite decimal number is refused and the
    // field shows the stored value again.
    const ttl = editor.inspector.getByLabel('TTL (s)', { exact: true });
    for (const [typed, shown] of [
      ['1.5s', '1.5'], ['1e3', '1000'], ['0x10', '1000'], ['', '1000'], ['abc', '1000'], ['1e400', '1000'],
      ['Infinity', '1000'], ['1-2', '1000'], ['.5', '0.5'], [' 2 ', '2'],
    ]) {
      await editor.setField('TTL (s)', typed);
      await eventually(async () => assert.equal(await ttl.inputValue(), shown, `typed ${JSON.stringify(typed)}`));
    }

    // The key-value bucket's fields: each change one undo step.
    await added.click();
    await editor.inspector.getByRole('heading', { name: /bucket-1/ }).waitFor();
    for (const label of ['History', 'TTL (s)', 'Max value size', 'Max bytes', 'Storage', 'Replicas', 'Compression']) {
      assert.equal(await control(editor, label).count(), 1, label);
    }
    const history = editor.inspector.getByLabel('History', { exact: true });
    assert.equal(await history.inputValue(), '1');
    await editor.setField('History', 5);
    await eventually(async () => assert.equal(await history.inputValue(), '5'));
    await control(editor, 'Storage').selectOption('memory');
    await eventually(async () => assert.equal(await control(editor, 'Storage').inputValue(), 'memory'));
    await undo(page).click();
    await eventually(async () => assert.equal(await control(editor, 'Storage').inputValue(), 'file'));
    assert.equal(await history.inputValue(), '5', 'one undo takes back one change');
    await undo(page).click();
    await eventually(async () => assert.equal(await history.inputValue(), '1'));
    await page.getByRole('button', { name: 'Redo' }).click();
    await eventually(async () => assert.equal(await history.inputValue(), '5'));
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('Mirror into a site adds the mirror under the bucket\'s name with its link; an invalid name is shown on the shape', async () => {
    const { page, context, problems } = await openDesigner(web.browser, web.site.url);
    const editor = new Editor(page);
    await newFrom(page, /^Edge key-value/);
    const kv = editor.shapes('key-value bucket');
    await editor.cluster('hub').locator('.cluster-header').click();
    await page.getByRole('button', { name: 'Add bucket' }).click();
    const added = kv.filter({ has: page.locator('text.stream-name', { hasText: /^bucket-1$/ }) });
    await eventually(async () => assert.equal(await added.count(), 1));
    const mirrors = editor.shapes('mirror link');
    const links = await mirrors.count();
    const notesBefore = await summary(page).textContent();

    await control(editor, 'Site').selectOption({ label: 'spoke-1' });
    await editor.inspector.getByRole('button', { name: 'Mirror into site' }).click();
    await eventually(async () => assert.equal(await added.count(), 2));
    await eventually(async () => assert.equal(await mirrors.count(), links + 1));
    assert.equal(await mirrors.and(page.locator('[aria-label^="KV_bucket-1 mirrors KV_bucket-1"]')).count(), 1);
    const details = await added.locator('text.stream-details').allTextContents();
    assert.deepEqual(details.sort(), ['key-value', 'key-value, mirror of bucket-1']);
    // Each site without a copy is told to name the hub's domain (a note); spoke-1 now reads locally.
    assert.equal(notesBefore, '0 errors, 0 warnings, 2 notes');
    await eventually(async () => assert.equal(await summary(page).textContent(), '0 errors, 0 warnings, 1 note'));
    // The site that has the mirror is no longer offered.
    const origin = added.filter({ has: page.locator('text.stream-details', { hasText: /^key-value$/ }) });
    await origin.click();
    await editor.inspector.getByRole('heading', { name: /bucket-1/ }).waitFor();
    await eventually(async () => assert.deepEqual(await control(editor, 'Site').locator('option').allTextContents(), ['spoke-2']));
    // One undo removes the mirror and its link.
    await undo(page).click();
    await eventually(async () => assert.equal(await mirrors.count(), links));
    assert.equal(await added.count(), 1);

    // An invalid bucket name: bucket-name-invalid on the shape.
    await added.click();
    await editor.inspector.getByText('stream KV_bucket-1, in cluster hub (domain hub), account ACC').waitFor();
    await editor.setField('Bucket name', 'bad name');
    const bad = kv.filter({ has: page.locator('text.stream-name', { hasText: /^bad name$/ }) });
    await eventually(async () => assert.equal(await bad.count(), 1));
    await bad.getByRole('img', { name: 'has errors' }).waitFor();
    await page.locator('#problems .problems-toggle').click();
    await page.locator('#problems').getByRole('button', { name: 'Explain rule bucket-name-invalid' }).first().waitFor();
    await undo(page).click();
    await eventually(async () => assert.equal(await added.count(), 1));
    assert.equal(await added.getByRole('img', { name: 'has errors' }).count(), 0);
    assert.deepEqual(problems, []);
    await context.close();
  });
});
