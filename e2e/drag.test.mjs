// Dragging a cluster: while the drag lasts a copy of the cluster moves by a transform in an
// overlay over the canvas, empty between drags (the canvas' own cluster and its links hidden), and the links with one
// end on it are drawn there bundled (one curve per other cluster, kind and direction); the drop
// routes every link again and is one undo step; Escape puts everything back as it was.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Editor, eventually, openDesigner, useSiteAndBrowser } from './support.mjs';

/** The screen points where each path of `paths` starts and ends (transforms included). */
function pathEnds(paths) {
  return paths.evaluateAll((list) =>
    list.map((path) => {
      const m = path.getScreenCTM();
      const at = (l) => {
        const p = path.getPointAtLength(l);
        return { x: m.a * p.x + m.c * p.y + m.e, y: m.b * p.x + m.d * p.y + m.f };
      };
      return [at(0), at(path.getTotalLength())];
    }),
  );
}

/** The screen boxes of every cluster, as drawn (a drag's transform included). */
function clusterBoxes(editor) {
  return editor.shapes('cluster').locator('.cluster-box').evaluateAll((boxes) =>
    boxes.map((b) => {
      const r = b.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    }),
  );
}

/** Whether `p` lies in `box` grown by `margin` pixels. */
const near = (p, box, margin = 2) =>
  p.x >= box.x - margin && p.x <= box.x + box.width + margin && p.y >= box.y - margin && p.y <= box.y + box.height + margin;

/** What a drag leaves behind when it is over: nothing hidden, copied or previewed. */
async function nothingLeftOfTheDrag(editor) {
  assert.equal(await editor.canvas.locator('.link.stretched').count(), 0, 'no link stays hidden');
  assert.equal(await editor.page.locator('svg.drag-overlay > *').count(), 0, 'the overlay is empty');
  // Cluster groups are placed by a transform at their origin; where they end up is checked by
  // their boxes. Nothing may stay hidden, and links are never moved by a transform.
  assert.equal(await editor.canvas.locator('[visibility], g.links > g[transform]').count(), 0, 'no shape stays hidden or moved');
}

