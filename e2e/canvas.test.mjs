// The canvas on large designs: the minimap (shown for large designs, toggled by its button,
// moving the view by click, drag and keys), and links that bend around clusters in their way.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Editor, eventually, openDesigner, useSiteAndBrowser } from './support.mjs';

/** The canvas' viewBox as numbers: the world rectangle the view shows. */
async function viewBox(editor) {
  return (await editor.canvas.getAttribute('viewBox')).split(' ').map(Number);
}

/**
 * How many of `samples` points spread along each path of `links` lie inside `box` (world
 * units, edges excluded), per link: what a person sees as a line crossing the box.
 */
async function pointsInside(links, box, samples = 200) {
  return links.locator('path.link-line').evaluateAll(
    (paths, [b, n]) =>
      paths.map((path) => {
        const length = path.getTotalLength();
        let inside = 0;
        for (let i = 0; i <= n; i++) {
          const p = path.getPointAtLength((length * i) / n);
          if (p.x > b.x && p.x < b.x + b.width && p.y > b.y && p.y < b.y + b.height) inside++;
        }
        return inside;
      }),
    [box, samples],
  );
}

/** A cluster's box in world units, as drawn: its box in the cluster's group, moved by the group's transform. */
async function worldBox(cluster) {
  return cluster.locator('.cluster-box').evaluate((r) => {
    const b = r.getBBox();
    const m = r.parentNode.transform.baseVal.consolidate()?.matrix ?? { e: 0, f: 0 };
    return { x: b.x + m.e, y: b.y + m.f, width: b.width, height: b.height };
  });
}

