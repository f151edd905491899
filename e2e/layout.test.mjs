// The page's layout as operators use it (issue 21): the problems panel never breaks the page,
// the canvas follows its box, Fit and the first view fit what is drawn clear of the overlays,
// search, the "New" dialog by keyboard, drops from the palette, the design's name, the theme,
// notices, the export list, and phones.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Editor, eventually, openDesigner, useSiteAndBrowser } from './support.mjs';

/** The canvas' viewBox as numbers: the world rectangle the view shows. */
async function viewBox(editor) {
  return (await editor.canvas.getAttribute('viewBox')).split(' ').map(Number);
}

/** The zoom shapes are really drawn at: screen pixels of the canvas per world unit. */
async function drawnZoom(editor) {
  const box = await editor.canvasBox();
  const [, , w, h] = await viewBox(editor);
  return Math.min(box.width / w, box.height / h);
}

/** The zoom the view controls say, as a fraction. */
async function labelledZoom(page) {
  const text = await page.getByRole('toolbar', { name: 'View' }).getByLabel('Zoom level').textContent();
  return Number(text.replace('%', '')) / 100;
}

/** Checks that the label tells the zoom shapes are drawn at (to its rounding). */
async function zoomIsTruthful(page, editor, what) {
  await eventually(async () => {
    const [drawn, said] = [await drawnZoom(editor), await labelledZoom(page)];
    assert.ok(Math.abs(drawn - said) <= 0.006 + said * 0.01, `${what}: label ${said}, drawn at ${drawn}`);
  });
}

/** Page boxes (client rectangles) of every element matching `selector`. */
async function boxes(page, selector) {
  return page.locator(selector).evaluateAll((els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height, name: e.closest('[aria-label]')?.getAttribute('aria-label') };
    }).filter((r) => r.width > 0 && r.height > 0),
  );
}

const inside = (a, b, slack = 0.5) =>
  a.x >= b.x - slack && a.y >= b.y - slack && a.x + a.width <= b.x + b.width + slack && a.y + a.height <= b.y + b.height + slack;
const overlap = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Every cluster card is inside the canvas and under none of the overlays. */
async function clustersClearOfOverlays(page, editor) {
  const canvas = await editor.canvasBox();
  const cards = await boxes(page, '.cluster > .cluster-box');
  const overlays = await boxes(page, '.canvas-area .legend, .canvas-area .view-controls, .canvas-area .minimap-dock > *, .canvas-area .banner');
  assert.ok(cards.length > 0, 'cards are drawn');
  for (const card of cards) {
    assert.ok(inside(card, canvas), `${card.name} is inside the canvas: ${JSON.stringify(card)} in ${JSON.stringify(canvas)}`);
    for (const o of overlays) assert.ok(!overlap(card, o), `${card.name} is not under an overlay ${JSON.stringify(o)}`);
  }
}

/** The page never scrolls sideways. */
async function noSidewaysScroll(page) {
  const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(scroll <= width, `the page is ${scroll} px wide in a ${width} px window`);
}

