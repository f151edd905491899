// Prints the release build's transferred size (brotli of wasm + js + css) and the time from
// navigation to the first cluster shape in headless Chromium. A benchmark: it reports, it does
// not judge. Usage: node scripts/size.mjs [RUNS]   (after `make build`)
import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { DIST, launchBrowser, serveDist } from '../e2e/support.mjs';

const runs = Number(process.argv[2] ?? 7);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

// What the page fetches before it runs: the files index.html names. The rest (the import and
// export worker) is fetched the first time a file is opened or the export dialog shown.
const index = await readFile(join(DIST, 'index.html'), 'utf8');
const named = new Set([...index.matchAll(/(?:href|src)="([^"]+)"/g)].map((m) => m[1].split('/').pop()));
const totals = { first: 0, later: 0 };
const rows = { first: [], later: [] };
for (const name of (await readdir(DIST)).sort()) {
  if (!['.wasm', '.js', '.css'].includes(extname(name))) continue;
  const raw = await readFile(join(DIST, name));
  const br = brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  // A wasm file is fetched by the script of the same name.
  const when = named.has(name) || named.has(name.replace(/_bg\.wasm$/, '.js')) ? 'first' : 'later';
  totals[when] += br;
  rows[when].push(`  ${name.padEnd(44)} ${kb(raw.length).padStart(10)} raw ${kb(br).padStart(10)} brotli`);
}
console.log('release build (dist/), fetched at the first load:');
console.log(rows.first.join('\n'));
console.log(`transferred at the first load (wasm + js + css, brotli): ${kb(totals.first)}  (target <= 350 KB)`);
console.log('fetched on first use (opening a file, the export dialog):');
console.log(rows.later.join('\n') || '  none');
console.log(`transferred on first use (brotli): ${kb(totals.later)}`);

// Time to the first cluster shape: a MutationObserver installed before any script runs records
// performance.now() (milliseconds since navigation start) when the first cluster appears.
const site = await serveDist();
const browser = await launchBrowser();
const times = [];
try {
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript(() => {
      new MutationObserver((_, observer) => {
        if (document.querySelector('[aria-roledescription="cluster"]')) {
          window.__firstCluster = performance.now();
          observer.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(site.url);
    await page.waitForFunction(() => window.__firstCluster !== undefined);
    times.push(await page.evaluate(() => window.__firstCluster));
    await context.close();
  }
} finally {
  await browser.close();
  await site.close();
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(
  `time to first cluster shape over ${runs} cold loads: median ${median.toFixed(0)} ms, ` +
    `min ${times[0].toFixed(0)} ms, max ${times.at(-1).toFixed(0)} ms  (target <= 1000 ms)`,
);