describe('dragging clusters', () => {
  const web = useSiteAndBrowser();

  test('the hub drags with its links bundled; the drop routes them to its new place and is one undo step', async () => {
    const { page, context, problems } = await openDesigner(web.browser, `${web.site.url}?generated=12x60`);
    const editor = new Editor(page);
    const hub = editor.cluster('hub');
    const header = hub.locator('.cluster-header');
    await header.waitFor();
    const before = await hub.locator('.cluster-box').boundingBox();
    const links = editor.canvas.locator('g.links > g:not(.dangling)');
    const total = await links.count();
    const clusters = await editor.shapes('cluster').count();
    assert.ok(total > 20, `the design has links: ${total}`);

    // The overlay stays beside the canvas between drags: adding or removing an element there
    // would lay the whole canvas out again when a drag starts and ends.
    const areaBefore = await editor.canvas.evaluateHandle((svg) => [...svg.parentElement.children]);
    const head = await header.boundingBox();
    const from = { x: head.x + 20, y: head.y + head.height / 2 };
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(from.x + 60, from.y + 40, { steps: 4 });
    await page.mouse.move(from.x + 120, from.y + 80, { steps: 4 });
    // During the drag: a copy of the hub is drawn moved in the overlay, the hub itself hidden;
    // the links with an end on it are hidden and drawn as fewer curves, each from the moved hub
    // to another cluster. The copy is a picture: no second cluster for roles or the keyboard.
    const copy = page.locator('svg.drag-overlay .drag-moved .cluster-box');
    await eventually(async () => {
      const now = await copy.boundingBox();
      assert.ok(now && Math.abs(now.x - before.x - 120) < 2 && Math.abs(now.y - before.y - 80) < 2, `hub follows: ${JSON.stringify([before, now])}`);
    });
    assert.equal(await editor.canvas.locator('g.clusters > g[visibility="hidden"]').getAttribute('aria-label'), 'hub', 'the hub itself is hidden');
    assert.equal(await editor.shapes('cluster').count(), clusters, 'the copy is no cluster of its own');
    assert.equal(await page.locator('svg.drag-overlay [tabindex], svg.drag-overlay [role]').count(), 0);
    const hidden = await editor.canvas.locator('.link.stretched').count();
    const curves = page.locator('svg.drag-overlay > .drag-preview path');
    const bundles = await curves.count();
    assert.ok(hidden > 0 && bundles > 0 && bundles < hidden, `${hidden} links drawn as ${bundles} curves`);
    assert.ok(await editor.canvas.evaluate((svg, before) => {
      const now = [...svg.parentElement.children];
      return now.length === before.length && now.every((e, i) => e === before[i]);
    }, areaBefore), 'the drag added nothing beside the canvas');
    const moved = await copy.boundingBox();
    const boxes = [...(await clusterBoxes(editor)), moved];
    for (const [a, b] of await pathEnds(curves)) {
      const onHub = [a, b].filter((p) => near(p, moved)).length;
      assert.equal(onHub, 1, `a curve has one end on the moved hub: ${JSON.stringify([a, b, moved])}`);
      assert.ok([a, b].every((p) => boxes.some((box) => near(p, box))), `both ends on clusters: ${JSON.stringify([a, b])}`);
    }
    await page.mouse.up();

    // After the drop every link is drawn again, each end on a cluster, and as many end on the
    // hub where it is now as ended on it before.
    await eventually(() => nothingLeftOfTheDrag(editor));
    assert.ok(await editor.canvas.evaluate((svg, before) => {
      const now = [...svg.parentElement.children];
      return now.length === before.length && now.every((e, i) => e === before[i]);
    }, areaBefore), 'the drop removed nothing beside the canvas');
    const after = await hub.locator('.cluster-box').boundingBox();
    assert.ok(after.x > before.x + 60 && after.y > before.y + 40, `the hub stays moved: ${JSON.stringify([before, after])}`);
    await eventually(async () => {
      const ends = await pathEnds(links.locator('path.link-line'));
      assert.equal(ends.length, total, 'every link drawn');
      const placed = await clusterBoxes(editor);
      for (const [a, b] of ends) {
        assert.ok([a, b].every((p) => placed.some((box) => near(p, box))), `a link ends on clusters: ${JSON.stringify([a, b])}`);
      }
      const onHub = ends.filter(([a, b]) => near(a, after) || near(b, after)).length;
      assert.ok(onHub >= hidden, `${onHub} links end on the moved hub, ${hidden} were bundled`);
    });

    // One undo step puts the hub back.
    await page.getByRole('button', { name: 'Undo' }).click();
    await eventually(async () => {
      const back = await hub.locator('.cluster-box').boundingBox();
      assert.ok(Math.abs(back.x - before.x) < 1 && Math.abs(back.y - before.y) < 1, `undone: ${JSON.stringify([before, back])}`);
    });
    assert.equal(await page.getByRole('button', { name: 'Undo' }).isDisabled(), true, 'the drag was one step');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('Escape during a drag puts the cluster and its links back, nothing hidden', async () => {
    const { page, context, problems } = await openDesigner(web.browser, `${web.site.url}?generated=12x60`);
    const editor = new Editor(page);
    const spoke = editor.cluster('spoke-3');
    const header = spoke.locator('.cluster-header');
    await header.waitFor();
    const before = await spoke.locator('.cluster-box').boundingBox();
    const head = await header.boundingBox();
    const from = { x: head.x + 20, y: head.y + head.height / 2 };
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(from.x + 90, from.y + 50, { steps: 6 });
    await eventually(async () => assert.ok((await editor.canvas.locator('.link.stretched').count()) > 0, 'links bundled'));
    await editor.canvas.press('Escape');
    await eventually(() => nothingLeftOfTheDrag(editor));
    // The release after Escape moves nothing either.
    await page.mouse.move(from.x + 100, from.y + 60);
    await page.mouse.up();
    const after = await spoke.locator('.cluster-box').boundingBox();
    assert.ok(Math.abs(after.x - before.x) < 1 && Math.abs(after.y - before.y) < 1, `back in place: ${JSON.stringify([before, after])}`);
    await nothingLeftOfTheDrag(editor);
    assert.equal(await page.getByRole('button', { name: 'Undo' }).isDisabled(), true, 'nothing to undo');
    assert.deepEqual(problems, []);
    await context.close();
  });
});
