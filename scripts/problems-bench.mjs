// Measures, on a generated design (default 50 clusters x 1000 streams), how long the designer
// takes from an edit to the updated problems list, and to build the export zip in the browser.
// Prints figures; asserts nothing.
// Usage: node scripts/problems-bench.mjs [CLUSTERSxSTREAMS] [RUNS] [--profile]
// --profile also records a CPU profile of the edits (Chromium DevTools protocol) and prints where
// their time goes: validation, the problems panel, the canvas and the browser's own work (DOM,
// style, layout, GC). Wasm functions are named only in a build that keeps the names section
// (scripts/profile-build.sh OUT, then DIST=OUT); otherwise they show as wasm-function[N].
import { launchBrowser, openDesigner, serveDist } from '../e2e/support.mjs';
import { breakdown } from './profile.mjs';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const profile = process.argv.includes('--profile');
const size = args[0] ?? '50x1000';
const runs = Number(args[1] ?? 5);
const site = await serveDist();
const browser = await launchBrowser();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  const t0 = Date.now();
  const { page, context, problems } = await openDesigner(browser, `${site.url}?generated=${size}`);
  await page.locator('[aria-roledescription="stream"]').first().waitFor();
  console.log(`design ${size}: first shape after ${Date.now() - t0} ms`);

  // Select one stream (focus selects it) and open the problems panel.
  const stream = page.locator('[aria-roledescription="stream"]').first();
  const name = await stream.getAttribute('aria-label');
  await stream.focus();
  const replicas = page.getByRole('complementary', { name: 'Inspector' }).getByLabel('Replicas', { exact: true });
  await replicas.waitFor();
  const toggle = page.getByRole('button', { name: 'Problems' });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();

  let cdp;
  if (profile) {
    cdp = await context.newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
  }
  // Edit -> the problems list shows (or drops) the stream's replicas-out-of-range row, timed
  // until the list's DOM holds the change (a MutationObserver: exact, not rounded to frames).
  const edits = [];
  for (let i = 0; i < runs; i++) {
    for (const value of [7, 3]) {
      const ms = await page.evaluate(async ([value, name]) => {
        const input = document.querySelector('.inspector [data-field="num_replicas"]');
        const panel = document.querySelector('section[aria-label="Problems"]');
        const shown = () => [...panel.querySelectorAll('.problem')].some((li) =>
          li.textContent.includes('replicas-out-of-range') && li.textContent.includes(`stream ${name}`));
        const want = value === 7;
        let updated;
        const observer = new MutationObserver(() => {
          if (updated === undefined && shown() === want) updated = performance.now();
        });
        observer.observe(panel, { childList: true, subtree: true, characterData: true });
        const start = performance.now();
        input.value = String(value);
        input.dispatchEvent(new Event('change', { bubbles: true }));
        while (shown() !== want) await new Promise((ok) => requestAnimationFrame(ok));
        observer.disconnect();
        return (updated ?? performance.now()) - start;
      }, [value, name]);
      edits.push(ms);
    }
  }
  console.log(`edit -> problems list updated: median ${median(edits).toFixed(1)} ms, max ${Math.max(...edits).toFixed(1)} ms (${edits.length} edits)`);
  if (cdp) {
    const { profile: recorded } = await cdp.send('Profiler.stop');
    console.log(breakdown(recorded, edits.length));
    if (process.env.PROFILE_JSON) (await import('node:fs')).writeFileSync(process.env.PROFILE_JSON, JSON.stringify(recorded));
    await cdp.detach();
  }

  // Export: dialog with the file list and preview, then the zip.
  const openStart = Date.now();
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Export' });
  await dialog.getByRole('navigation', { name: 'Files' }).getByRole('button').first().waitFor();
  console.log(`export dialog open with its file list: ${Date.now() - openStart} ms (${await dialog.getByRole('navigation', { name: 'Files' }).getByRole('button').count()} files)`);
  const anyway = dialog.getByRole('checkbox', { name: 'Export anyway' });
  if (await anyway.count()) await anyway.check();
  const zips = [];
  for (let i = 0; i < runs; i++) {
    const [download, ms] = await Promise.all([
      page.waitForEvent('download'),
      page.evaluate(() => {
        const button = [...document.querySelectorAll('dialog[open] button, [role="dialog"] button')].find((b) => b.textContent.trim() === 'Download all');
        const start = performance.now();
        button.click(); // zips the files the worker sent, synchronously in wasm, then hands the Blob to the browser
        return performance.now() - start;
      }),
    ]);
    zips.push(ms);
    if (i === 0) console.log(`zip: ${download.suggestedFilename()}, ${(await import('node:fs')).statSync(await download.path()).size} bytes`);
  }
  console.log(`zip built in the browser: median ${median(zips).toFixed(1)} ms, max ${Math.max(...zips).toFixed(1)} ms (${zips.length} runs)`);
  if (problems.length) console.log('page problems:', problems);
  await context.close();
} finally {
  await browser.close();
  await site.close();
}