describe('layout', () => {
  const web = useSiteAndBrowser();

  test('a long problem stays inside the panel; the canvas re-measures, the zoom label stays true and Fit corrects', async () => {
    const { page, context, problems } = await openDesigner(web.browser, web.site.url, { viewport: { width: 1280, height: 720 } });
    const editor = new Editor(page);
    await editor.stream('sales').click();
    const long = `sales-${'very-long-name-'.repeat(24)}end`;
    await editor.setField('Name', long);
    await editor.setField('Replicas', 7);
    await page.getByRole('group', { name: 'Problem counts' }).getByRole('button').first().click();
    const panel = page.getByRole('region', { name: 'Problems' });
    const row = panel.locator('.problem-main').filter({ hasText: 'very-long-name' }).first();
    await row.waitFor();

    await noSidewaysScroll(page);
    // Nor does the panel scroll sideways: every row ends inside it, its message shown in part.
    const body = panel.locator('.problems-body');
    assert.equal(await body.evaluate((e) => e.scrollWidth <= e.clientWidth), true, 'the panel does not scroll sideways');
    const [rowBox, panelBox] = [await row.boundingBox(), await panel.boundingBox()];
    assert.ok(rowBox.x >= panelBox.x && rowBox.x + rowBox.width <= panelBox.x + panelBox.width + 0.5, 'the row is inside the panel');
    assert.ok((await row.locator('.message').boundingBox())?.width > 40, 'the message is shown beside the name');
    const inspector = await editor.inspector.boundingBox();
    assert.ok(inspector.x + inspector.width <= 1280.5, 'the inspector stays on screen');
    for (const name of ['Undo', 'Fit']) {
      const b = await page.getByRole('button', { name, exact: true }).boundingBox();
      assert.ok(b.x + b.width <= 1280.5, `${name} stays on screen`);
    }
    const canvas = await editor.canvasBox();
    assert.ok(canvas.height > 300, `the canvas keeps its height: ${canvas.height}`);
    await zoomIsTruthful(page, editor, 'with the panel open');

    // The whole text is there on hover, wrapped inside the row, and the full text is its tooltip.
    await row.hover();
    assert.match(await row.getAttribute('title'), /very-long-name-very-long-name.*end/);
    const wrapped = await row.evaluate((el) => [...el.querySelectorAll('span:not(.sr-only)')].every((s) => s.scrollWidth <= s.clientWidth + 1));
    assert.ok(wrapped, 'nothing of the focused problem is cut off');
    await noSidewaysScroll(page);

    // The panel's height is the user's, within bounds: the arrows on its edge change it, and
    // the canvas follows without a window resize.
    const separator = page.getByRole('separator', { name: 'Problems panel height' });
    const before = (await panel.boundingBox()).height;
    await separator.focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowUp');
    await eventually(async () => assert.equal((await panel.boundingBox()).height, before + 72));
    await eventually(async () => assert.ok(Math.abs((await editor.canvasBox()).height - (canvas.height - 72)) < 1.5));
    await zoomIsTruthful(page, editor, 'after resizing the panel');
    // Dragging the edge with the mouse resizes it too.
    const edge = await separator.boundingBox();
    await page.mouse.move(edge.x + 200, edge.y + edge.height / 2);
    await page.mouse.down();
    await page.mouse.move(edge.x + 200, edge.y + edge.height / 2 - 30, { steps: 3 });
    await page.mouse.up();
    await eventually(async () => assert.equal((await panel.boundingBox()).height, before + 102));
    await zoomIsTruthful(page, editor, 'after dragging the panel edge');
    await page.keyboard.press('End');
    const tallest = (await panel.boundingBox()).height;
    assert.ok(tallest < 720 * 0.75, `the panel's height is bounded: ${tallest}`);
    assert.ok((await editor.canvasBox()).height > 100, 'the canvas keeps some room');

    // Fit fits the canvas as it is now; closing the panel keeps the label true.
    await page.getByRole('button', { name: 'Fit' }).click();
    await zoomIsTruthful(page, editor, 'after Fit');
    await clustersClearOfOverlays(page, editor);
    await panel.getByRole('button', { name: 'Problems' }).click();
    await zoomIsTruthful(page, editor, 'after closing the panel');
    await clustersClearOfOverlays(page, editor);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('the first view at 1280x720 is fitted clear of the legend, the zoom bar and the minimap', async () => {
    for (const url of [web.site.url, `${web.site.url}?generated=8x24`]) {
      const { page, context, problems } = await openDesigner(web.browser, url, { viewport: { width: 1280, height: 720 } });
      const editor = new Editor(page);
      await eventually(() => clustersClearOfOverlays(page, editor));
      await zoomIsTruthful(page, editor, url);
      assert.deepEqual(problems, []);
      await context.close();
    }
  });

  test('Fit shows every cluster of 50 clusters and 1,000 streams; the minimap is there to move about', async () => {
    const { page, context, problems } = await openDesigner(web.browser, `${web.site.url}?generated=50x1000`);
    const editor = new Editor(page);
    await page.getByRole('figure', { name: 'Minimap' }).waitFor();
    await eventually(async () => assert.equal((await boxes(page, '.cluster > .cluster-box')).length, 50));
    await eventually(() => clustersClearOfOverlays(page, editor));
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await page.getByRole('button', { name: 'Fit' }).click();
    await eventually(() => clustersClearOfOverlays(page, editor));
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('search (/ or Ctrl+K) filters clusters, streams and accounts; Enter selects and shows the hit at a readable size', async () => {
    const { page, context, problems } = await openDesigner(web.browser, `${web.site.url}?generated=50x1000`);
    const editor = new Editor(page);
    await page.getByRole('figure', { name: 'Minimap' }).waitFor();
    await editor.canvas.focus();
    await page.keyboard.press('/');
    const dialog = page.getByRole('dialog', { name: 'Search' });
    const box = dialog.getByRole('combobox', { name: 'Search clusters, streams and accounts' });
    await eventually(async () => assert.equal(await box.evaluate((e) => e === document.activeElement), true));
    const options = dialog.getByRole('option');
    await page.keyboard.type('orders-7');
    await eventually(async () => assert.ok((await options.count()) > 1));
    const many = await options.count();
    await page.keyboard.type('77');
    await eventually(async () => assert.ok((await options.count()) < many, 'typing more narrows the list'));
    assert.match(await options.first().textContent(), /orders-777/);
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });

    const stream = editor.stream('orders-777');
    await eventually(async () => assert.equal(await stream.getAttribute('aria-selected'), 'true'));
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), 'orders-777', 'the keyboard is on the hit');
    assert.ok((await drawnZoom(editor)) >= 0.74, `readable: ${await drawnZoom(editor)}`);
    const [s, c] = [await stream.locator('.stream-box').boundingBox(), await editor.canvasBox()];
    assert.ok(inside(s, c), 'the stream is in view');
    await zoomIsTruthful(page, editor, 'after search');

    // Ctrl+K opens it too; an account is found in its cluster, the arrows move through hits.
    await page.keyboard.press('Control+k');
    await box.waitFor();
    await page.keyboard.type('SYS');
    await eventually(async () => assert.equal(await options.count(), 50));
    assert.match(await dialog.getByRole('status').textContent(), /first 50 of 50|50 matches/);
    await page.keyboard.press('ArrowDown');
    assert.equal(await options.nth(1).getAttribute('aria-selected'), 'true');
    const second = await options.nth(1).locator('.hit-context').textContent();
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    const cluster = second.replace(/^in /, '');
    await eventually(async () => assert.equal(await editor.cluster(cluster).getAttribute('aria-selected'), 'true'));
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('search shows hostile names as plain text', async () => {
    const { page, context, problems } = await openDesigner(web.browser, web.site.url);
    const editor = new Editor(page);
    await editor.stream('sales').click();
    const hostile = '<img src=x onerror=alert(1)>$(rm -rf ~)"; drop';
    await editor.setField('Name', hostile);
    await page.getByRole('button', { name: 'Search' }).click();
    const dialog = page.getByRole('dialog', { name: 'Search' });
    await dialog.getByRole('combobox').fill('onerror');
    const option = dialog.getByRole('option');
    await eventually(async () => assert.equal(await option.count(), 1));
    assert.equal(await option.locator('.hit-name').textContent(), hostile);
    assert.equal(await dialog.locator('img').count(), 0);
    await option.click();
    await dialog.waitFor({ state: 'detached' });
    await eventually(async () => assert.equal(await editor.stream(hostile).getAttribute('aria-selected'), 'true'));
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('"New" by keyboard: focus never changes the choice, Enter confirms, then the canvas has the focus', async () => {
    const { page, context, problems } = await openDesigner(web.browser, web.site.url);
    const editor = new Editor(page);
    const dialog = page.getByRole('dialog', { name: 'New design' });
    const focused = () => page.evaluate(() => document.activeElement.getAttribute('aria-label') ?? document.activeElement.closest('label')?.textContent ?? document.activeElement.textContent);

    // Space picks "Empty", Enter on the radio creates it.
    await page.getByRole('button', { name: 'New' }).focus();
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await page.keyboard.press('Space');
    assert.equal(await dialog.getByRole('radio', { name: /Empty/ }).isChecked(), true, `Space on ${await focused()}`);
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await eventually(async () => assert.equal(await editor.shapes('cluster').count(), 0));
    await eventually(async () => assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), 'Topology canvas'));

    // Choose the guide's topology with the arrows, then Tab through the Spokes field: the choice stays.
    await page.getByRole('button', { name: 'New' }).focus();
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowDown');
    const guide = dialog.getByRole('radio', { name: /Hub and two cinemas/ });
    assert.equal(await guide.isChecked(), true);
    const spokes = dialog.getByRole('spinbutton', { name: 'Spokes' });
    await page.keyboard.press('Tab');
    assert.equal(await spokes.evaluate((e) => e === document.activeElement), true, `Tab went to ${await focused()}`);
    assert.equal(await guide.isChecked(), true, 'focusing Spokes keeps the choice');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Shift+Tab');
    assert.equal(await guide.isChecked(), true, 'passing through Spokes keeps the choice');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await eventually(async () => assert.deepEqual((await editor.names('cluster')).sort(), ['headquarter', 'spoke-1', 'spoke-2']));
    await eventually(async () => assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), 'Topology canvas'));

    // Typing a number in Spokes does choose that template.
    await page.getByRole('button', { name: 'New' }).click();
    await spokes.fill('2');
    assert.equal(await dialog.getByRole('radio', { name: /Hub with spokes/ }).isChecked(), true);
    await spokes.press('Enter');
    await eventually(async () => assert.deepEqual((await editor.names('cluster')).sort(), ['hub', 'spoke-1', 'spoke-2']));
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('a palette drop lands centred on the pointer, inside the view, with a ghost while dragging', async () => {
    const { page, context, problems } = await openDesigner(web.browser, web.site.url);
    const editor = new Editor(page);
    const canvas = await editor.canvasBox();
    const zoom = await drawnZoom(editor);

    // While a spoke is dragged over the canvas, a ghost of its card is centred on the pointer.
    const at = { x: canvas.x + 250, y: canvas.y + 120 };
    await page.evaluate(([x, y]) => {
      const data = new DataTransfer();
      data.setData('application/x-nats-topology-shape', 'spoke');
      data.setData('application/x-nats-topology-kind-spoke', 'spoke');
      const svg = document.querySelector('svg.canvas');
      svg.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, clientX: x, clientY: y, bubbles: true, cancelable: true }));
    }, [at.x, at.y]);
    const ghost = page.locator('.drop-ghost');
    await ghost.waitFor();
    const g = await ghost.boundingBox();
    const slack = 12 * zoom + 1; // snapping to the 24-unit grid moves it by up to half a step
    assert.ok(Math.abs(g.x + g.width / 2 - at.x) <= slack && Math.abs(g.y + g.height / 2 - at.y) <= slack, `ghost ${JSON.stringify(g)} at ${JSON.stringify(at)}`);
    await page.evaluate(() => document.querySelector('svg.canvas').dispatchEvent(new DragEvent('dragleave', { bubbles: true })));
    await ghost.waitFor({ state: 'detached' });

    const before = await editor.names('cluster');
    const added = async () => {
      let name;
      await eventually(async () => {
        name = (await editor.names('cluster')).find((n) => !before.includes(n));
        assert.ok(name, 'a cluster was added');
      });
      before.push(name);
      return editor.cluster(name).locator('.cluster-box').boundingBox();
    };
    // A drop in open space: the card's centre is where the pointer was.
    await editor.dropFromPalette('Add spoke', 250, 120);
    const card = await added();
    assert.ok(Math.abs(card.x + card.width / 2 - at.x) <= slack && Math.abs(card.y + card.height / 2 - at.y) <= slack, `card ${JSON.stringify(card)} at ${JSON.stringify(at)}`);
    // A drop at the very edge: the card stays whole inside the view.
    await editor.dropFromPalette('Add hub', canvas.width - 4, 30);
    const edge = await added();
    assert.ok(inside(edge, canvas), `inside the view: ${JSON.stringify(edge)} in ${JSON.stringify(canvas)}`);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('the design name is editable, hostile text stays text, and downloads are named after it', async () => {
    const { page, context, problems } = await openDesigner(web.browser, web.site.url);
    const name = page.getByRole('textbox', { name: 'Design name' });
    assert.equal(await name.inputValue(), 'cinemas');
    const hostile = '$(rm -rf ~) "; drop <script>alert(1)</script>';
    await name.fill(hostile);
    await name.press('Enter');
    await eventually(async () => assert.equal(await page.getByRole('button', { name: 'Undo' }).isDisabled(), false));
    assert.equal(await page.locator('script', { hasText: 'alert(1)' }).count(), 0);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Save' }).click();
    const file = (await download).suggestedFilename();
    assert.ok(!file.startsWith('untitled') && /rm_-rf/.test(file) && file.endsWith('.json'), file);
    // Renaming is one undo step.
    await page.getByRole('button', { name: 'Undo' }).click();
    await eventually(async () => assert.equal(await name.inputValue(), 'cinemas'));
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('the theme chosen with the button is remembered across reloads', async () => {
    const { page, context, problems } = await openDesigner(web.browser, web.site.url, { colorScheme: 'light' });
    const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
    await page.getByRole('button', { name: 'Dark theme' }).click();
    assert.equal(await theme(), 'dark');
    await page.reload();
    await page.getByRole('button', { name: 'Light theme' }).waitFor();
    assert.equal(await theme(), 'dark');
    await page.getByRole('button', { name: 'Light theme' }).click();
    await page.reload();
    await page.getByRole('button', { name: 'Dark theme' }).waitFor();
    assert.equal(await theme(), 'light');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('focus on a shape is a ring that follows its rounded corners, not a rectangle', async () => {
    const { page, context } = await openDesigner(web.browser, web.site.url);
    const editor = new Editor(page);
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('Tab');
      if ((await page.evaluate(() => document.activeElement.getAttribute('aria-roledescription'))) === 'cluster') break;
    }
    const style = await page.evaluate(() => {
      const g = document.activeElement;
      const box = g.querySelector('.cluster-box');
      return { outline: getComputedStyle(g).outlineStyle, filter: getComputedStyle(box).filter, rx: box.getAttribute('rx') };
    });
    assert.equal(style.outline, 'none', 'no rectangular outline around the group');
    // --focus is #f59e0b: the ring is drawn from the rounded box itself, in the focus colour.
    assert.match(style.filter, /drop-shadow\(rgb\(245, 158, 11\)/, style.filter);
    assert.ok(Number(style.rx) > 0);
    // The canvas itself shows a ring when it has the focus.
    await editor.canvas.focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    assert.notEqual(await editor.canvas.evaluate((e) => getComputedStyle(e).outlineStyle), 'none');
    await context.close();
  });

  test('a notice is placed where it covers no shape', async () => {
    // A hub with 40 streams fills the view's height: a notice at the top would cover it.
    const { page, context, problems } = await openDesigner(web.browser, `${web.site.url}?generated=2x40`, { viewport: { width: 1280, height: 720 } });
    const editor = new Editor(page);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Save' }).click();
    const path = await (await download).path();
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Open' }).click();
    await (await chooser).setFiles(path);
    await page.getByRole('status').filter({ hasText: /^Opened/ }).first().waitFor();
    await eventually(() => clustersClearOfOverlays(page, editor));
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('the export list shows server file names whole', async () => {
    const { page, context, problems } = await openDesigner(web.browser, web.site.url, { viewport: { width: 1280, height: 720 } });
    const editor = new Editor(page);
    await editor.cluster('headquarter').locator('.cluster-header').click();
    await editor.setField('Name', 'headquarter-frankfurt-eu-central-1-production');
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    const files = page.getByRole('navigation', { name: 'Files' }).getByRole('button');
    await files.first().waitFor();
    const names = await files.allTextContents();
    assert.ok(names.some((t) => /^server\/headquarter-frankfurt-eu-central-1-production\/.*nats-0\.conf$/.test(t)), names.join(', '));
    const cut = await files.evaluateAll((els) => els.filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent));
    assert.deepEqual(cut, [], 'no file name is cut off');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('on a 390x844 phone: no sideways scroll, a full-width canvas, the inspector as a sheet to edit a stream', async () => {
    const context = await web.browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
    const page = await context.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    await page.goto(web.site.url);
    const editor = new Editor(page);
    await editor.canvas.waitFor();
    await noSidewaysScroll(page);
    const canvas = await editor.canvasBox();
    assert.ok(canvas.x <= 0.5 && canvas.width >= 389, `the canvas is full width: ${JSON.stringify(canvas)}`);
    assert.ok(canvas.height > 400, `and tall: ${canvas.height}`);
    assert.equal(await editor.inspector.isVisible(), false, 'no inspector while nothing is selected');
    await eventually(() => clustersClearOfOverlays(page, editor));

    // One finger on the background still pans.
    const [x0, y0] = await viewBox(editor);
    await page.evaluate(([cx, cy, w, h]) => {
      // A free spot of the background, away from the cards and the overlays.
      let start;
      for (let y = 60; y < h - 120 && !start; y += 20) {
        for (let x = 20; x < w - 80 && !start; x += 20) {
          if (document.elementFromPoint(cx + x, cy + y)?.matches('rect.background')) start = [x, y];
        }
      }
      if (!start) throw new Error('no free background on the canvas');
      const target = document.elementFromPoint(cx + start[0], cy + start[1]);
      const fire = (type, dx, dy) => {
        target.dispatchEvent(new PointerEvent(type, {
          pointerId: 7, pointerType: 'touch', isPrimary: true, clientX: cx + start[0] + dx, clientY: cy + start[1] + dy,
          button: 0, buttons: type === 'pointerup' ? 0 : 1, bubbles: true, cancelable: true, composed: true,
        }));
      };
      fire('pointerdown', 0, 0);
      for (let i = 1; i <= 5; i++) fire('pointermove', 10 * i, 6 * i);
      fire('pointerup', 50, 30);
    }, [canvas.x, canvas.y, canvas.width, canvas.height]);
    await eventually(async () => {
      const [x1, y1] = await viewBox(editor);
      assert.ok(x1 < x0 && y1 < y0, `panned: ${x0},${y0} -> ${x1},${y1}`);
    });
    // Tap a stream: the inspector opens as a sheet on screen; edit its replicas there.
    await editor.stream('sales').locator('.stream-box').tap();
    await eventually(async () => assert.equal(await editor.inspector.isVisible(), true));
    const sheet = await editor.inspector.boundingBox();
    assert.ok(sheet.x >= 0 && sheet.x + sheet.width <= 390.5 && sheet.y + sheet.height <= 844.5, `the sheet is on screen: ${JSON.stringify(sheet)}`);
    // The view moved so that the stream is above the sheet, not under it.
    await eventually(async () => {
      const s = await editor.stream('sales').locator('.stream-box').boundingBox();
      assert.ok(s.y + s.height <= sheet.y && s.y >= canvas.y, `the stream ${JSON.stringify(s)} is above the sheet at ${sheet.y}`);
    });
    await editor.setField('Replicas', 5);
    await eventually(async () => assert.equal(await editor.stream('sales').locator('text.replicas').textContent(), 'R5'));
    await noSidewaysScroll(page);
    await editor.inspector.getByRole('button', { name: 'Close the inspector' }).tap();
    await eventually(async () => assert.equal(await editor.inspector.isVisible(), false));
    await page.getByRole('button', { name: 'Inspector' }).tap();
    await eventually(async () => assert.equal(await editor.inspector.isVisible(), true));
    await editor.inspector.getByRole('button', { name: 'Close the inspector' }).tap();

    // The palette is a drawer: "Add…" opens it, adding closes it.
    const palette = page.getByRole('navigation', { name: 'Palette' });
    assert.equal(await palette.isVisible(), false);
    await page.getByRole('button', { name: 'Add…' }).tap();
    await palette.getByRole('button', { name: 'Add spoke' }).tap();
    await eventually(async () => assert.equal(await editor.shapes('cluster').count(), 4));
    assert.equal(await palette.isVisible(), false);
    await noSidewaysScroll(page);

    assert.deepEqual(problems, []);
    await context.close();
  });
});
