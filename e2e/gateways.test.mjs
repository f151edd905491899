// Gateways and superclusters in the designer (issue 17): "Add region" from the keyboard joins a
// new cluster to the selected cluster's supercluster by gateways; the supercluster is one
// outline labelled with its domain that follows a moved cluster; gateway links are drawn unlike
// leafnodes; placement is chosen in the stream inspector from the clusters and tags in reach and
// changes the exported stream JSON; TLS on a remote shows a lock, a mismatch shows the problem
// and fixing it clears it. Hostile tags stay plain text.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Editor, eventually, openDesigner, useSiteAndBrowser } from './support.mjs';

describe('gateways, superclusters, placement and TLS', () => {
  const web = useSiteAndBrowser();

  async function twoRegions(page) {
    await page.getByRole('button', { name: 'New' }).click();
    const dialog = page.getByRole('dialog', { name: 'New design' });
    await dialog.getByRole('radio', { name: /^Two regions and a site/ }).check();
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await new Editor(page).cluster('east').waitFor();
  }

  const errors = (page) =>
    page.getByRole('group', { name: 'Problem counts' }).getByRole('button', { name: /\berrors?$/ });
  const lineStyle = (link) =>
    link.locator('.link-line').evaluate((e) => {
      const s = getComputedStyle(e);
      return { stroke: s.stroke, dash: s.strokeDasharray, width: s.strokeWidth };
    });

  test('Add region from the keyboard joins a gateway-linked cluster to the supercluster, drawn as one group with its domain', async () => {
    const { page, context, problems } = await openDesigner(web.browser, web.site.url);
    const editor = new Editor(page);
    await twoRegions(page);
    const groups = editor.shapes('supercluster');
    await eventually(async () => assert.deepEqual(await editor.names('supercluster'), ['supercluster east + west · domain core']));
    assert.equal(await groups.locator('text').textContent(), 'supercluster east + west · domain core');

    // One gateway link, drawn unlike the site's leafnodes, and named in the legend.
    assert.deepEqual(await editor.names('gateway link'), ['east and west joined by gateways']);
    assert.equal(await editor.shapes('leafnode link').count(), 2);
    const gateway = await lineStyle(editor.shapes('gateway link').first());
    const leafnode = await lineStyle(editor.shapes('leafnode link').first());
    assert.notEqual(gateway.stroke, leafnode.stroke, 'own colour');
    assert.notEqual(gateway.dash, leafnode.dash, 'own dashes');
    assert.notEqual(gateway.width, leafnode.width, 'own width');
    await page.getByRole('list', { name: 'Legend' }).getByText('gateway', { exact: true }).waitFor();

    // Keyboard only: focus west on the canvas (that selects it), then the palette's Add region.
    await editor.cluster('west').focus();
    await page.getByRole('button', { name: 'Add region' }).focus();
    await page.keyboard.press('Enter');
    await editor.cluster('region-1').waitFor();
    await eventually(async () => assert.deepEqual((await editor.names('gateway link')).sort(), [
      'east and region-1 joined by gateways',
      'east and west joined by gateways',
      'west and region-1 joined by gateways',
    ]));
    await eventually(async () => assert.deepEqual(await editor.names('supercluster'), ['supercluster east + west + region-1 · domain core']));
    assert.equal(await errors(page).textContent(), '0 errors', 'the region keeps the supercluster rules');
    // The inspector shows the new region's gateway, dialing both regions.
    await eventually(async () => assert.deepEqual(
      await editor.inspector.getByRole('list', { name: 'Gateway peers' }).locator('.remote-title span').allTextContents(),
      ['dials gateway east', 'dials gateway west'],
    ));

    // The group follows a moved cluster.
    const before = await groups.locator('rect').boundingBox();
    await editor.dragBy(editor.cluster('region-1').locator('.cluster-header'), 0, 160);
    await eventually(async () => {
      const after = await groups.locator('rect').boundingBox();
      const moved = await editor.cluster('region-1').locator('.cluster-box').boundingBox();
      assert.ok(after.height > before.height + 40, `${JSON.stringify(before)} → ${JSON.stringify(after)}`);
      assert.ok(after.y + after.height >= moved.y + moved.height + 8, 'the outline holds the moved cluster');
    });
    // Undo the move, then the region in one step.
    await page.getByRole('button', { name: 'Undo' }).click();
    await page.getByRole('button', { name: 'Undo' }).click();
    await eventually(async () => assert.equal(await editor.cluster('region-1').count(), 0));
    assert.deepEqual(await editor.names('gateway link'), ['east and west joined by gateways']);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('placement chosen in the inspector from the clusters and tags in reach shows the problem live and changes the exported JSON', async () => {
    const { page, context, problems } = await openDesigner(web.browser, web.site.url);
    const editor = new Editor(page);
    await twoRegions(page);
    await editor.stream('orders-east').click();
    const inspector = editor.inspector;
    const cluster = inspector.getByLabel('Placement cluster');
    assert.equal(await cluster.inputValue(), 'east');
    assert.deepEqual(await cluster.locator('option').allTextContents(), ['(any cluster)', 'east', 'west'], 'the site is out of reach');
    const tags = inspector.getByRole('group', { name: 'Placement tags' });
    assert.deepEqual(await tags.locator('label').allTextContents(), ['region:east', 'region:west']);

    // east with west's tag: no server satisfies it.
    await inspector.getByLabel('Placement tag region:west').check();
    await eventually(async () => assert.equal(await errors(page).textContent(), '1 error'));
    await eventually(async () => assert.match(await inspector.locator('.field-problems').textContent(), /10005/));
    await cluster.selectOption('west');
    await eventually(async () => assert.equal(await errors(page).textContent(), '0 errors'));
    assert.equal(await inspector.locator('.field-problems').count(), 0);

    // The exported stream JSON says what was chosen.
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Export' });
    await dialog.getByRole('navigation', { name: 'Files' }).getByRole('button', { name: 'streams/east.orders-east.json' }).click();
    const preview = dialog.getByRole('region', { name: 'Preview' }).locator('pre');
    await eventually(async () => {
      const json = JSON.parse(await preview.textContent());
      assert.deepEqual(json.placement, { cluster: 'west', tags: ['region:west'] });
    });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    // Cleared: no placement at all.
    await inspector.getByRole('button', { name: 'Clear placement' }).click();
    await eventually(async () => assert.equal(await cluster.inputValue(), ''));
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    await dialog.getByRole('navigation', { name: 'Files' }).getByRole('button', { name: 'streams/east.orders-east.json' }).click();
    await eventually(async () => assert.equal(JSON.parse(await preview.textContent()).placement, undefined));
    await page.keyboard.press('Escape');

    // Hostile server tags are offered as plain text.
    await editor.cluster('west').locator('.cluster-header').click();
    await editor.setField('Server tags', 'region:west, <img src=x onerror="window.owned=1">');
    await editor.stream('orders-east').click();
    await inspector.getByLabel('Placement tag <img src=x onerror="window.owned=1">').check();
    await eventually(async () => assert.match(await tags.textContent(), /<img src=x onerror="window.owned=1">/));
    assert.equal(await page.evaluate(() => window.owned), undefined);
    assert.equal(await inspector.locator('img').count(), 0);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('TLS on a remote shows a lock; a mismatch shows the problem and fixing both sides clears it', async () => {
    const { page, context, problems } = await openDesigner(web.browser, web.site.url);
    const editor = new Editor(page);
    await twoRegions(page);
    const inspector = editor.inspector;
    const link = (account) => editor.canvas.getByRole('group', { name: new RegExp(`^site to east \\(${account}\\)`) });
    assert.equal(await link('APP').locator('.tls-lock').count(), 0, 'no TLS yet');

    await editor.cluster('site').locator('.cluster-header').click();
    await inspector.getByLabel('Dial with TLS (tls block) of remote to east (APP)').check();
    await eventually(async () => assert.equal(await link('APP').getAttribute('aria-label'), 'site to east (APP), TLS mismatch'));
    assert.equal(await link('APP').locator('.tls-lock').count(), 1);
    assert.equal(await link('APP').evaluate((e) => e.classList.contains('tls-mismatch')), true);
    const mismatch = await link('APP').locator('.link-line').evaluate((e) => getComputedStyle(e).stroke);
    const plain = await link('SYS').locator('.link-line').evaluate((e) => getComputedStyle(e).stroke);
    assert.notEqual(mismatch, plain, 'a mismatch is drawn in another colour');
    await eventually(async () => assert.equal(await errors(page).textContent(), '1 error'));
    await eventually(async () => assert.match(await inspector.locator('.field-problems').textContent(), /leafnode listener has no TLS/));
    // Activating the problem in the panel focuses the remote's TLS checkbox.
    await errors(page).click();
    const problem = page.getByRole('region', { name: 'Problems' }).getByRole('listitem')
      .filter({ has: page.getByRole('button', { name: 'Explain rule tls-mismatch' }) });
    await problem.waitFor();
    await editor.canvas.click({ position: { x: 10, y: 10 } });
    await problem.getByRole('button', { name: /site/ }).first().press('Enter');
    await eventually(async () => assert.equal(
      await page.evaluate(() => document.activeElement?.getAttribute('aria-label')),
      'Dial with TLS (tls block) of remote to east (APP)'));
    await page.getByRole('region', { name: 'Problems' }).getByRole('button', { name: 'Problems' }).click();
    await page.getByRole('button', { name: 'Fit' }).click();
    // The tls:// toggle changes the scheme only.
    await inspector.getByLabel('tls:// scheme of remote to east (APP)').check();
    await eventually(async () => assert.match(await inspector.getByLabel('URL of remote to east (APP)').inputValue(), /^tls:\/\//));
    await inspector.getByLabel('Client certificate of remote to east (APP)').fill('/certs/site.pem');
    await inspector.getByLabel('Client certificate of remote to east (APP)').press('Enter');

    // The fix: TLS on east's leafnode listener, and on the site's other remote.
    await editor.cluster('east').locator('.cluster-header').click();
    await inspector.getByLabel('TLS on the leafnode listener').check();
    await inspector.getByLabel('Kubernetes secret of the leafnode listener').fill('east-leaf-tls');
    await inspector.getByLabel('Kubernetes secret of the leafnode listener').press('Enter');
    await eventually(async () => assert.equal(await link('APP').getAttribute('aria-label'), 'site to east (APP), TLS'));
    await eventually(async () => assert.equal(await link('SYS').getAttribute('aria-label'), 'site to east (SYS), TLS mismatch'));
    await editor.cluster('site').locator('.cluster-header').click();
    await eventually(async () => assert.equal(
      await inspector.getByLabel('Client certificate of remote to east (APP)').inputValue(), '/certs/site.pem'));
    await inspector.getByLabel('Dial with TLS (tls block) of remote to east (SYS)').check();
    await eventually(async () => assert.equal(await errors(page).textContent(), '0 errors'));
    for (const account of ['APP', 'SYS']) {
      assert.equal(await link(account).getAttribute('aria-label'), `site to east (${account}), TLS`);
      assert.equal(await link(account).locator('.tls-lock').count(), 1);
      assert.equal(await link(account).evaluate((e) => e.classList.contains('tls-mismatch')), false);
    }
    assert.equal(await inspector.locator('.field-problems').count(), 0);

    // A gateway with TLS on one side only is a mismatch on the gateway link too.
    await editor.cluster('west').locator('.cluster-header').click();
    await inspector.getByLabel('TLS on the gateway listener').check();
    const gateway = editor.shapes('gateway link');
    await eventually(async () => assert.equal(await gateway.getAttribute('aria-label'), 'east and west joined by gateways, TLS mismatch'));
    await editor.cluster('east').locator('.cluster-header').click();
    await inspector.getByLabel('TLS on the gateway listener').check();
    await eventually(async () => assert.equal(await gateway.getAttribute('aria-label'), 'east and west joined by gateways, TLS'));
    await eventually(async () => assert.equal(await errors(page).textContent(), '0 errors'));
    assert.deepEqual(problems, []);
    await context.close();
  });
});
