// `cargo xtask bench widget [--against DIR]`: the time from navigation start until
// every QR code on a page is painted, for our widget and (with --against) another
// widget's scripts, served by one local server and loaded in one headless Chromium,
// alternating between the two, each load in a fresh browser context (cold cache).
//
// Cells: 1 and 20 widgets on a page, under four conditions: no throttling, a 4x
// slower CPU (CDP Emulation.setCPUThrottlingRate), a slow network (CDP
// Network.emulateNetworkConditions: 1.6 Mbps down, 750 kbps up, 150 ms round
// trip), and both. Reported: medians of RUNS loads and the ratio ours / theirs
// of medians taken in the same run, and the bytes each page downloads.
//
// Environment: OURS (folder with widget.js [+ widget_bg.wasm]), AGAINST (folder
// with the other widget's scripts, optional), CHROMIUM, RUNS (default 9).
//
// "Painted" is the same test for both: the page holds N QR symbols (a <canvas>,
// or an <svg> in the document or in an open shadow root), checked on every
// animation frame; the time is taken in a task queued from that frame, which
// runs after the frame is rendered.
import { createServer } from 'node:http';
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { join, extname } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const OURS = process.env.OURS;
const AGAINST = process.env.AGAINST || null;
const RUNS = Number(process.env.RUNS ?? 9);
if (!OURS) throw new Error('OURS is not set: run with `cargo xtask bench widget`');

