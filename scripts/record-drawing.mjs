// Shared by the load benchmark and the load profile: passed to `page.addInitScript`, so it runs
// in the page, from before any of its scripts.

/** Records, from before any script runs, when the first cluster appears and when the counts of
 * clusters, streams and links last changed. */
export function recordDrawing() {
  window.__draw = { first: undefined, last: undefined, counts: undefined };
  const count = () => ({
    clusters: document.querySelectorAll('[aria-roledescription="cluster"]').length,
    streams: document.querySelectorAll('[aria-roledescription="stream"]').length,
    links: document.querySelectorAll('[aria-roledescription$=" link"]').length,
  });
  new MutationObserver(() => {
    const now = performance.now();
    const c = count();
    if (c.clusters > 0 && window.__draw.first === undefined) window.__draw.first = now;
    const prev = window.__draw.counts;
    if (!prev || prev.clusters !== c.clusters || prev.streams !== c.streams || prev.links !== c.links) {
      window.__draw.counts = c;
      window.__draw.last = now;
    }
  }).observe(document, { childList: true, subtree: true });
}
