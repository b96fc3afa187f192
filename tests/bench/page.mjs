// `cargo xtask bench page`: the hosted checkout page's first paint on a slow
// phone, against the page as it was before it spoke the shopper's language
// (the baseline), measured in the same run, in one headless Chromium,
// alternating between the two, each load in a fresh browser context with an
// empty cache.
//
// - now: `/pay/{id}` as this worker writes it (German, from Accept-Language:
//   every word, the prices the local way, the items, the steps, the brand).
// - before: the same session's page as commit c9ad20b's `render`
//   (worker/src/checkout.rs) wrote it: English only, no items, no steps; its
//   template is transcribed below (`before`) and filled from the session's
//   public view, with the QR code taken from today's page (the same encoder).
//   Both pages reach the browser the same way, so that only their HTML
//   differs: a loopback proxy in front of the worker asks the worker for
//   today's page (the same work on the worker for both: the old page was
//   written from the same reads), then sends one or the other with the
//   worker's response headers (its CSP among them) and gzip, as the worker
//   sends a page; everything else they load (`/widget.js`, the live view)
//   comes from the worker through it.
//
// Profiles, each its own run of alternating loads: a 360 x 740 viewport with
// CDP Network.emulateNetworkConditions (1.6 Mbps down, 750 kbps up, 150 ms
// round trip), the slow-phone profile; then the same with CDP
// Emulation.setCPUThrottlingRate 4 as well (a phone's CPU: the main thread's
// work, layout above all, counts four times). Reported, median of RUNS loads
// each: the page's first and last byte,
// when it is parsed (domInteractive), its body's bytes on the wire, first
// contentful paint (the browser's `paint` entry), the widget's QR code
// painted, the bytes moved, and the ratio now / before of each, with its 95%
// interval (bootstrap: both sides' loads resampled 2,000 times): a load on
// this profile varies by about ±100 ms, so a ratio whose interval holds 1 is
// no difference a run can tell; and each page's HTML size.
//
// Environment: CHECKOUT_BASE_URL, CHECKOUT_DEMO_KEY, CHROMIUM, RUNS (default 25),
// CPU (only the profile with this CPU throttling rate: 1 or 4), DUMP (a file
// to write today's page to).
import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const BASE = process.env.CHECKOUT_BASE_URL;
const KEY = process.env.CHECKOUT_DEMO_KEY;
const RUNS = Number(process.env.RUNS ?? 25);
if (!BASE || !KEY) throw new Error('run with `cargo xtask bench page`');

const NET = { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 };
/** The profiles: the network throttled alone, then the CPU too. */
const PROFILES = [
  { cpu: 1, name: '360 px, 1.6 Mbps / 150 ms' },
  { cpu: 4, name: '360 px, 1.6 Mbps / 150 ms, CPU 4x' },
].filter((p) => !process.env.CPU || p.cpu === Number(process.env.CPU));
if (PROFILES.length === 0) throw new Error('CPU is 1 or 4');
/** The shopper's language: today's page is German (from Accept-Language). */
const LOCALE = 'de-DE';

async function createSession() {
  const res = await fetch(`${BASE}/v1/sessions`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      amount: '249.95', currency: 'GBP', order_id: `bench-${Date.now()}`,
      cancel_url: 'https://shop.example/cart',
      items: [
        { name: 'Walnut desk', price: '200.00', quantity: 1 },
        { name: 'Cable tray', price: '24.95', quantity: 2 },
      ],
    }),
  });
  if (res.status !== 201) throw new Error(`POST /v1/sessions: ${res.status} ${await res.text()}`);
  return (await res.json()).id;
}

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** Commit c9ad20b's hosted page (worker/src/checkout.rs: `shell`, `STYLE`,
 * `render`) for an open test session, filled from its public view. */
