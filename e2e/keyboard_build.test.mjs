// The guide's topology built from "New" with the keyboard alone: every control is reached with
// Tab, every gesture has a key. Only page.keyboard.press is used: no clicks, no fill, no focus().
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Editor, eventually, openDesigner, useSiteAndBrowser } from './support.mjs';

describe('keyboard only', () => {
  const web = useSiteAndBrowser();

  test("builds the guide's hub, spokes, leafnodes, mirror and sources from New without the mouse", async () => {
    const { page, context, problems } = await openDesigner(web.browser, web.site.url);
    const editor = new Editor(page);
    const press = (key) => page.keyboard.press(key);
    const focused = (locator) => locator.evaluate((el) => el === document.activeElement).catch(() => false);
    /** Presses Tab (or Shift+Tab) until `locator` has the focus: proof that the keyboard reaches it. */
    async function tabTo(locator, { back = false, max = 400 } = {}) {
      await locator.first().waitFor();
      for (let i = 0; i < max; i++) {
        if (await focused(locator.first())) return;
        await press(back ? 'Shift+Tab' : 'Tab');
      }
      throw new Error(`Tab never reached ${locator}`);
    }
    /** Types into the focused field, one key press per character, replacing its text. */
    async function typeText(text) {
      await press('Control+a');
      await press('Backspace');
      for (const ch of text) await press(ch === ' ' ? 'Space' : ch);
    }
    /** Tabs forward to the inspector field `label`, types `value` and commits it with Enter. */
    async function setField(label, value) {
      await tabTo(editor.inspector.getByLabel(label, { exact: true }));
      await typeText(String(value));
      await press('Enter');
    }
    const status = page.getByRole('status');
    // Focusing a shape selects it; Enter then moves into its inspector, whose fields follow with
    // Tab (going forward from there never crosses the canvas, where focus would select).
    const inspect = async (shape) => {
      await tabTo(shape);
      await eventually(async () => assert.equal(await shape.getAttribute('aria-selected'), 'true'));
      await press('Enter');
      assert.ok(await focused(editor.inspector.getByLabel('Name', { exact: true })), 'Enter opens the name field');
    };
    const rename = async (name) => {
      await typeText(name);
      await press('Enter');
    };

    // New → Empty → Create.
    await tabTo(page.getByRole('button', { name: 'New', exact: true }));
    await press('Enter');
    const dialog = page.getByRole('dialog', { name: 'New design' });
    await tabTo(dialog.getByRole('radio', { checked: true }));
    await press('ArrowUp');
    assert.equal(await dialog.getByRole('radio', { name: /^Empty/ }).isChecked(), true);
    await tabTo(dialog.getByRole('button', { name: 'Create' }), { back: true });
    await press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await eventually(async () => assert.equal(await editor.shapes('cluster').count(), 0));

    // A hub and two spokes from the palette, moved apart with the arrows.
    await tabTo(page.getByRole('button', { name: 'Add hub' }));
    await press('Enter');
    await editor.cluster('hub-1').waitFor();
    for (const [n, dx] of [[1, 'ArrowLeft'], [2, 'ArrowRight']]) {
      await tabTo(page.getByRole('button', { name: 'Add spoke' }));
      await press('Enter');
      await editor.cluster(`spoke-${n}`).waitFor();
      for (let i = 0; i < 16; i++) await press('ArrowDown');
      for (let i = 0; i < 12; i++) await press(dx);
    }

    // Names and domains as in the guide.
    for (const [from, name, domain] of [
      ['hub-1', 'headquarter', 'hub'],
      ['spoke-1', 'spoke-1', 'cinema-a'],
      ['spoke-2', 'spoke-2', 'cinema-b'],
    ]) {
      await inspect(editor.cluster(from));
      if (name !== from) {
        await rename(name);
        await editor.cluster(name).waitFor();
      }
      await setField('JetStream domain', domain);
      await eventually(async () =>
        assert.equal(await editor.cluster(name).locator('text.cluster-details').textContent(), `domain ${domain} · 3 servers`),
      );
    }

    // spoke-1 connects through the inspector's "Connect to hub…": hub and accounts chosen there.
    await inspect(editor.cluster('spoke-1'));
    const connectGroup = editor.inspector.getByRole('group', { name: 'Connect to hub…' });
    await tabTo(connectGroup.getByRole('combobox', { name: 'Hub to connect to' }));
    assert.equal(
      await connectGroup.getByRole('combobox', { name: 'Hub to connect to' }).evaluate((s) => s.selectedOptions[0].textContent),
      'headquarter',
    );
    assert.deepEqual(await connectGroup.getByRole('checkbox').evaluateAll((els) => els.map((e) => e.checked)), [true, true]);
    await tabTo(connectGroup.getByRole('button', { name: 'Connect' }));
    await press('Enter');
    await eventually(async () =>
      assert.deepEqual((await editor.names('leafnode link')).sort(), ['spoke-1 to headquarter (ACC)', 'spoke-1 to headquarter (SYS)']),
    );

    // spoke-2 connects from its handle on the canvas: Enter starts, the arrows choose, Enter connects.
    await tabTo(page.getByRole('button', { name: 'Connect spoke-2 to a hub' }));
    await press('Enter');
    await status.filter({ hasText: 'Leafnode to cluster headquarter: Enter connects' }).waitFor();
    assert.ok(await editor.canvas.locator('line.connect-line.leafnode').count(), 'the rubber band in the leafnode style');
    await press('ArrowRight'); // spoke-1: a spoke is no hub, and says so
    await status.filter({ hasText: 'Leafnode to cluster spoke-1: not allowed: spoke-1 is not a hub' }).waitFor();
    await press('ArrowLeft');
    await status.filter({ hasText: 'Leafnode to cluster headquarter: Enter connects' }).waitFor();
    await press('Enter');
    await eventually(async () => assert.equal(await editor.shapes('leafnode link').count(), 4));
    assert.equal(await editor.canvas.locator('line.connect-line').count(), 0);

    // The hub's NodePort: the four remotes follow it.
    await inspect(editor.cluster('headquarter'));
    await setField('Public endpoints', 'headquarter.nats.public.address.com:30742');
    await inspect(editor.cluster('spoke-2'));
    await eventually(async () =>
      assert.equal(
        await editor.inspector.getByLabel('URL of remote to headquarter (ACC)').inputValue(),
        'nats://headquarter.nats.public.address.com:30742',
      ),
    );

    // Streams: "Add stream" goes into the selected cluster.
    const addStream = async (cluster, name, subjects) => {
      await inspect(editor.cluster(cluster));
      await tabTo(page.getByRole('button', { name: 'Add stream' }));
      await press('Enter');
      let added;
      await eventually(async () => {
        added = (await editor.inspector.locator('h2').textContent()).match(/^Stream(.+)$/)?.[1];
        assert.ok(added, 'the new stream is selected');
      });
      assert.equal(await editor.cluster(cluster).getByRole('group', { name: added, exact: true }).count(), 1, `${added} is in ${cluster}`);
      await inspect(editor.stream(added));
      await rename(name);
      await editor.cluster(cluster).getByRole('group', { name, exact: true }).waitFor();
      await setField('Subjects', subjects);
    };
    await addStream('headquarter', 'cinema-a', 'cinema-a.new.films');
    await addStream('spoke-1', 'cinema-a-mirror', 'unused.>');
    await addStream('spoke-1', 'tickets-1', 'tickets-1.>');
    await addStream('spoke-2', 'tickets-2', 'tickets-2.>');
    await addStream('headquarter', 'sales', '');

    // The mirror from cinema-a's handle: arrows to the copy, M for a mirror, Enter.
    await tabTo(page.getByRole('button', { name: 'Copy cinema-a into another stream' }));
    await press('Enter');
    for (let i = 0; i < 6 && !(await status.textContent()).includes('into stream cinema-a-mirror'); i++) await press('ArrowRight');
    await press('m');
    await status.filter({ hasText: 'Mirror into stream cinema-a-mirror: Enter connects' }).waitFor();
    await press('Enter');
    await eventually(async () => assert.deepEqual(await editor.names('mirror link'), ['cinema-a-mirror mirrors cinema-a']));

    // The sources of sales from its inspector: "Copy from…" and "Add source".
    await inspect(editor.stream('sales'));
    for (const origin of ['tickets-1', 'tickets-2']) {
      const copyFrom = editor.inspector.getByRole('combobox', { name: 'Copy from stream' });
      await tabTo(copyFrom, { back: origin === 'tickets-2' });
      const options = await copyFrom.locator('option').allTextContents();
      const steps = options.findIndex((o) => o.startsWith(`${origin} `));
      assert.ok(steps > 0, options.join(', '));
      await press('Home');
      for (let i = 0; i < steps; i++) await press('ArrowDown');
      await tabTo(editor.inspector.getByRole('button', { name: 'Add source' }));
      await press('Enter');
      await eventually(async () => assert.ok((await editor.names('source link')).includes(`sales sources ${origin}`)));
    }

    assert.deepEqual((await editor.linkLabels('source link')).sort(), ['$JS.cinema-a.API', '$JS.cinema-b.API']);
    assert.deepEqual(await editor.linkLabels('mirror link'), ['$JS.hub.API']);
    assert.deepEqual((await editor.names('leafnode link')).sort(), [
      'spoke-1 to headquarter (ACC)',
      'spoke-1 to headquarter (SYS)',
      'spoke-2 to headquarter (ACC)',
      'spoke-2 to headquarter (SYS)',
    ]);
    await eventually(async () => assert.equal(await page.locator('.count-button.error').textContent(), '0 errors'));
    assert.deepEqual(problems, []);
    await context.close();
  });
});
