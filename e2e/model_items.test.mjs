// What the canvas and the inspector show follows the design: link labels after a remote is
// removed, remotes that follow a new public endpoint, "Fix all", the cluster a new stream goes
// into, what a delete also removes. Driven as a person would, read as a person reads it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Editor, eventually, openDesigner, useSiteAndBrowser } from './support.mjs';

describe('the inspector and the canvas follow the design', () => {
  const web = useSiteAndBrowser();

  /** The labels of the leafnode links that start at `cluster`, as drawn. */
  async function leafLabelsOf(editor, cluster) {
    const links = editor.shapes('leafnode link');
    const all = await links.evaluateAll((els) =>
      els.map((e) => [e.getAttribute('aria-label'), e.querySelector('text.link-label').textContent]),
    );
    return all.filter(([name]) => name.startsWith(`${cluster} to `)).map(([name, label]) => `${name} = ${label}`).sort();
  }

  test('removing either remote of a spoke leaves the other link labelled with its own account', async () => {
    const { page, context, problems } = await openDesigner(web.browser, web.site.url);
    const editor = new Editor(page);
    await eventually(async () =>
      assert.deepEqual(await leafLabelsOf(editor, 'spoke-1'), [
        'spoke-1 to headquarter (ACC) = ACC',
        'spoke-1 to headquarter (SYS) = SYS',
      ]),
    );
    await editor.cluster('spoke-1').locator('.cluster-header').click();
    await editor.inspector.getByRole('button', { name: 'Remove remote to headquarter (ACC)' }).click();
    await eventually(async () => assert.deepEqual(await leafLabelsOf(editor, 'spoke-1'), ['spoke-1 to headquarter (SYS) = SYS']));
    await page.keyboard.press('Control+z');
    await eventually(async () => assert.equal((await leafLabelsOf(editor, 'spoke-1')).length, 2));
    await editor.inspector.getByRole('button', { name: 'Remove remote to headquarter (SYS)' }).click();
    await eventually(async () => assert.deepEqual(await leafLabelsOf(editor, 'spoke-1'), ['spoke-1 to headquarter (ACC) = ACC']));
    // The validator agrees with the drawing: spoke-1's SYS remote is gone, nothing else changed.
    await editor.inspector.getByRole('list', { name: 'Leafnode remotes' }).getByText('to headquarter as ACC').waitFor();
    assert.equal(await editor.inspector.getByRole('list', { name: 'Leafnode remotes' }).getByRole('listitem').count(), 1);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('a hub without a public endpoint is flagged; adding one moves the remotes in one undoable step', async () => {
    const { page, context, problems } = await openDesigner(web.browser, web.site.url);
    const editor = new Editor(page);
    await page.getByRole('button', { name: 'New' }).click();
    const dialog = page.getByRole('dialog', { name: 'New design' });
    await dialog.getByRole('radio', { name: /Hub with spokes/ }).check();
    await dialog.getByRole('spinbutton', { name: 'Spokes' }).fill('2');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await editor.cluster('spoke-2').waitFor();

    // The warning names every remote that dials the hub by its cluster name.
    await page.locator('#problems .problems-toggle').click();
    const rows = page.locator('#problems .problem').filter({ hasText: 'hub-public-endpoint-missing' });
    await eventually(async () => assert.equal(await rows.count(), 4));
    assert.match(await rows.first().textContent(), /spoke-1 remote ACC.*dials hub:7422/);

    // The spoke's inspector shows each remote's URL with its problem.
    await editor.cluster('spoke-1').locator('.cluster-header').click();
    const acc = editor.inspector.getByLabel('URL of remote to hub (ACC)');
    assert.equal(await acc.inputValue(), 'nats://hub:7422');
    await editor.inspector.locator('.remote .field-problems').first().getByText(/declares no public leafnode endpoint/).waitFor();

    // Declare the endpoint on the hub: every remote follows, the warning goes.
    await editor.cluster('hub').locator('.cluster-header').click();
    await editor.setField('Public endpoints', 'hq.example.com:30742');
    await eventually(async () => assert.equal(await rows.count(), 0));
    await editor.cluster('spoke-2').locator('.cluster-header').click();
    await eventually(async () => assert.equal(await editor.inspector.getByLabel('URL of remote to hub (SYS)').inputValue(), 'nats://hq.example.com:30742'));

    // One Undo puts the endpoint and every URL back.
    await page.getByRole('button', { name: 'Undo' }).click();
    await eventually(async () => assert.equal(await editor.inspector.getByLabel('URL of remote to hub (SYS)').inputValue(), 'nats://hub:7422'));
    await eventually(async () => assert.equal(await rows.count(), 4));

    // A URL edited in the inspector is one step too.
    const sys = editor.inspector.getByLabel('URL of remote to hub (SYS)');
    await sys.fill('nats://hub.example.net:7422');
    await sys.press('Enter');
    await eventually(async () => assert.equal(await rows.count(), 3));
    assert.deepEqual(problems, []);
    await context.close();
  });

  /** New → "Hub with spokes" with `n` spokes, by the dialog's controls. */
  async function newHubWithSpokes(page, n) {
    await page.getByRole('button', { name: 'New' }).click();
    const dialog = page.getByRole('dialog', { name: 'New design' });
    await dialog.getByRole('radio', { name: /Hub with spokes/ }).check();
    await dialog.getByRole('spinbutton', { name: 'Spokes' }).fill(String(n));
    await dialog.getByRole('button', { name: 'Create' }).click();
    await new Editor(page).cluster(`spoke-${n}`).waitFor();
  }

  test('several problems of one rule offer Fix all, repaired and undone as one step', async () => {
    const { page, context, problems } = await openDesigner(web.browser, web.site.url);
    const editor = new Editor(page);
    await newHubWithSpokes(page, 2);
    await page.locator('#problems .problems-toggle').click();
    const rows = page.locator('#problems .problem').filter({ hasText: 'leafnode-url-mismatch' });
    const fixAll = page.getByRole('button', { name: 'Fix all 4 leafnode-url-mismatch problems' });
    assert.equal(await rows.count(), 0);
    // The hub moves its listener: all four remotes now dial a port nobody listens on.
    await editor.cluster('hub').locator('.cluster-header').click();
    await editor.setField('Leafnode port', 7500);
    await eventually(async () => assert.equal(await rows.count(), 4));
    assert.equal(await page.locator('#problems .fix-all').count(), 1, 'offered once, on the rule\'s first problem');
    await fixAll.click();
    await eventually(async () => assert.equal(await rows.count(), 0));
    await editor.cluster('spoke-2').locator('.cluster-header').click();
    assert.equal(await editor.inspector.getByLabel('URL of remote to hub (ACC)').inputValue(), 'nats://hub:7500');
    await page.getByRole('status').filter({ hasText: 'Fixed 4 leafnode-url-mismatch problems' }).waitFor();
    // One Undo brings all four back; the port stays changed.
    await page.getByRole('button', { name: 'Undo' }).click();
    await eventually(async () => assert.equal(await rows.count(), 4));
    await page.getByRole('button', { name: 'Undo' }).click();
    await eventually(async () => assert.equal(await rows.count(), 0));
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('renaming a cluster renames its derived server-name prefix', async () => {
    const { page, context, problems } = await openDesigner(web.browser, web.site.url);
    const editor = new Editor(page);
    await newHubWithSpokes(page, 2);
    await editor.cluster('hub').locator('.cluster-header').click();
    assert.equal(await editor.inspector.getByLabel('Server name prefix', { exact: true }).inputValue(), 'hub-');
    await editor.setField('Name', 'headquarter');
    await editor.cluster('headquarter').waitFor();
    await eventually(async () =>
      assert.equal(await editor.inspector.getByLabel('Server name prefix', { exact: true }).inputValue(), 'headquarter-'),
    );
    // Its spokes dialed it by name (no public endpoint): they follow the new name.
    await editor.cluster('spoke-1').locator('.cluster-header').click();
    assert.equal(await editor.inspector.getByLabel('URL of remote to headquarter (ACC)').inputValue(), 'nats://headquarter:7422');
    await editor.cluster('headquarter').locator('.cluster-header').click();
    // A prefix the user wrote stays.
    await editor.setField('Server name prefix', 'edge-');
    await editor.setField('Name', 'hq');
    await editor.cluster('hq').waitFor();
    assert.equal(await editor.inspector.getByLabel('Server name prefix', { exact: true }).inputValue(), 'edge-');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('"Add stream" puts the stream into the selected cluster, or the selected stream\'s', async () => {
    const { page, context, problems } = await openDesigner(web.browser, web.site.url);
    const editor = new Editor(page);
    await newHubWithSpokes(page, 2);
    // The hub dragged under the centre of the view, where a click on "Add stream" aims.
    const canvas = await editor.canvasBox();
    const header = editor.cluster('hub').locator('.cluster-header');
    const box = await header.boundingBox();
    await editor.dragBy(header, canvas.x + canvas.width / 2 - (box.x + box.width / 2), canvas.y + canvas.height / 2 + 20 - (box.y + box.height / 2));
    // spoke-1 selected: "Add stream" puts the stream there, whatever lies under the view's centre.
    const streamsIn = (name) => editor.cluster(name).locator('[aria-roledescription="stream"]').count();
    const [hubBefore, spokeBefore] = [await streamsIn('hub'), await streamsIn('spoke-1')];
    await editor.cluster('spoke-1').locator('.cluster-header').click();
    await page.getByRole('button', { name: 'Add stream' }).click();
    await eventually(async () => assert.equal(await streamsIn('spoke-1'), spokeBefore + 1));
    assert.equal(await streamsIn('hub'), hubBefore);
    // With a stream of spoke-2 selected, it goes into spoke-2.
    const spoke2Before = await streamsIn('spoke-2');
    await editor.stream('events-2').click();
    await page.getByRole('button', { name: 'Add stream' }).click();
    await eventually(async () => assert.equal(await streamsIn('spoke-2'), spoke2Before + 1));
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('"Copy from…" leaves out streams already copied from; a delete says which sources it removed', async () => {
    const { page, context, problems } = await openDesigner(web.browser, web.site.url);
    const editor = new Editor(page);
    await editor.stream('sales').click();
    const options = await editor.inspector.getByRole('combobox', { name: 'Copy from stream' }).locator('option').allTextContents();
    assert.ok(!options.some((o) => o.startsWith('tickets-1 ') || o.startsWith('tickets-2 ')), options.join(', '));
    assert.ok(options.some((o) => o.startsWith('cinema-a ')), options.join(', '));

    // Deleting both origins of sales: the notice says what else went.
    await editor.stream('tickets-1').click();
    await editor.stream('tickets-2').click({ modifiers: ['Shift'] });
    await page.keyboard.press('Delete');
    await page.getByRole('status').filter({ hasText: 'also removed 2 sources; Undo restores them' }).waitFor();
    await page.keyboard.press('Control+z');
    await eventually(async () => assert.equal(await editor.shapes('source link').count(), 2));
    assert.deepEqual(problems, []);
    await context.close();
  });
  test('a source in a domain no cluster has stays drawn, dangling and flagged', async () => {
    const { page, context, problems } = await openDesigner(web.browser, web.site.url);
    const editor = new Editor(page);
    await editor.stream('sales').click();
    const api = editor.inspector.locator('.origins > li').nth(1).getByLabel('External API', { exact: true });
    await api.fill('$JS.nowhere.API');
    await api.press('Enter');
    await eventually(async () =>
      assert.deepEqual((await editor.names('source link')).sort(), [
        'sales sources tickets-1',
        'sales sources tickets-2, which the design does not have',
      ]),
    );
    const dangling = editor.shapes('source link').and(page.locator('.dangling'));
    assert.equal(await dangling.locator('text.link-label').textContent(), '$JS.nowhere.API ?');
    await dangling.getByRole('img', { name: 'has errors' }).waitFor();
    assert.equal(await dangling.locator('circle.dangling-end').count(), 1);
    // The inspector still lists both sources.
    assert.equal(await editor.inspector.locator('.origins > li').count(), 2);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('the rubber band of a leafnode drag is drawn in the leafnode style', async () => {
    const { page, context } = await openDesigner(web.browser, web.site.url);
    const editor = new Editor(page);
    const handle = editor.cluster('spoke-2').locator(':scope > .handle');
    await editor.cluster('spoke-2').locator('.cluster-header').click();
    const a = await handle.boundingBox();
    await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
    await page.mouse.down();
    await page.mouse.move(a.x - 200, a.y - 150, { steps: 5 });
    const band = editor.canvas.locator('line.connect-line');
    assert.equal(await band.getAttribute('class'), 'connect-line leafnode');
    const colours = await page.evaluate(() => {
      const line = document.querySelector('line.connect-line');
      const leaf = document.querySelector('[aria-roledescription="leafnode link"] .link-line');
      return [getComputedStyle(line).stroke, getComputedStyle(leaf).stroke];
    });
    assert.equal(colours[0], colours[1], 'the colour of the leafnode links');
    await page.keyboard.press('Escape');
    await page.mouse.up();
    await context.close();
  });
});
