// `cargo xtask bench live`: how soon a shopper sees "paid" after the payment's
// confirmation was answered, and what a minute of waiting costs, in headless
// Chromium against the worker in workerd.
//
// Two ways of following a session, measured in the same run: over the
// WebSocket (the widget's live mode), and by polling alone (the fallback, with
// WebSockets refused by the page): the baseline. For each, SHOPPERS hosted
// checkout pages side by side each wait WAIT seconds (5, then 60), then their
// session is paid (the sandbox: a signed gateway webhook) and the time from
// its answer to "paid" painted on the page is taken. Reported: p50 and p99 of
// those times, their ratio to the baseline's, and the requests each page made
// about its session per minute of waiting.
//
// Environment: CHECKOUT_BASE_URL, CHECKOUT_DEMO_KEY, CHROMIUM, SHOPPERS
// (default 10).
import { chromium } from 'playwright-core';

const BASE = process.env.CHECKOUT_BASE_URL;
const KEY = process.env.CHECKOUT_DEMO_KEY;
const SHOPPERS = Number(process.env.SHOPPERS ?? 10);
const WAITS = [5, 60];
/** Milliseconds between one shopper's start and the next's. */
const GAP = 3000;
if (!BASE || !KEY) throw new Error('run with `cargo xtask bench live`');

async function createSession() {
  const res = await fetch(`${BASE}/v1/sessions`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ amount: '9.99', currency: 'EUR' }),
  });
  if (res.status !== 201) throw new Error(`POST /v1/sessions: ${res.status} ${await res.text()}`);
  return (await res.json()).id;
}

const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});

/** One shopper: opens the hosted page, waits `wait` s, is paid; the time
 * from the payment's answer to "paid" painted, and the requests the page made
 * about its session while waiting. */
async function shopper(context, wait, delay) {
  await new Promise((r) => setTimeout(r, delay));
  const id = await createSession();
  const page = await context.newPage();
  let requests = 0;
  page.on('request', (r) => { if (r.url().includes(`/v1/sessions/${id}`)) requests += 1; });
  page.on('websocket', () => { requests += 1; });
  await page.goto(`${BASE}/pay/${id}`);
  await page.locator('.widget .status[data-state=pending]').waitFor();
  await new Promise((r) => setTimeout(r, wait * 1000));
  const waiting = requests;
  const res = await fetch(`${BASE}/v1/sessions/${id}/sandbox?scenario=payment`, { method: 'POST' });
  if (res.status !== 200) throw new Error(`sandbox: ${res.status} ${await res.text()}`);
  const answered = Date.now();
  await page.waitForFunction(() => {
    const w = document.querySelector('.widget');
    return w?.shadowRoot?.querySelector('.status[data-state=paid]');
  }, null, { polling: 'raf', timeout: 30_000 });
  const ms = Date.now() - answered;
  await page.close();
  return { ms, requests: waiting };
}

/** SHOPPERS shoppers side by side, each paid after waiting `wait` s. */
async function run(mode, wait) {
  const context = await browser.newContext();
  if (mode === 'polling') {
    await context.addInitScript(() => { window.WebSocket = function WebSocket() { throw new Error('refused'); }; });
  }
  // Side by side, each starting GAP later: every one waits exactly `wait`,
  // and no two are paid at the same moment.
  const results = await Promise.all(
    Array.from({ length: SHOPPERS }, (_, i) => shopper(context, wait, i * GAP)),
  );
  await context.close();
  const requests = results.reduce((n, r) => n + r.requests, 0);
  return { times: results.map((r) => r.ms), perMinute: requests / SHOPPERS / (wait / 60) };
}

const rows = [];
for (const wait of WAITS) {
  const ws = await run('websocket', wait);
  const polling = await run('polling', wait);
  rows.push({ wait, ws, polling });
}
await browser.close();

console.log(`\n"paid" on the page after the confirmation was answered (${SHOPPERS} shoppers each, same run)\n`);
console.log('| waited before paying | WebSocket p50 / p99 | polling alone p50 / p99 (baseline) | ratio p99 | requests a minute of waiting (WebSocket / polling) |');
console.log('|---|---:|---:|---:|---:|');
for (const { wait, ws, polling } of rows) {
  const [a50, a99] = [percentile(ws.times, 0.5), percentile(ws.times, 0.99)];
  const [b50, b99] = [percentile(polling.times, 0.5), percentile(polling.times, 0.99)];
  console.log(`| ${wait} s | ${a50} ms / ${a99} ms | ${b50} ms / ${b99} ms | ${(a99 / b99).toFixed(3)} | ${ws.perMinute.toFixed(1)} / ${polling.perMinute.toFixed(1)} |`);
}
