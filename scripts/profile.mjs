// Summarises a CPU profile (Chromium DevTools protocol `Profiler.stop`) of the designer: where
// the busy time went, by area of the code (validation, a component, the reactive system, the
// browser's own work) and by function. Used by problems-bench.mjs --profile.

/** Rust's legacy mangling (`_ZN3foo3bar17h0123456789abcdefE`) to `foo::bar`; anything else as is. */
export function demangle(name) {
  const m = /^_?_ZN(.*)E$/.exec(name);
  if (!m) return name.replace(/::h[0-9a-f]{16}$/, '');
  const parts = [];
  let rest = m[1];
  while (rest.length) {
    const len = /^(\d+)/.exec(rest);
    if (!len) break;
    const n = Number(len[1]);
    parts.push(rest.slice(len[1].length, len[1].length + n));
    rest = rest.slice(len[1].length + n);
  }
  if (/^h[0-9a-f]{16}$/.test(parts.at(-1) ?? '')) parts.pop();
  return parts
    .join('::')
    .replace(/\$LT\$/g, '<')
    .replace(/\$GT\$/g, '>')
    .replace(/\$u20\$/g, ' ')
    .replace(/\$u7b\$/g, '{')
    .replace(/\$u7d\$/g, '}')
    .replace(/\$RF\$/g, '&')
    .replace(/\$C\$/g, ',')
    .replace(/\$BP\$/g, '*')
    .replace(/\.\./g, '::');
}

// Areas, tried on each frame from the leaf up; the first frame that names one decides.
const AREAS = [
  [/model::validate::/, 'validation (model::validate)'],
  [/components::problems/, 'problems panel (components::problems)'],
  [/nats_topology::fanout/, 'fan-outs (badges, drawing revisions)'],
  [/model::diff/, 'model::diff (what each shape redraws)'],
  [/model::links|LinkLayout/, 'link layout (model::links)'],
  [/components::(\w+)/, (m) => `components::${m[1]}`],
  [/nats_topology::state::(\w+)/, (m) => `state::${m[1]}`],
  [/nats_topology::model::(\w+)/, (m) => `model::${m[1]}`],
];

function area(names) {
  for (const name of names) {
    for (const [re, label] of AREAS) {
      const m = re.exec(name);
      if (m) return typeof label === 'string' ? label : label(m);
    }
  }
  return undefined;
}

/** What the leaf of a stack is: wasm, the JS glue, a browser built-in, GC, or the browser's own work. */
function kind(frame) {
  const { functionName, url } = frame.callFrame;
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(program)') return 'browser (style, layout, paint, events)';
  if (url.includes('.wasm') || /^(wasm-function|\$func)/.test(functionName)) return 'wasm';
  if (url.endsWith('.js')) return 'JS glue (wasm-bindgen)';
  return `browser built-ins`;
}

/** A text table of where the profile's busy time went, per `per` (e.g. per edit). */
export function breakdown(profile, per = 1) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const names = new Map(); // node id -> demangled names, leaf first
  const stack = (id) => {
    if (names.has(id)) return names.get(id);
    const out = [];
    for (let at = id; at !== undefined; at = parent.get(at)) out.push(demangle(byId.get(at).callFrame.functionName));
    names.set(id, out);
    return out;
  };
  const areas = new Map();
  const kinds = new Map();
  const inclusive = new Map();
  let busy = 0;
  const add = (m, k, t) => m.set(k, (m.get(k) ?? 0) + t);
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const leaf = byId.get(id);
    if (leaf.callFrame.functionName === '(idle)') continue;
    busy += ms;
    const s = stack(id);
    const k = kind(leaf);
    add(kinds, k, ms);
    const wasmAbove = s.some((n) => /nats_topology|leptos|reactive_graph|tachys|wasm-function/.test(n));
    add(areas, area(s) ?? (k === 'wasm' || wasmAbove ? 'other wasm (leptos, std)' : k), ms);
    for (const name of new Set(s)) add(inclusive, name, ms);
  }
  const fmt = (m, limit = 40) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([k, t]) => `  ${(t / per).toFixed(2).padStart(8)} ms  ${k}`)
      .join('\n');
  const top = new Map([...inclusive].filter(([k]) => !/^\(root\)$/.test(k)));
  return [
    `CPU profile: ${(busy / per).toFixed(2)} ms busy per edit (${per} edits, 0.1 ms sampling)`,
    'by area (the innermost frame that names one):',
    fmt(areas),
    'by what ran at the leaf:',
    fmt(kinds),
    'functions by inclusive time:',
    fmt(top, 30),
  ].join('\n');
}
