// The app shell, served from the release build under the GitHub Pages sub-path.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Designer, openDesigner, useSiteAndBrowser } from './support.mjs';

describe('designer shell under /nats-topology/', () => {
  const web = useSiteAndBrowser();

  test('shows the example design: three clusters and five streams by their accessible names', async () => {
    const { page, context, problems } = await openDesigner(web.browser, web.site.url);
    const designer = new Designer(page);
    assert.deepEqual((await designer.names('cluster')).sort(), ['headquarter', 'spoke-1', 'spoke-2']);
    assert.deepEqual(
      (await designer.names('stream')).sort(),
      ['cinema-a', 'cinema-a-mirror', 'sales', 'tickets-1', 'tickets-2'],
    );
    await designer.cluster('headquarter').waitFor();
    await designer.stream('cinema-a-mirror').waitFor();
    assert.deepEqual(problems, [], 'every asset loads and nothing is logged as an error');
    await context.close();
  });

  test('draws the leafnode, mirror and source links with the origin domain API prefix', async () => {
    const { page, context, problems } = await openDesigner(web.browser, web.site.url);
    const designer = new Designer(page);
    assert.equal(await designer.shapes('leafnode link').count(), 4);
    assert.deepEqual(await designer.names('mirror link'), ['cinema-a-mirror mirrors cinema-a']);
    assert.deepEqual(
      (await designer.names('source link')).sort(),
      ['sales sources tickets-1', 'sales sources tickets-2'],
    );
    const mirrorLabel = designer.shapes('mirror link').locator('text');
    assert.equal(await mirrorLabel.textContent(), '$JS.hub.API');
    const sourceLabels = await designer.shapes('source link').locator('text').allTextContents();
    assert.deepEqual(sourceLabels.sort(), ['$JS.cinema-a.API', '$JS.cinema-b.API']);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('every cluster and stream shape is reachable with the keyboard', async () => {
    const { page, context } = await openDesigner(web.browser, web.site.url);
    const focused = [];
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      focused.push(await page.evaluate(() => {
        const e = document.activeElement;
        return `${e.getAttribute('aria-roledescription')}:${e.getAttribute('aria-label')}`;
      }));
    }
    for (const name of ['cluster:headquarter', 'cluster:spoke-1', 'stream:sales', 'stream:tickets-2']) {
      assert.ok(focused.includes(name), `${name} is in the tab order (${focused.join(', ')})`);
    }
    await context.close();
  });

  test('follows the system theme and switches with the toolbar button', async () => {
    const { page, context } = await openDesigner(web.browser, web.site.url, { colorScheme: 'dark' });
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
    assert.equal(await theme(), 'dark');
    const dark = await background();
    await page.getByRole('button', { name: 'Light theme' }).click();
    assert.equal(await theme(), 'light');
    assert.notEqual(await background(), dark);
    await page.getByRole('button', { name: 'Dark theme' }).waitFor();
    await context.close();
  });
});