describe('canvas', () => {
  const web = useSiteAndBrowser();

  test('the wheel and a trackpad pinch zoom at the pointer; two fingers pinch and pan on a touch screen', async () => {
    const { page, context, problems } = await openDesigner(web.browser, web.site.url);
    const editor = new Editor(page);
    const canvas = await editor.canvasBox();
    const zoomOf = async () => canvas.width / (await viewBox(editor))[2];
    /** The world point under a canvas point, from the viewBox. */
    const worldAt = async (x, y) => {
      const [vx, vy, vw] = await viewBox(editor);
      const k = vw / canvas.width;
      return [vx + x * k, vy + y * k];
    };
    const near = (a, b) => Math.abs(a[0] - b[0]) < 2 && Math.abs(a[1] - b[1]) < 2;

    // A mouse notch zooms in by about one button step, keeping the point under the pointer.
    const at = [300, 250];
    const under = await worldAt(...at);
    const z0 = await zoomOf();
    await page.mouse.move(canvas.x + at[0], canvas.y + at[1]);
    await page.mouse.wheel(0, -100);
    await eventually(async () => assert.ok((await zoomOf()) > z0 * 1.15, 'zoomed in'));
    assert.ok((await zoomOf()) < z0 * 1.3, 'by about one step');
    assert.ok(near(await worldAt(...at), under), 'the point under the pointer stays');

    // A trackpad pinch (Ctrl+wheel, small deltas) zooms a little per event, not a whole step.
    const z1 = await zoomOf();
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, 5);
    await page.keyboard.up('Control');
    await eventually(async () => assert.ok((await zoomOf()) < z1 * 0.98, 'zoomed out a little'));
    assert.ok((await zoomOf()) > z1 * 0.9);

    // Two fingers: spread from 100 px to 200 px apart while their midpoint moves 20 px right.
    const z2 = await zoomOf();
    const between = await worldAt(350, 300);
    await page.evaluate(([cx, cy]) => {
      const fire = (type, id, x, y) => {
        const target = document.elementFromPoint(cx + x, cy + y);
        target.dispatchEvent(new PointerEvent(type, {
          pointerId: id, pointerType: 'touch', isPrimary: id === 1, clientX: cx + x, clientY: cy + y,
          button: 0, buttons: type === 'pointerup' ? 0 : 1, bubbles: true, cancelable: true, composed: true,
        }));
      };
      fire('pointerdown', 1, 300, 300);
      fire('pointerdown', 2, 400, 300);
      for (let i = 1; i <= 5; i++) {
        fire('pointermove', 1, 300 - 6 * i, 300);
        fire('pointermove', 2, 400 + 14 * i, 300);
      }
      fire('pointerup', 2, 470, 300);
      fire('pointerup', 1, 270, 300);
    }, [canvas.x, canvas.y]);
    await eventually(async () => assert.ok(Math.abs((await zoomOf()) / z2 - 2) < 0.02, `zoom doubled: ${z2} -> ${await zoomOf()}`));
    assert.ok(near(await worldAt(370, 300), between), 'the point between the fingers followed them');
    // Viewing is not editing: nothing moved, nothing to undo.
    assert.equal(await page.getByRole('button', { name: 'Undo' }).isDisabled(), true);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('a large design shows the minimap; clicking, dragging and arrow keys in it move the view', async () => {
    const { page, context, problems } = await openDesigner(web.browser, `${web.site.url}?generated=50x1000`);
    const editor = new Editor(page);
    const minimap = page.getByRole('figure', { name: 'Minimap' });
    await minimap.waitFor();
    assert.equal(await page.getByRole('button', { name: 'Minimap' }).getAttribute('aria-pressed'), 'true');
    const hub = editor.cluster('hub').locator('.cluster-box');
    await eventually(async () => assert.ok(await hub.boundingBox(), 'the hub is drawn'));

    // Click near the minimap's top-left corner: the view moves up and left, so the hub moves
    // down and right on the screen, and the minimap's frame follows.
    const frame = minimap.locator('.minimap-frame');
    const [view, hubAt, frameAt] = [await viewBox(editor), await hub.boundingBox(), await frame.boundingBox()];
    const map = await minimap.locator('svg').boundingBox();
    await page.mouse.click(map.x + 25, map.y + 20);
    await eventually(async () => {
      const moved = await viewBox(editor);
      assert.ok(moved[0] < view[0] && moved[1] < view[1], `view moved up-left: ${view} -> ${moved}`);
      assert.equal(moved[2], view[2], 'same zoom');
    });
    const hubNow = await hub.boundingBox();
    assert.ok(hubNow.x > hubAt.x + 50 && hubNow.y > hubAt.y + 50, `hub moved on screen: ${JSON.stringify([hubAt, hubNow])}`);
    const frameNow = await frame.boundingBox();
    assert.ok(frameNow.x < frameAt.x && frameNow.y < frameAt.y, 'the frame follows the view');

    // Dragging in the minimap keeps moving the view with the pointer.
    const clicked = await viewBox(editor);
    await page.mouse.move(map.x + 25, map.y + 20);
    await page.mouse.down();
    await page.mouse.move(map.x + map.width - 25, map.y + map.height - 20, { steps: 5 });
    await page.mouse.up();
    await eventually(async () => {
      const dragged = await viewBox(editor);
      assert.ok(dragged[0] > clicked[0] && dragged[1] > clicked[1], `view followed the drag: ${clicked} -> ${dragged}`);
    });

    // Keyboard: focused, the minimap moves the view with the arrows (and not the selection).
    const keyed = await viewBox(editor);
    await minimap.focus();
    await page.keyboard.press('ArrowLeft');
    await eventually(async () => assert.ok((await viewBox(editor))[0] < keyed[0], 'ArrowLeft moves the view left'));
    assert.equal(await editor.canvas.locator('[aria-selected="true"]').count(), 0, 'nothing selected or moved');

    assert.deepEqual(problems, [], 'no console errors');
    await context.close();
  });

  test('dragging a cluster moves its box on the minimap', async () => {
    const { page, context } = await openDesigner(web.browser, `${web.site.url}?generated=12x60`);
    const editor = new Editor(page);
    const minimap = page.getByRole('figure', { name: 'Minimap' });
    await minimap.waitFor();
    const spoke = editor.cluster('spoke-3');
    const id = await spoke.getAttribute('data-id');
    const onMap = minimap.locator(`.minimap-cluster[data-id="${id}"]`);
    const before = await onMap.boundingBox();
    await editor.dragBy(spoke.locator('.cluster-header'), 120, 0, { at: { x: 20, y: 8 } });
    await eventually(async () => {
      const after = await onMap.boundingBox();
      assert.ok(after.x > before.x + 2, `moved right on the minimap: ${before.x} -> ${after.x}`);
    });
    await context.close();
  });

  test('the minimap is off for a small design and its button shows and hides it', async () => {
    const { page, context, problems } = await openDesigner(web.browser, web.site.url);
    const toggle = page.getByRole('button', { name: 'Minimap' });
    const minimap = page.getByRole('figure', { name: 'Minimap' });
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
    assert.equal(await minimap.count(), 0);
    await toggle.click();
    await minimap.waitFor();
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
    assert.equal(await minimap.locator('.minimap-cluster').count(), 3, 'one box per cluster');
    await toggle.click();
    await minimap.waitFor({ state: 'detached' });
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('a leafnode bends around a cluster in its way, and runs straight again once it moves away', async () => {
    const { page, context, problems } = await openDesigner(web.browser, web.site.url);
    const editor = new Editor(page);
    await editor.canvas.click({ position: { x: 20, y: 20 } });
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Delete');
    await eventually(async () => assert.equal(await editor.shapes('cluster').count(), 0, 'everything deleted'));

    // A hub on the left, a spoke on the right, another spoke in between on the same row.
    await editor.dropFromPalette('Add hub', 40, 160);
    await editor.dropFromPalette('Add spoke', 340, 140);
    await editor.dropFromPalette('Add spoke', 640, 160);
    await eventually(async () => assert.deepEqual((await editor.names('cluster')).sort(), ['hub-1', 'spoke-1', 'spoke-2']));
    await editor.connect(editor.cluster('spoke-2'), editor.cluster('hub-1').locator('.cluster-header'));
    const leafnodes = editor.shapes('leafnode link');
    await eventually(async () => assert.ok((await leafnodes.count()) > 0, 'connected'));
    assert.ok((await editor.names('leafnode link')).every((n) => n.startsWith('spoke-2 to hub-1')));

    // The direct line would run through spoke-1; the drawn one goes round it.
    const middle = await worldBox(editor.cluster('spoke-1'));
    const hub = await worldBox(editor.cluster('hub-1'));
    assert.ok(middle.y < hub.y + hub.height / 2 && middle.y + middle.height > hub.y + hub.height / 2, 'spoke-1 is in the way');
    await eventually(async () => assert.deepEqual(new Set(await pointsInside(leafnodes, middle)), new Set([0])));
    const bent = await leafnodes.locator('path.link-line').first().getAttribute('d');
    assert.ok((bent.match(/[LC]/g) ?? []).length > 1, `bends: ${bent}`);

    // Out of the way, the link is one straight line again.
    await editor.dragBy(editor.cluster('spoke-1').locator('.cluster-header'), 0, 300, { at: { x: 20, y: 8 } });
    await eventually(async () => {
      const d = await leafnodes.locator('path.link-line').first().getAttribute('d');
      assert.match(d, /^M[-\d.]+ [-\d.]+ L[-\d.]+ [-\d.]+$/, `straight: ${d}`);
    });

    assert.deepEqual(problems, [], 'no console errors');
    await context.close();
  });
});