function before(view, qrSvg) {
  const style = 'body{margin:0;font:16px/1.5 system-ui,sans-serif;background:#f4f5f7;color:#111}'
    + 'main{max-width:420px;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:12px;box-shadow:0 1px 4px #0002}'
    + 'h1{font-size:1.25rem;margin:0 0 .25rem}.amount{font-size:1.5rem;font-weight:700;margin:.5rem 0 0}'
    + '.etn{color:#444;margin:0 0 1rem}.qr{display:block;max-width:300px;margin:0 auto}.qr svg{width:100%;height:auto;display:block}'
    + '.pay{display:block;text-align:center;margin:1rem 0;padding:.75rem;border-radius:8px;background:#0b57d0;color:#fff;text-decoration:none;font-weight:600}'
    + '.status{padding:.5rem .75rem;border-radius:6px;background:#eef;margin:0 0 1rem}.cancel{color:#444}'
    + 'code{word-break:break-all;font-size:.85rem}'
    + '.sandbox{font:inherit;width:100%;padding:.6rem;border:2px dashed #b06000;border-radius:8px;background:#fff8e1;color:#5f3b00;cursor:pointer}';
  const link = esc(view.deep_link);
  const status = `<p class="status" role="status" data-state="${view.status}">Waiting for payment</p>`;
  const qr = `<a class="qr" href="${link}" tabindex="-1">${qrSvg}</a><a class="pay" href="${link}">Pay with Electroneum</a>`
    + `<p>Payment code: <code>${esc(view.payment_string)}</code></p>`;
  const payment = `<div class="widget" data-checkout-session="${view.id}"></div><noscript>${status}${qr}</noscript>`
    + '<script src="/widget.js" defer></script>';
  const sandbox = `<form method="post" action="/v1/sessions/${view.id}/sandbox?scenario=payment&amp;redirect=1">`
    + '<button class="sandbox" type="submit">Simulate payment (test mode)</button></form>';
  const cancel = `<p><a class="cancel" href="${esc(view.cancel_url)}">Cancel and return to ${esc(view.merchant_name)}</a></p>`;
  const body = `<h1>${esc(view.merchant_name)} <small>(test mode)</small></h1>`
    + `<p class="amount" data-testid="fiat">${esc(view.amount)} ${view.currency}</p>`
    + `<p class="etn" data-testid="etn">${view.etn_amount} ETN</p>${payment}${sandbox}${cancel}`;
  return '<!doctype html><html lang="en"><head><meta charset="utf-8">'
    + '<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">'
    + `<title>Pay ${esc(view.amount)} ${view.currency} – ${esc(view.merchant_name)}</title><style>${style}</style></head>`
    + `<body><main>${body}</main></body></html>`;
}

/** A loopback proxy in front of the worker that serves both pages the same
 * way: `/page/{which}/{id}` asks the worker for today's page of session `id`
 * (the same work on the worker for both: the old page was written from the
 * same reads), then sends `pages[which]` with the worker's response headers
 * (its CSP and the rest) and gzip, as the worker sends a page. Everything
 * else is passed to the worker. */
function proxy(pages) {
  const server = http.createServer(async (req, res) => {
    const asked = req.url.match(/^\/page\/(before|now)\/([^/?]+)$/);
    if (asked) {
      const upstream = await fetch(`${BASE}/pay/${asked[2]}`, { headers: { 'accept-language': LOCALE } });
      await upstream.arrayBuffer();
      const headers = Object.fromEntries(upstream.headers);
      delete headers['content-length'];
      delete headers['transfer-encoding'];
      headers['content-encoding'] = 'gzip';
      res.writeHead(upstream.status, headers);
      res.end(gzipSync(Buffer.from(pages[asked[1]])));
      return;
    }
    const upstream = new URL(req.url, BASE);
    const headers = { ...req.headers, host: upstream.host };
    const forwarded = http.request(upstream, { method: req.method, headers }, (answer) => {
      res.writeHead(answer.statusCode, answer.headers);
      answer.pipe(res);
    });
    forwarded.on('error', () => { res.writeHead(502); res.end(); });
    req.pipe(forwarded);
  });
  server.on('upgrade', (req, socket) => { socket.destroy(); }); // the live view falls back to polling for both
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Resolves `window.__qr` with the time (ms since navigation start) of the
 * first frame with the widget's QR code painted (inside its shadow root). */
const PROBE = `window.__qr = new Promise((resolve) => {
  const check = () => {
    const svg = document.querySelector('.widget')?.shadowRoot?.querySelector('svg');
    if (svg && svg.getBoundingClientRect().width > 0) setTimeout(() => resolve(performance.now()));
    else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
});`;

/** One cold load of `url` with the CPU throttled `cpu` times: { fcp, qr, bytes, ... }. */
async function load(browser, url, cpu) {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: LOCALE });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.clearBrowserCache');
  let bytes = 0;
  cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
  await cdp.send('Network.emulateNetworkConditions', NET);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpu });
  await page.addInitScript(PROBE);
  await page.goto(url, { waitUntil: 'commit', timeout: 120_000 });
  const qr = await Promise.race([
    page.evaluate(() => window.__qr),
    new Promise((_, reject) => setTimeout(() => reject(new Error(`no QR code on ${url} within 60 s`)), 60_000)),
  ]);
  const nav = await page.evaluate(() => performance.getEntriesByType('navigation')[0].toJSON());
  const ttfb = nav.responseStart;
  const fcp = await page.evaluate(() => new Promise((resolve) => {
    const seen = performance.getEntriesByName('first-contentful-paint')[0];
    if (seen) { resolve(seen.startTime); return; }
    new PerformanceObserver((list) => {
      const e = list.getEntriesByName('first-contentful-paint')[0];
      if (e) resolve(e.startTime);
    }).observe({ type: 'paint', buffered: true });
  }));
  await context.close();
  return { ttfb, fcp, qr, bytes, html: nav.responseEnd, parsed: nav.domInteractive, body: nav.encodedBodySize };
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

