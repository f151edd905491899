// Editing on the canvas, driven like a person would: palette, drags, handles, inspector, keys.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Editor, eventually, openDesigner, useSiteAndBrowser } from './support.mjs';

describe('designer editing', () => {
  const web = useSiteAndBrowser();

  test('builds a hub with two spokes and sourced streams, edits, undoes, redoes and deletes', async () => {
    const { page, context, problems } = await openDesigner(web.browser, web.site.url);
    const editor = new Editor(page);

    // Start from an empty canvas: select everything and delete it (the confirmation is accepted).
    await editor.canvas.click({ position: { x: 20, y: 20 } });
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Delete');
    await eventually(async () => assert.equal(await editor.shapes('cluster').count(), 0, 'everything deleted'));

    await editor.dropFromPalette('Add hub', 380, 120);
    await editor.dropFromPalette('Add spoke', 120, 480);
    await editor.dropFromPalette('Add spoke', 640, 480);
    await eventually(async () => assert.deepEqual((await editor.names('cluster')).sort(), ['hub-1', 'spoke-1', 'spoke-2']));

    // Drag a spoke by its header: one undoable move.
    const spoke2 = editor.cluster('spoke-2');
    const before = await spoke2.locator('.cluster-box').boundingBox();
    await editor.dragBy(spoke2.locator('.cluster-header'), 60, 20);
    const moved = await spoke2.locator('.cluster-box').boundingBox();
    assert.ok(moved.x > before.x + 20, `spoke-2 moved right (${before.x} -> ${moved.x})`);

    // Leafnodes: from each spoke's handle to the hub, one remote per shared account.
    await editor.connect(editor.cluster('spoke-1'), editor.cluster('hub-1').locator('.cluster-header'));
    await editor.connect(spoke2, editor.cluster('hub-1').locator('.cluster-header'));
    const leafnodes = await editor.names('leafnode link');
    assert.ok(leafnodes.some((n) => n.startsWith('spoke-1 to hub-1')), leafnodes.join(', '));
    assert.ok(leafnodes.some((n) => n.startsWith('spoke-2 to hub-1')), leafnodes.join(', '));

    // A stream in each cluster, dropped onto it.
    for (const name of ['hub-1', 'spoke-1', 'spoke-2']) {
      const box = await editor.cluster(name).locator('.cluster-header').boundingBox();
      const canvas = await editor.canvasBox();
      await editor.dropFromPalette('Add stream', box.x - canvas.x + 40, box.y - canvas.y + 20);
    }
    const streams = await editor.names('stream');
    assert.equal(streams.length, 3, streams.join(', '));
    const streamOf = async (cluster) => editor.cluster(cluster).locator('[aria-roledescription="stream"]').first();
    const hubStream = await streamOf('hub-1');
    const hubStreamName = await hubStream.getAttribute('aria-label');

    // Both spoke streams become sources of the hub stream; the API prefix is their domain's.
    await editor.connect(await streamOf('spoke-1'), hubStream);
    await editor.connect(await streamOf('spoke-2'), hubStream);
    await eventually(async () => assert.deepEqual((await editor.linkLabels('source link')).sort(), ['$JS.spoke-1.API', '$JS.spoke-2.API']));
    const sources = await editor.names('source link');
    assert.ok(sources.every((n) => n.startsWith(`${hubStreamName} sources`)), sources.join(', '));

    // A stream cannot source itself: the refusal says why.
    await editor.connect(hubStream, hubStream);
    await page.getByRole('status').filter({ hasText: 'cannot copy from itself' }).waitFor();

    // The inspector: a new domain, and the label follows.
    await editor.cluster('spoke-1').locator('.cluster-header').click();
    await editor.setField('JetStream domain', 'cinema-a');
    await editor.cluster('spoke-1').getByText('domain cinema-a').waitFor();
    await eventually(async () => assert.deepEqual((await editor.linkLabels('source link')).sort(), ['$JS.cinema-a.API', '$JS.spoke-2.API']));

    await hubStream.click();
    await editor.setField('Replicas', 1);
    await hubStream.locator('text.replicas').filter({ hasText: 'R1' }).waitFor();

    // Undo both edits, redo them.
    await page.getByRole('button', { name: 'Undo' }).click();
    await hubStream.locator('text.replicas').filter({ hasText: 'R3' }).waitFor();
    await page.keyboard.press('Control+z');
    await eventually(async () => assert.deepEqual((await editor.linkLabels('source link')).sort(), ['$JS.spoke-1.API', '$JS.spoke-2.API']));
    await page.getByRole('button', { name: 'Redo' }).click();
    await page.keyboard.press('Control+Shift+z');
    await eventually(async () => assert.deepEqual((await editor.linkLabels('source link')).sort(), ['$JS.cinema-a.API', '$JS.spoke-2.API']));
    await hubStream.locator('text.replicas').filter({ hasText: 'R1' }).waitFor();

    // Deleting a spoke takes its stream and the links to it.
    await editor.cluster('spoke-2').locator('.cluster-header').click();
    await page.keyboard.press('Delete');
    await eventually(async () => assert.deepEqual((await editor.names('cluster')).sort(), ['hub-1', 'spoke-1']));
    await eventually(async () => assert.equal(await editor.shapes('source link').count(), 1));
    await eventually(async () => assert.ok((await editor.names('leafnode link')).every((n) => !n.includes('spoke-2'))));
    await page.keyboard.press('Control+z');
    await eventually(async () => assert.equal(await editor.shapes('source link').count(), 2, 'undo restores the spoke and its link'));

    assert.deepEqual(problems, [], 'no console errors');
    await context.close();
  });

  test('a stream dragged onto another cluster moves there in one undoable step', async () => {
    const { page, context } = await openDesigner(web.browser, web.site.url);
    const editor = new Editor(page);
    const stream = editor.stream('tickets-2');
    const target = await editor.cluster('spoke-1').locator('.cluster-header').boundingBox();
    const from = await stream.boundingBox();
    await editor.dragBy(stream, target.x + 40 - (from.x + from.width / 2), target.y + 10 - (from.y + from.height / 2));
    await eventually(async () => assert.equal(await editor.cluster('spoke-1').locator('[aria-label="tickets-2"]').count(), 1));
    await page.keyboard.press('Control+z');
    await eventually(async () => assert.equal(await editor.cluster('spoke-2').locator('[aria-label="tickets-2"]').count(), 1));
    await context.close();
  });

  test('a stream dropped where no cluster is asks which cluster should hold it', async () => {
    const { page, context, problems } = await openDesigner(web.browser, web.site.url);
    const editor = new Editor(page);
    const inSpoke2 = () => editor.cluster('spoke-2').locator('[aria-roledescription="stream"]').count();
    const before = await inSpoke2();
    await editor.canvas.click({ position: { x: 20, y: 20 } }); // nothing selected
    await editor.dropFromPalette('Add stream', 20, 20);
    const dialog = page.getByRole('dialog', { name: 'Add stream' });
    await dialog.waitFor();
    // Every cluster is offered, one already chosen; Escape adds nothing.
    assert.equal(await dialog.getByRole('radio').count(), 3);
    assert.equal(await dialog.getByRole('radio', { checked: true }).count(), 1);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await inSpoke2(), before);

    await editor.dropFromPalette('Add stream', 20, 20);
    await dialog.getByRole('radio', { name: /^spoke-2/ }).check();
    await page.keyboard.press('Enter');
    await eventually(async () => assert.equal(await inSpoke2(), before + 1));
    // The new stream is selected, ready for the inspector; one Undo takes it away.
    await editor.inspector.getByLabel('Subjects', { exact: true }).waitFor();
    const summary = page.locator('.status-bar .summary');
    await eventually(async () => assert.match(await summary.textContent(), /^3 clusters · \d+ streams · 1 selected$/));
    await page.getByRole('button', { name: 'Undo' }).click();
    await eventually(async () => assert.equal(await inSpoke2(), before));
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('shapes are reachable with Tab, arrows move the focused cluster, Escape clears the selection', async () => {
    const { page, context } = await openDesigner(web.browser, web.site.url);
    const editor = new Editor(page);
    const hub = editor.cluster('headquarter');
    await hub.focus();
    assert.equal(await hub.getAttribute('aria-selected'), 'true', 'focus selects');
    const before = await hub.locator('.cluster-box').boundingBox();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    const after = await hub.locator('.cluster-box').boundingBox();
    assert.ok(after.x > before.x, 'moved right');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.closest('.inspector') !== null), true, 'Enter opens the inspector');
    await page.keyboard.press('Escape');
    await hub.focus();
    await page.keyboard.press('Escape');
    assert.equal(await hub.getAttribute('aria-selected'), 'false');
    await context.close();
  });

  test('hostile names are shown as text, never as markup', async () => {
    const { page, context, problems } = await openDesigner(web.browser, web.site.url);
    const editor = new Editor(page);
    await editor.cluster('spoke-1').locator('.cluster-header').click();
    await editor.setField('Name', '<img src=x onerror=alert(1)>$(rm -rf ~)');
    await editor.cluster('<img src=x onerror=alert(1)>$(rm -rf ~)').waitFor();
    assert.equal(await page.locator('img').count(), 0, 'no element was created from the name');
    assert.deepEqual(problems, []);
    await context.close();
  });
});
