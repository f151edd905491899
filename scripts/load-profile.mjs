// Where the time to everything drawn goes: loads a generated design (default 50 clusters / 1,000
// streams) once in a fresh page with a Chromium DevTools protocol trace running (timeline and
// sampled V8 CPU profile), then prints, from navigation start to the last change of the counts
// of clusters, streams and links: the page's marks (`performance.mark` at the start-up phases,
// see `src/components/app.rs`), the main thread's time by kind of work (script, wasm compile,
// style, layout, paint, GC, idle) and the sampled script time by where it ran (wasm code, DOM
// bindings, the JS glue). A profile: it prints figures and judges nothing.
// Usage (after `make build`): node scripts/load-profile.mjs [CLUSTERSxSTREAMS]   (DIST=... another build)
// Options: NOSAMPLE=1 traces without the CPU sampler (closer to an untraced load); STYLE=1 lists
// each style recalculation and layout; TOP=N the N functions with the most self time; CRATES=1
// wasm self time by crate; INCLUSIVE=regex time with callees. The release wasm has no names
// section: for names, copy dist and put target/wasm-bindgen/release/designer_bg.wasm (the same
// module before wasm-opt) in place of its designer-*_bg.wasm, then DIST=that copy.
import { launchBrowser, serveDist } from '../e2e/support.mjs';
import { recordDrawing } from './record-drawing.mjs';

const size = process.argv[2] ?? '50x1000';


