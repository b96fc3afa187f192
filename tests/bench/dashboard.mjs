// `cargo xtask bench dashboard`: how long a signed-in merchant waits for the
// dashboard's first meaningful content, against a baseline measured in the same
// run, in one headless Chromium, alternating between the two, each load in a
// fresh browser context with an empty cache.
//
// - dashboard: navigation start of `/dashboard/` until the overview's figures
//   (`#overview-figures`: paid today, this month, awaiting payment) are painted.
//   That is the shell, the stylesheet, the glue and the wasm downloaded, the
//   wasm compiled and started, `GET /v1/dashboard/me` and
//   `GET /v1/dashboard/overview` answered and rendered.
// - baseline: navigation start of `/dashboard/signin` until its heading is
//   painted: a page the worker writes as HTML, with the same stylesheet, from the
//   same server. The ratio is what the app costs over a page with no app.
//
// Conditions: no throttling, a 4x slower CPU (CDP Emulation.setCPUThrottlingRate),
// a slow network (CDP Network.emulateNetworkConditions: 1.6 Mbps down, 750 kbps
// up, 150 ms round trip). Reported: medians of RUNS loads, the ratio dashboard /
// baseline of medians taken in the same run, and the bytes each load moved.
//
// "Painted": the condition is checked on every animation frame; the time is
// taken in a task queued from that frame, which runs after it is rendered.
//
// Environment: CHECKOUT_BASE_URL, CHECKOUT_DEMO_KEY (a merchant key, for the
// sign-in links), CHROMIUM, RUNS (default 9).
import { chromium } from 'playwright-core';

const BASE = process.env.CHECKOUT_BASE_URL;
const KEY = process.env.CHECKOUT_DEMO_KEY;
const RUNS = Number(process.env.RUNS ?? 9);
if (!BASE || !KEY) throw new Error('run with `cargo xtask bench dashboard`');

const CONDITIONS = [
  { name: 'no throttling', cpu: 1, net: null },
  { name: 'CPU 4x slower', cpu: 4, net: null },
  { name: 'slow network', cpu: 1, net: { latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 } },
];

const PAGES = {
  baseline: { path: '/dashboard/signin', painted: "document.querySelector('main h1')" },
  dashboard: { path: '/dashboard/', painted: "document.getElementById('overview-figures')" },
};

/** Resolves `window.__painted` with the time (ms since navigation start) of the first frame where `painted` holds. */
function probe(painted) {
  return `window.__painted = new Promise((resolve) => {
    const check = () => { if (${painted}) setTimeout(() => resolve(performance.now())); else requestAnimationFrame(check); };
    requestAnimationFrame(check);
  });`;
}

async function signInLink() {
  const res = await fetch(`${BASE}/v1/dashboard/links`, { method: 'POST', headers: { Authorization: `Bearer ${KEY}` } });
  if (res.status !== 201) throw new Error(`POST /v1/dashboard/links: ${res.status} ${await res.text()}`);
  return (await res.json()).url;
}

/** One cold load of `which` under `condition`: { ms, bytes }. */
async function load(browser, which, condition) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  if (which === 'dashboard') {
    // Signed in first (not timed), then the cache emptied: a merchant who
    // signed in and opens the dashboard for the first time.
    await page.goto(await signInLink());
    await Promise.all([page.waitForURL(/\/dashboard\/$/), page.click('button[type=submit]')]);
    await page.waitForSelector('main h1');
    await page.goto('about:blank');
  }
  await cdp.send('Network.clearBrowserCache');
  let bytes = 0;
  cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
  if (condition.net) await cdp.send('Network.emulateNetworkConditions', { offline: false, ...condition.net });
  if (condition.cpu > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: condition.cpu });
  await page.addInitScript(probe(PAGES[which].painted));
  await page.goto(`${BASE}${PAGES[which].path}`, { waitUntil: 'commit', timeout: 120_000 });
  const ms = await page.evaluate(() => window.__painted);
  await context.close();
  return { ms, bytes };
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
const rows = [];
for (const condition of CONDITIONS) {
  const times = { baseline: [], dashboard: [] };
  const bytes = { baseline: 0, dashboard: 0 };
  await load(browser, 'dashboard', condition); // warm up the worker and Chromium
  for (let i = 0; i < RUNS; i += 1) {
    // Alternate which goes first, so that neither always follows the other.
    const order = i % 2 ? ['dashboard', 'baseline'] : ['baseline', 'dashboard'];
    for (const which of order) {
      const r = await load(browser, which, condition);
      times[which].push(r.ms);
      bytes[which] = r.bytes;
    }
  }
  const b = median(times.baseline);
  const d = median(times.dashboard);
  rows.push({ condition: condition.name, baseline: b, dashboard: d, ratio: d / b, bytes });
}
await browser.close();

console.log(`\ntime to first meaningful content, median of ${RUNS} cold loads each (same run, alternating)\n`);
console.log('| condition | sign-in page (baseline) | dashboard overview | ratio | bytes moved (baseline / dashboard) |');
console.log('|---|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(`| ${r.condition} | ${r.baseline.toFixed(0)} ms | ${r.dashboard.toFixed(0)} ms | ${r.ratio.toFixed(2)} | ${r.bytes.baseline} / ${r.bytes.dashboard} |`);
}