const TYPES = { '.js': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm', '.html': 'text/html; charset=utf-8' };

/** The other widget's scripts, in load order: a QR library first, minified copies preferred. */
function theirScripts(dir) {
  const folder = existsSync(join(dir, 'src')) && statSync(join(dir, 'src')).isDirectory() ? join(dir, 'src') : dir;
  let files = readdirSync(folder).filter((f) => f.endsWith('.js'));
  const minified = files.filter((f) => f.endsWith('.min.js'));
  if (minified.length) files = minified;
  files.sort((a, b) => (b.includes('qrcode') - a.includes('qrcode')) || a.localeCompare(b));
  return { folder, files };
}

// Every file served, gzipped once at level 9 as a CDN would (Chromium does not
// ask for brotli over plain http).
const files = new Map();
function serve(prefix, folder, names) {
  for (const name of names) {
    const body = readFileSync(join(folder, name));
    files.set(`/${prefix}/${name}`, { type: TYPES[extname(name)] ?? 'application/octet-stream', body, gz: gzipSync(body, { level: 9 }) });
  }
}
serve('ours', OURS, readdirSync(OURS).filter((f) => f === 'widget.js' || f === 'widget_bg.wasm'));
const theirs = AGAINST ? theirScripts(AGAINST) : null;
if (theirs) serve('theirs', theirs.folder, theirs.files);

function vendorDivs(n) {
  return Array.from({ length: n }, (_, i) =>
    `<div data-etn-vendor="etn-it-0abc123def456/${(i + 1).toString(16).padStart(10, '0')}/${i + 1}.00"></div>`).join('\n');
}

/** The same page for both: N widgets, each widget's own documented script tags in <head>. */
function page(who, n) {
  const scripts = who === 'ours'
    ? '<script src="/ours/widget.js" async></script>'
    : theirs.files.map((f) => `<script src="/theirs/${f}"></script>`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench</title>${scripts}</head>
<body><h1>Checkout</h1>\n${vendorDivs(n)}\n</body></html>`;
}

const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  const m = url.pathname.match(/^\/page\/(ours|theirs)\/(\d+)$/);
  let file = m ? { type: TYPES['.html'], body: Buffer.from(page(m[1], Number(m[2]))) } : files.get(url.pathname);
  if (!file) { res.writeHead(404); res.end(); return; }
  if (!file.gz) file = { ...file, gz: gzipSync(file.body, { level: 9 }) };
  const gzip = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
  res.writeHead(200, {
    'Content-Type': file.type,
    'Cache-Control': 'no-store',
    ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
  });
  res.end(gzip ? file.gz : file.body);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const BASE = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-quic', '--disable-extensions'],
});

// Runs in every page before its own scripts: counts QR symbols on each frame.
function watch() {
  window.__qrPainted = new Promise((resolve) => {
    const symbols = () => {
      let n = document.querySelectorAll('canvas, svg').length;
      for (const el of document.querySelectorAll('*')) if (el.shadowRoot) n += el.shadowRoot.querySelectorAll('svg').length;
      return n;
    };
    const frame = () => {
      if (symbols() >= window.__expect) setTimeout(() => resolve(performance.now()), 0);
      else requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
}

const CONDITIONS = [
  { name: 'none', cpu: 1, network: null },
  { name: 'CPU 4x', cpu: 4, network: null },
  { name: 'slow network', cpu: 1, network: { latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 } },
  { name: 'slow network + CPU 4x', cpu: 4, network: { latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 } },
];

/** One cold load: ms from navigation start to the last QR painted, and bytes downloaded. */
async function load(who, n, condition) {
  const context = await browser.newContext();
  await context.addInitScript(`window.__expect = ${n}; (${watch.toString()})();`);
  const tab = await context.newPage();
  const cdp = await context.newCDPSession(tab);
  await cdp.send('Network.enable');
  const bytes = new Map();
  cdp.on('Network.loadingFinished', (e) => bytes.set(e.requestId, e.encodedDataLength));
  const urls = new Map();
  cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
  if (condition.network) {
    await cdp.send('Network.emulateNetworkConditions', { offline: false, ...condition.network });
  }
  if (condition.cpu !== 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: condition.cpu });
  await tab.goto(`${BASE}/page/${who}/${n}`, { waitUntil: 'commit' });
  const ms = await tab.evaluate(() => window.__qrPainted);
  // Let the last responses finish so that every byte is counted.
  await tab.waitForLoadState('load');
  let total = 0;
  let widget = 0;
  for (const [id, size] of bytes) {
    total += size;
    if (!urls.get(id)?.includes('/page/')) widget += size;
  }
  await context.close();
  return { ms, total, widget };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sides = theirs ? ['ours', 'theirs'] : ['ours'];
const results = [];
for (const condition of CONDITIONS) {
  for (const n of [1, 20]) {
    // One warm-up load each (the browser's own first-run costs), not counted.
    for (const who of sides) await load(who, n, condition);
    const times = { ours: [], theirs: [] };
    const bytes = {};
    for (let run = 0; run < RUNS; run++) {
      // Alternate which goes first, so that drift on a shared machine falls on both.
      const order = run % 2 ? [...sides].reverse() : sides;
      for (const who of order) {
        const r = await load(who, n, condition);
        times[who].push(r.ms);
        bytes[who] = r;
      }
    }
    results.push({ condition: condition.name, n, ours: median(times.ours), theirs: theirs ? median(times.theirs) : null, bytes });
    process.stderr.write(`${condition.name}, ${n} widget(s): ours ${median(times.ours).toFixed(0)} ms${theirs ? `, theirs ${median(times.theirs).toFixed(0)} ms` : ''}\n`);
  }
}
await browser.close();
server.close();

console.log(`\nNavigation start to the last QR code painted, median of ${RUNS} cold loads each, alternating, one Chromium:\n`);
if (theirs) {
  console.log('| widgets | throttling | ours | theirs | ratio ours / theirs |');
  console.log('|---|---|---|---|---|');
  for (const r of results) {
    console.log(`| ${r.n} | ${r.condition} | ${r.ours.toFixed(0)} ms | ${r.theirs.toFixed(0)} ms | ${(r.ours / r.theirs).toFixed(2)} |`);
  }
} else {
  console.log('| widgets | throttling | ours |');
  console.log('|---|---|---|');
  for (const r of results) console.log(`| ${r.n} | ${r.condition} | ${r.ours.toFixed(0)} ms |`);
}
const one = results.find((r) => r.n === 1 && r.condition === 'none');
console.log('\nBytes downloaded for one widget (gzip as served, headers included):\n');
console.log('| widget | scripts (+ wasm) | whole page |');
console.log('|---|---|---|');
for (const who of sides) {
  const label = who === 'ours' ? 'ours' : `theirs (${theirs.files.join(' + ')})`;
  console.log(`| ${label} | ${one.bytes[who].widget} B | ${one.bytes[who].total} B |`);
}