/** The 95% interval of median(now) / median(before), by bootstrap: each
 * side's loads drawn again with replacement, 2,000 times (a fixed seed, so a
 * run's figures can be checked). */
function interval(before, now) {
  let seed = 1;
  const random = () => { seed = (seed * 16807) % 2147483647; return seed / 2147483647; };
  const draw = (xs) => xs.map(() => xs[Math.floor(random() * xs.length)]);
  const ratios = [];
  for (let i = 0; i < 2000; i += 1) ratios.push(median(draw(now)) / median(draw(before)));
  ratios.sort((a, b) => a - b);
  return [ratios[50], ratios[1949]];
}

const id = await createSession();
const view = await (await fetch(`${BASE}/v1/sessions/${id}/public`)).json();
const today = await (await fetch(`${BASE}/pay/${id}`, { headers: { 'Accept-Language': LOCALE } })).text();
const qrSvg = today.match(/<a class="qr"[^>]*>(<svg[\s\S]*?<\/svg>)<\/a>/)?.[1];
if (!qrSvg) throw new Error("today's page has no QR code in its <noscript>");
const HTML = { before: before(view, qrSvg), now: today };
if (process.env.DUMP) { (await import('node:fs')).writeFileSync(process.env.DUMP, today); }
const server = await proxy(HTML);
const origin = `http://127.0.0.1:${server.address().port}`;
const PAGES = { before: `${origin}/page/before/${id}`, now: `${origin}/page/now/${id}` };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
await load(browser, PAGES.now, 1); // warm up the worker and Chromium
const gz = (t) => gzipSync(Buffer.from(t), { level: 9 }).length;
for (const profile of PROFILES) {
  const results = { before: [], now: [] };
  for (let i = 0; i < RUNS; i += 1) {
    const order = i % 2 ? ['now', 'before'] : ['before', 'now'];
    for (const which of order) results[which].push(await load(browser, PAGES[which], profile.cpu));
  }
  const m = (which, key) => median(results[which].map((r) => r[key]));
  console.log(`\nthe hosted page on a slow phone (${profile.name}), median of ${RUNS} cold loads each (same run, alternating)\n`);
  console.log('| measure | before (c9ad20b, English) | now (German) | ratio (now / before) | 95% interval |');
  console.log('|---|---:|---:|---:|---:|');
  console.log(`| the page's HTML (gzip -9) | ${gz(HTML.before)} B | ${gz(HTML.now)} B | ${(gz(HTML.now) / gz(HTML.before)).toFixed(2)} | |`);
  const intervals = {};
  for (const [name, key, unit] of [['first byte of the page', 'ttfb', 'ms'], ['last byte of the page', 'html', 'ms'], ['page parsed (domInteractive)', 'parsed', 'ms'], ['page body over the wire', 'body', 'B'], ['first contentful paint', 'fcp', 'ms'], ['QR code painted', 'qr', 'ms'], ['bytes moved', 'bytes', 'B']]) {
    const b = m('before', key);
    const n = m('now', key);
    const [low, high] = intervals[key] = interval(results.before.map((r) => r[key]), results.now.map((r) => r[key]));
    console.log(`| ${name} | ${b.toFixed(0)} ${unit} | ${n.toFixed(0)} ${unit} | ${(n / b).toFixed(2)} | ${low.toFixed(2)}–${high.toFixed(2)} |`);
  }
  const [low, high] = intervals.fcp;
  const verdict = high < 1 ? 'sooner than before' : low > 1 ? 'later than before' : 'no difference this run can tell';
  console.log(`\nfirst contentful paint (${profile.name}): ${verdict} (95% interval of the ratio ${low.toFixed(2)}–${high.toFixed(2)})`);
}
await browser.close();
server.close();
