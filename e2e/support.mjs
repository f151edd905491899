// Shared support for browser tests and scripts: a static server that serves the release build
// under a sub-path exactly as GitHub Pages does, and Debian's Chromium driven by playwright-core.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { after, before } from 'node:test';

export const BASE_PATH = '/nats-topology/';
// DIST=... serves another build (two builds side by side while developing); the default is `make build`'s.
export const DIST = resolve(process.env.DIST || resolve(import.meta.dirname, '..', 'dist'));
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Content types of the files a build holds, by extension. */
export const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};

/** Serves `dist` under `BASE_PATH` on 127.0.0.1 and a free port. Anything else is a 404. */
export async function serveDist(dist = DIST) {
  if (!existsSync(join(dist, 'index.html'))) {
    throw new Error(`no release build in ${dist}: run 'make build' (trunk build --release) first`);
  }
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (!path.startsWith(BASE_PATH)) {
      res.writeHead(404).end('outside the site');
      return;
    }
    let file = normalize(join(dist, path.slice(BASE_PATH.length)));
    if (!file.startsWith(dist)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${server.address().port}${BASE_PATH}`;
  return { url, close: () => new Promise((ok) => server.close(ok)) };
}

/**
 * The served site and a browser for the tests of one `describe`: started before them, closed
 * after them (also when one fails). Read `web.site` and `web.browser` inside the tests.
 */
export function useSiteAndBrowser() {
  const web = { site: undefined, browser: undefined };
  before(async () => {
    web.site = await serveDist();
    web.browser = await launchBrowser();
  });
  after(async () => {
    await web.browser?.close();
    await web.site?.close();
  });
  return web;
}

/** Starts Debian's Chromium headless with the flags this machine needs (no network but loopback). */
export async function launchBrowser() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: run 'make test' (it installs Debian's chromium)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

/**
 * Opens the designer in a fresh page and collects what went wrong: console errors, page errors
 * and failed requests. `colorScheme` is 'light' or 'dark'.
 */
export async function openDesigner(browser, url, { colorScheme = 'light', viewport = { width: 1400, height: 900 } } = {}) {
  const context = await browser.newContext({ colorScheme, viewport });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  page.on('response', (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()}: ${r.url()}`));
  await page.goto(url);
  await page.getByRole('application', { name: 'Topology canvas' }).waitFor();
  return { page, context, problems };
}

/** Page object: the canvas and its shapes, found by their accessible names. */
export class Designer {
  constructor(page) {
    this.page = page;
    this.canvas = page.getByRole('application', { name: 'Topology canvas' });
  }

  shapes(roleDescription) {
    return this.canvas.locator(`[aria-roledescription="${roleDescription}"]`);
  }

  async names(roleDescription) {
    return this.shapes(roleDescription).evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
  }

  cluster(name) {
    return this.canvas.getByRole('group', { name, exact: true }).and(this.shapes('cluster'));
  }

  stream(name) {
    return this.canvas.getByRole('group', { name, exact: true }).and(this.shapes('stream'));
  }
}

/** Page object for editing: palette, gestures on the canvas, the inspector. */
export class Editor extends Designer {
  constructor(page) {
    super(page);
    this.inspector = page.getByRole('complementary', { name: 'Inspector' });
    page.on('dialog', (dialog) => dialog.accept());
  }

  /** The canvas' top-left corner on the page. */
  async canvasBox() {
    return this.canvas.boundingBox();
  }

  /** Drags a palette item ("Add hub", ...) onto the canvas at (x, y) relative to the canvas. */
  async dropFromPalette(item, x, y) {
    await this.page.getByRole('button', { name: item }).dragTo(this.canvas, { targetPosition: { x, y } });
  }

  /** Drags with the mouse from the centre of `locator` (or a point in it) by (dx, dy). */
  async dragBy(locator, dx, dy, { at } = {}) {
    const box = await locator.boundingBox();
    const from = at ? { x: box.x + at.x, y: box.y + at.y } : { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    await this.page.mouse.move(from.x, from.y);
    await this.page.mouse.down();
    await this.page.mouse.move(from.x + dx / 2, from.y + dy / 2, { steps: 4 });
    await this.page.mouse.move(from.x + dx, from.y + dy, { steps: 4 });
    await this.page.mouse.up();
  }

  /** Draws a link from a shape's handle to the centre of `target`; `alt` makes a mirror. */
  async connect(from, target, { alt = false } = {}) {
    const handle = from.locator(':scope > .handle');
    const a = await handle.boundingBox();
    const b = await target.boundingBox();
    await this.page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
    if (alt) await this.page.keyboard.down('Alt');
    await this.page.mouse.down();
    await this.page.mouse.move(b.x + b.width / 2, b.y + 12, { steps: 6 });
    await this.page.mouse.up();
    if (alt) await this.page.keyboard.up('Alt');
  }

  /** Sets an inspector field by its label and commits it (Enter). */
  async setField(label, value) {
    const field = this.inspector.getByLabel(label, { exact: true });
    await field.fill(String(value));
    await field.press('Enter');
  }

  async linkLabels(kind) {
    return this.shapes(kind).locator('text.link-label').allTextContents();
  }
}

/**
 * Retries `check` (an async function that throws while the page is not there yet) for up to
 * `timeout` ms: Leptos applies DOM updates a tick after the event that caused them.
 */
export async function eventually(check, timeout = 3000) {
  const end = Date.now() + timeout;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() > end) throw e;
      await new Promise((ok) => setTimeout(ok, 25));
    }
  }
}