const site = await serveDist();
const browser = await launchBrowser();
try {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.addInitScript(recordDrawing);
  const cdp = await context.newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...value));
  const done = new Promise((ok) => cdp.once('Tracing.tracingComplete', ok));
  await cdp.send('Tracing.start', {
    transferMode: 'ReportEvents',
    traceConfig: {
      includedCategories: [
        'devtools.timeline',
        'disabled-by-default-devtools.timeline',
        'v8.execute',
        'v8',
        'v8.wasm',
        ...(process.env.NOSAMPLE ? [] : ['disabled-by-default-v8.cpu_profiler']),
        'blink.user_timing',
        'loading',
      ],
    },
  });
  await page.goto(`${site.url}?generated=${size}`, { timeout: 120_000 });
  await page.waitForFunction(() => window.__draw.first !== undefined, null, { timeout: 120_000 });
  await page.waitForFunction(() => performance.now() - window.__draw.last > 1000, null, { timeout: 120_000, polling: 100 });
  const drawn = await page.evaluate(() => ({
    ...window.__draw,
    marks: performance.getEntriesByType('mark').map((m) => [m.name, m.startTime]),
    origin: performance.timeOrigin,
  }));
  await cdp.send('Tracing.end');
  await done;
  await context.close();

  // The renderer's main thread.
  const navigation = events
    .filter((e) => e.name === 'navigationStart' && String(e.args?.data?.documentLoaderURL ?? '').includes('generated='))
    .sort((a, b) => b.ts - a.ts)[0];
  const { pid, tid, ts: nav } = navigation;
  // performance.now() 0 is navigation start: trace times are microseconds on the same clock.
  const endTs = nav + drawn.last * 1000;
  const main = events.filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X' && e.ts + (e.dur ?? 0) > nav && e.ts < endTs);
  console.log(`design ${size}: ${drawn.counts.clusters} clusters, ${drawn.counts.streams} streams, ${drawn.counts.links} links; first cluster ${drawn.first.toFixed(0)} ms, everything drawn ${drawn.last.toFixed(0)} ms`);
  if (drawn.marks.length) {
    console.log('marks: ' + drawn.marks.map(([n, t]) => `${n} ${t.toFixed(0)}`).join(', '));
  }

  // Self time of each main-thread event in the window, by kind.
  const kind = (name) => {
    if (/^(UpdateLayoutTree|RecalculateStyles|ParseAuthorStyleSheet|ScheduleStyleRecalculation)$/.test(name)) return 'style';
    if (/^(Layout|UpdateLayerTree|IntersectionObserverController|ComputeIntersections)$/.test(name)) return 'layout';
    if (/^(Paint|PrePaint|PaintImage|Layerize|Commit|CompositeLayers|RasterTask|UpdateLayer|PaintSetup)$/.test(name)) return 'paint';
    if (/GC|Scavenge|MarkCompact|MinorMS/.test(name)) return 'gc';
    if (/wasm|Wasm/.test(name)) return 'wasm compile';
    if (/^(ParseHTML|ResourceSendRequest|ResourceReceiveResponse|ResourceReceivedData|ResourceFinish)$/.test(name)) return 'html/loading';
    if (/^(EvaluateScript|FunctionCall|v8\.|TimerFire|FireAnimationFrame|EventDispatch|RunMicrotasks|V8\.|v8|MajorGC|MinorGC|FireIdleCallback)/.test(name)) return 'script';
    return 'other';
  };
  const sorted = main.slice().sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const self = new Map();
  const stack = [];
  const clip = (e) => Math.max(0, Math.min(e.ts + e.dur, endTs) - Math.max(e.ts, nav));
  const add = (k, us) => self.set(k, (self.get(k) ?? 0) + us);
  let busy = 0;
  for (const e of sorted) {
    while (stack.length && stack[stack.length - 1].ts + stack[stack.length - 1].dur <= e.ts) stack.pop();
    const d = clip(e);
    if (stack.length) add(kind(stack[stack.length - 1].name), -d);
    else busy += d;
    add(kind(e.name), d);
    stack.push(e);
  }
  // The long tasks, in order: what runs when.
  const tasks = sorted.filter((e) => e.name === 'RunTask' && e.dur > 30_000);
  console.log('long tasks (start +duration ms): ' + tasks.map((e) => {
    const inner = main.filter((x) => x !== e && x.ts >= e.ts && x.ts < e.ts + e.dur && x.dur > e.dur * 0.3 && x.name !== 'RunTask')
      .map((x) => x.name).slice(0, 3).join('>');
    return `${((e.ts - nav) / 1000).toFixed(0)} +${(e.dur / 1000).toFixed(0)} (${inner})`;
  }).join(', '));
  if (process.env.STYLE) {
    console.log('style and layout (start +duration ms): ' + sorted.filter((e) => /^(UpdateLayoutTree|Layout|Paint|PrePaint|Commit)$/.test(e.name) && e.dur > 2000)
      .map((e) => `${e.name} ${((e.ts - nav) / 1000).toFixed(0)} +${(e.dur / 1000).toFixed(0)}`).join(', '));
  }
  const ms = (us) => (us / 1000).toFixed(0).padStart(5);
  console.log(`main thread, navigation to everything drawn (${drawn.last.toFixed(0)} ms): busy ${ms(busy)} ms, idle ${ms(drawn.last * 1000 - busy)} ms`);
  for (const [k, us] of [...self].sort((a, b) => b[1] - a[1])) if (us > 500) console.log(`  ${k.padEnd(14)} ${ms(us)} ms`);

  // Sampled CPU profile: self time by where the code is.
  const nodes = new Map();
  let samples = [];
  for (const e of events.filter((x) => x.pid === pid && (x.name === 'ProfileChunk'))) {
    const data = e.args?.data?.cpuProfile;
    for (const n of data?.nodes ?? []) nodes.set(n.id, n);
    const deltas = e.args.data.timeDeltas ?? [];
    const profile = events.find((x) => x.pid === pid && x.name === 'Profile' && x.id === e.id);
    samples.push({ id: e.id, start: profile?.args?.data?.startTime, ids: data?.samples ?? [], deltas });
  }
  const byId = new Map();
  for (const chunk of samples) {
    const list = byId.get(chunk.id) ?? { start: chunk.start, ids: [], deltas: [] };
    list.ids.push(...chunk.ids);
    list.deltas.push(...chunk.deltas);
    byId.set(chunk.id, list);
  }
  const where = new Map();
  // Each sample of the load's window, with its node and the time it stands for (up to the next).
  const forEachSample = (f) => {
    for (const { start, ids, deltas } of byId.values()) {
      let t = start;
      for (let i = 0; i < ids.length; i++) {
        t += deltas[i];
        if (t < nav || t > endTs) continue;
        f(ids[i], Math.max(0, i + 1 < deltas.length ? deltas[i + 1] : 0));
      }
    }
  };
  const cls = (n) => {
    const f = n.callFrame;
    if (f.url?.startsWith('wasm://') || /^\$?(func|wasm-function)/.test(f.functionName)) return 'wasm code';
    if (f.url?.includes('designer-') && f.url.endsWith('.js')) return 'JS glue (designer.js)';
    if (f.functionName === '(garbage collector)') return 'GC';
    if (f.functionName === '(program)') return '(program: browser work)';
    if (f.functionName === '(idle)') return '(idle)';
    if (!f.url) return `native: ${f.functionName || '(anonymous)'}`;
    return 'other JS';
  };
  forEachSample((id, dt) => {
    const n = nodes.get(id);
    if (!n) return;
    const c = cls(n);
    where.set(c, (where.get(c) ?? 0) + dt);
  });
  if (process.env.TOP) {
    const fns = new Map();
    forEachSample((id, dt) => {
      const n = nodes.get(id);
      if (!n) return;
      const k = `${cls(n)}: ${n.callFrame.functionName}`;
      fns.set(k, (fns.get(k) ?? 0) + dt);
    });
    for (const [k, us] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP))) console.log(`    ${ms(us)} ms ${k}`);
  }
  if (process.env.CRATES) {
    // Self time of wasm code by crate (a build with a names section: see the usage).
    const crates = new Map();
    forEachSample((id, dt) => {
      const n = nodes.get(id);
      if (!n || !['other JS', 'wasm code'].includes(cls(n))) return;
      const name = n.callFrame.functionName.replace(/^[<&(]+/, '');
      const crate = name.match(/^([a-z_0-9]+)/)?.[1] ?? name.slice(0, 20);
      crates.set(crate, (crates.get(crate) ?? 0) + dt);
    });
    console.log('wasm self time by crate: ' + [...crates].sort((a, b) => b[1] - a[1]).filter(([, us]) => us > 2000).map(([k, us]) => `${k} ${(us / 1000).toFixed(0)}`).join(', '));
  }
  if (process.env.INCLUSIVE) {
    // Total time (with callees) of the functions whose names match INCLUSIVE (a regular expression).
    const parent = new Map();
    for (const n of nodes.values()) for (const c of n.children ?? []) parent.set(c, n.id);
    const match = new RegExp(process.env.INCLUSIVE);
    const total = new Map();
    forEachSample((sample, dt) => {
      const seen = new Set();
      for (let id = sample; id !== undefined; id = parent.get(id)) {
        const name = nodes.get(id)?.callFrame.functionName.replace(/::h[0-9a-f]{16}$/, '') ?? '';
        if (match.test(name) && !seen.has(name)) {
          seen.add(name);
          total.set(name, (total.get(name) ?? 0) + dt);
        }
      }
    });
    for (const [k, us] of [...total].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP ?? 40))) console.log(`  incl ${ms(us)} ms ${k}`);
  }
  const natives = [...where].filter(([k]) => k.startsWith('native: '));
  const nativeTotal = natives.reduce((n, [, us]) => n + us, 0);
  console.log('sampled CPU profile, by where the code runs:');
  for (const [k, us] of [...where].filter(([k]) => !k.startsWith('native: ')).sort((a, b) => b[1] - a[1])) {
    if (us > 500) console.log(`  ${k.padEnd(26)} ${ms(us)} ms`);
  }
  console.log(`  native DOM calls           ${ms(nativeTotal)} ms: ` + natives.sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, us]) => `${k.slice(8)} ${(us / 1000).toFixed(0)}`).join(', '));
} finally {
  await browser.close();
  await site.close();
}
