// Load benchmark on the release build (`make build`), on a generated design (default 50 clusters
// / 1,000 streams): the time from navigation to the first cluster shape and to everything drawn
// (every cluster, stream and link in the DOM, the counts no longer changing), then the time to
// the first shape with the network throttled through the Chromium DevTools protocol (1.6 Mbps
// down, 150 ms round trip) while a local server sends the files compressed as a static host
// does. It lists which files the first load fetched. A benchmark: it prints figures and judges
// nothing. Usage: node scripts/load-bench.mjs [CLUSTERSxSTREAMS] [RUNS]   (DIST=... another build)
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { BASE_PATH, DIST, TYPES, launchBrowser, serveDist } from '../e2e/support.mjs';
import { recordDrawing } from './record-drawing.mjs';

const size = process.argv[2] ?? '50x1000';
const runs = Number(process.argv[3] ?? 5);
const [wantClusters, wantStreams] = size.split('x').map(Number);

/** Serves DIST under BASE_PATH compressed (brotli when the browser offers it, else gzip -9). */
async function serveCompressed() {
  const cache = new Map();
  const served = [];
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file = normalize(join(DIST, path.slice(BASE_PATH.length)));
    if (!path.startsWith(BASE_PATH) || !file.startsWith(DIST)) return res.writeHead(404).end();
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const accepts = req.headers['accept-encoding'] ?? '';
      const encoding = /\bbr\b/.test(accepts) ? 'br' : /\bgzip\b/.test(accepts) ? 'gzip' : 'identity';
      const key = `${encoding} ${file}`;
      if (!cache.has(key)) {
        const raw = await readFile(file);
        const body =
          encoding === 'br'
            ? brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } })
            : encoding === 'gzip'
              ? gzipSync(raw, { level: 9 })
              : raw;
        cache.set(key, body);
      }
      const body = cache.get(key);
      served.push({ path, encoding, bytes: body.length });
      const headers = { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' };
      if (encoding !== 'identity') headers['content-encoding'] = encoding;
      res.writeHead(200, headers).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${server.address().port}${BASE_PATH}`,
    served,
    close: () => new Promise((ok) => server.close(ok)),
  };
}


const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const range = (xs) => `median ${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`;

async function load(browser, url, { throttle = false, everything = true } = {}) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  if (throttle) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 150,
      downloadThroughput: (1.6e6 / 8),
      uploadThroughput: (750e3 / 8),
    });
  }
  await page.addInitScript(recordDrawing);
  await page.goto(url, { timeout: 120_000 });
  await page.waitForFunction(() => window.__draw.first !== undefined, null, { timeout: 120_000 });
  let result = await page.evaluate(() => window.__draw);
  if (everything) {
    // Settled: the counts have not changed for a second.
    await page.waitForFunction(() => performance.now() - window.__draw.last > 1000, null, { timeout: 60_000, polling: 100 });
    result = await page.evaluate(() => window.__draw);
  }
  await context.close();
  return result;
}

const plain = await serveDist();
const compressed = await serveCompressed();
const browser = await launchBrowser();
try {
  const first = [];
  const all = [];
  let counts;
  for (let i = 0; i < runs; i++) {
    const r = await load(browser, `${plain.url}?generated=${size}`);
    first.push(r.first);
    all.push(r.last);
    counts = r.counts;
  }
  const complete = counts.clusters === wantClusters && counts.streams === wantStreams;
  console.log(`design ${size}: ${counts.clusters} clusters, ${counts.streams} streams, ${counts.links} links drawn${complete ? '' : '  (NOT the whole design)'}`);
  console.log(`unthrottled, ${runs} cold loads: first cluster shape ${range(first)}`);
  console.log(`unthrottled, ${runs} cold loads: everything drawn     ${range(all)}  (target <= 500 ms)`);

  compressed.served.length = 0;
  const throttled = [];
  const throttledRuns = Math.max(1, Math.min(runs, 3));
  for (let i = 0; i < throttledRuns; i++) {
    const r = await load(browser, `${compressed.url}?generated=${size}`, { throttle: true, everything: false });
    throttled.push(r.first);
  }
  const once = compressed.served.slice(0, compressed.served.length / throttledRuns);
  const bytes = once.reduce((n, f) => n + f.bytes, 0);
  console.log(`first load fetched (${once[0]?.encoding ?? '-'}): ` + once.map((f) => `${f.path.slice(BASE_PATH.length) || 'index.html'} ${(f.bytes / 1024).toFixed(1)} KB`).join(', '));
  console.log(`first load transferred: ${(bytes / 1024).toFixed(1)} KB`);
  console.log(`throttled (1.6 Mbps, 150 ms RTT), ${throttledRuns} cold loads: first cluster shape ${range(throttled)}`);
} finally {
  await browser.close();
  await plain.close();
  await compressed.close();
}
