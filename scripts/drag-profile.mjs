// Profiles a paced drag with Chromium's trace (devtools.timeline): where each frame's time goes
// on the page's main thread (script, style, layout, paint, ...) and on the raster threads.
// A diagnostic: prints figures, judges nothing. Usage (after `make build`):
//   node scripts/drag-profile.mjs [CLUSTERSxSTREAMS] [hub|spoke|far] [moves] [--start]
// By default the trace starts after the drag has started (the pointer pressed and moved once),
// so it shows the steady moves. --start traces from before the press, as canvas-bench drags
// (the first move starts the drag: the overlay is built, the dragged cluster's links hidden),
// and also prints the longest main-thread tasks and the sampled CPU profile of the first
// second (name the wasm functions with DIST=a copy from scripts/profile-build.sh).
import { launchBrowser, serveDist } from '../e2e/support.mjs';
import { breakdown } from './profile.mjs';

const fromStart = process.argv.includes('--start');
const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const size = args[0] ?? '50x1000';
const which = args[1] ?? 'hub';
const MOVES = Number(args[2] ?? (fromStart ? 120 : 60));
const site = await serveDist();
const browser = await launchBrowser();
const categories = [
  '-*', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'disabled-by-default-devtools.timeline.frame',
  'v8.execute', 'blink.user_timing', 'cc', 'viz', ...(process.argv.includes('--start') ? ['toplevel', 'disabled-by-default-devtools.timeline.stack', 'disabled-by-default-devtools.timeline.invalidationTracking'] : []),
].join(',');
const KINDS = {
  script: ['EventDispatch', 'FunctionCall', 'TimerFire', 'FireAnimationFrame', 'v8.callFunction', 'v8.run', 'V8.Execute', 'v8.compile', 'EvaluateScript', 'RunMicrotasks', 'V8.GCScavenger', 'MinorGC', 'MajorGC', 'V8.GC_MC_BACKGROUND_MARKING', 'BlinkGC.AtomicPhase', 'v8.callFunction', 'HitTest'],
  style: ['UpdateLayoutTree', 'RecalculateStyles', 'ParseAuthorStyleSheet', 'InvalidateLayout', 'ScheduleStyleRecalculation'],
  layout: ['Layout', 'LayoutShift', 'UpdateLayerTree', 'IntersectionObserverController::computeIntersections'],
  paint: ['Paint', 'PrePaint', 'Layerize', 'PaintImage', 'UpdateLayer', 'CompositeLayers', 'Commit', 'PaintArtifactCompositor::Update', 'LocalFrameView::RunPaintLifecyclePhase'],
};
const kindOf = (name) => Object.entries(KINDS).find(([, names]) => names.includes(name))?.[0] ?? 'other';
try {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${site.url}?generated=${size}`);
  await page.waitForFunction(() => document.querySelectorAll('[aria-roledescription$=" link"] path').length > 0, null, { timeout: 60_000 });
  const header = (n) => page.locator('[aria-roledescription="cluster"]').nth(n).locator('.cluster-header');
  const zoom = () => page.evaluate(() => 1 / parseFloat(getComputedStyle(document.querySelector('svg.canvas')).getPropertyValue('--unit')));
  const frame = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  let n = 0;
  if (which !== 'hub') {
    const canvas = await page.getByRole('application', { name: 'Topology canvas' }).boundingBox();
    for (n = 1; ; n++) {
      const b = await header(n).boundingBox();
      if (b && b.x > canvas.x + 200 && b.y > canvas.y + 120 && b.x + 240 < canvas.x + canvas.width && b.y + 220 < canvas.y + canvas.height) break;
    }
  }
  if (which !== 'far') {
    while ((await zoom()) < 0.35) {
      const b = await header(n).boundingBox();
      await page.mouse.move(b.x + 20, b.y + b.height / 2);
      await page.mouse.wheel(0, -100);
      await frame();
    }
  }
  const box = await header(n).boundingBox();
  const start = { x: box.x + Math.min(30, box.width / 2), y: box.y + box.height / 2 };
  await page.mouse.move(start.x, start.y);
  if (process.env.EXP) await page.evaluate(({ code, n }) => new Function('n', code)(n), { code: process.env.EXP, n });
  if (!fromStart) {
    await page.mouse.down();
    await page.mouse.move(start.x + 5, start.y + 5);
    await frame();
  }
  const cdp = await context.newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
  const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Tracing.start', { categories, transferMode: 'ReportEvents' });
  if (fromStart) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
    await page.mouse.down();
  }
  const began = Date.now();
  for (let step = 1; step <= MOVES; step++) {
    const due = began + (step * 2000) / 120;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    await page.mouse.move(start.x + 150 * Math.sin(step / 15), start.y + 80 * Math.cos(step / 20));
  }
  await frame();
  const wall = Date.now() - began;
  const cpu = fromStart ? (await cdp.send('Profiler.stop')).profile : undefined;
  await cdp.send('Tracing.end');
  await done;
  await page.mouse.up();
  // Threads by name.
  const threads = new Map();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') threads.set(`${e.pid}:${e.tid}`, e.args.name);
  // Self time per thread and event name, from complete events and begin/end pairs.
  const spans = new Map();
  const open = new Map();
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    if (e.ph === 'X' && e.dur !== undefined) (spans.get(key) ?? spans.set(key, []).get(key)).push({ name: e.name, ts: e.ts, end: e.ts + e.dur });
    else if (e.ph === 'B') (open.get(key) ?? open.set(key, []).get(key)).push(e);
    else if (e.ph === 'E') {
      const b = open.get(key)?.pop();
      if (b) (spans.get(key) ?? spans.set(key, []).get(key)).push({ name: b.name, ts: b.ts, end: e.ts });
    }
  }
  const mainKey = [...threads].find(([k, name]) => name === 'CrRendererMain' && spans.get(k)?.some((s) => s.name === 'EventDispatch'))?.[0];
  const selfTimes = (list) => {
    list.sort((a, b) => a.ts - b.ts || b.end - a.end);
    const self = new Map();
    const stack = [];
    const add = (name, d) => self.set(name, (self.get(name) ?? 0) + d);
    for (const s of list) {
      while (stack.length && stack[stack.length - 1].end <= s.ts) stack.pop();
      const parent = stack[stack.length - 1];
      if (parent) add(parent.name, -(Math.min(s.end, parent.end) - s.ts));
      add(s.name, s.end - s.ts);
      stack.push(s);
    }
    return self;
  };
  const frames = (spans.get(mainKey) ?? []).filter((s) => s.name === 'BeginMainFrame' || s.name === 'Animation Frame Fired').length;
  const dispatches = (spans.get(mainKey) ?? []).filter((s) => s.name === 'EventDispatch').length;
  console.log(`${which} drag at zoom ${((await zoom()) * 100).toFixed(0)} %, ${size}: ${MOVES} moves took ${wall} ms; ${dispatches} event dispatches, ${frames} main frames traced`);
  const perMove = (us) => (us / 1000 / MOVES).toFixed(2);
  const main = selfTimes(spans.get(mainKey) ?? []);
  const byKind = {};
  for (const [name, us] of main) byKind[kindOf(name)] = (byKind[kindOf(name)] ?? 0) + us;
  console.log('main thread, ms per move: ' + Object.entries(byKind).sort((a, b) => b[1] - a[1]).map(([k, us]) => `${k} ${perMove(us)}`).join(', '));
  console.log('  top: ' + [...main].sort((a, b) => b[1] - a[1]).slice(0, 14).map(([n, us]) => `${n} ${perMove(us)}`).join(', '));
  const workers = new Map();
  for (const [key, list] of spans) {
    const name = threads.get(key) ?? key;
    if (key === mainKey || !/Compositor|Raster|Viz|TileWorker/.test(name)) continue;
    const self = selfTimes(list);
    const total = [...self.values()].reduce((a, b) => a + b, 0);
    const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([n, us]) => `${n} ${perMove(us)}`).join(', ');
    workers.set(name, (workers.get(name) ?? '') + ` [${perMove(total)} ms/move: ${top}]`);
  }
  for (const [name, s] of workers) console.log(`${name}:${s}`);
  if (fromStart) {
    // The longest main-thread tasks, with their own biggest parts.
    const list = (spans.get(mainKey) ?? []).slice().sort((a, b) => a.ts - b.ts);
    const t0 = list[0]?.ts ?? 0;
    const tasks = list.filter((s) => s.name === 'RunTask' && s.end - s.ts > 30_000);
    console.log(`main-thread tasks over 30 ms: ${tasks.length}`);
    for (const task of tasks.slice(0, 12)) {
      const inside = selfTimes(list.filter((s) => s.ts >= task.ts && s.end <= task.end));
      const top = [...inside].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([n, us]) => `${n} ${(us / 1000).toFixed(1)}`).join(', ');
      console.log(`  at ${((task.ts - t0) / 1000).toFixed(0)} ms: ${((task.end - task.ts) / 1000).toFixed(1)} ms: ${top}`);
    }
    // What the long layouts laid out, and what asked for them (the stacks of the scripts that
    // invalidated the layout before each).
    const frames = (d) => (d?.stackTrace ?? []).slice(0, 4).map((f) => `${f.functionName || '?'}@${f.url.split('/').pop()}:${f.lineNumber}`).join(' < ');
    let invalidations = [];
    for (const e of events.filter((e) => e.pid + ':' + e.tid === mainKey).sort((a, b) => a.ts - b.ts)) {
      if (e.name === 'InvalidateLayout' || e.name === 'LayoutInvalidationTracking') invalidations.push(e);
      if (e.name === 'Layout' && e.ph === 'B') invalidations = [];
      if (e.name === 'Layout' && (e.ph === 'X' ? e.dur > 20_000 : false)) {
        const d = e.args?.beginData ?? {};
        console.log(`  layout at ${((e.ts - t0) / 1000).toFixed(0)} ms, ${(e.dur / 1000).toFixed(0)} ms, ${d.dirtyObjects}/${d.totalObjects} objects; forced by ${frames(d) || 'the frame'}`);
        for (const i of invalidations.slice(0, 6)) console.log(`    invalidated: ${i.args?.data?.nodeName ?? ''} ${i.args?.data?.reason ?? ''} by ${frames(i.args?.data) || '-'}`);
        invalidations = [];
      }
    }
    // The CPU profile's first second (the drag's start).
    const first = { ...cpu, samples: [], timeDeltas: [] };
    let at = cpu.startTime;
    for (let i = 0; i < cpu.samples.length && at - cpu.startTime < 1_000_000; i++) {
      at += cpu.timeDeltas[i];
      first.samples.push(cpu.samples[i]);
      first.timeDeltas.push(cpu.timeDeltas[i]);
    }
    console.log('first second of the drag (per drag):');
    console.log(breakdown(first, 1));
  }
  await context.close();
} finally {
  await browser.close();
  await site.close();
}
