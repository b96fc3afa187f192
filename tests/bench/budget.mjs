// `cargo xtask bench budget`: what one paid session of each dialect costs of
// Cloudflare's free plan, counted at the bindings by the worker itself (dev
// mode: `GET /__dev/usage`), from its creation to its merchant's webhook
// delivered, with the shopper's hosted checkout open in headless Chromium
// meanwhile (following the session live) for LIVE_SECONDS (default 60).
//
// For each dialect: the counters are reset, the merchant's backend creates a
// session (native: with an Idempotency-Key and an order_id), the shopper opens
// `/pay/{id}` and waits, the session is paid (a gateway webhook signed with the
// merchant's gateway secret, as a payment processor sends it to
// `/api/webhook.php`), the page shows "paid", and the merchant's receiver (a server on
// loopback, subscribed to `session.paid`) gets the webhook. Then the counters
// are read.
//
// An account's one-time costs are paid by a session opened before counting.
//
// Prints the counts per dialect, and per resource the free plan's daily limit
// and the paid sessions a day it allows (which one binds). With ASSERT=1,
// fails when a count is over LIMITS below: a change that adds a KV write, an
// object request or rows written per paid session fails `cargo xtask test`.
//
// Environment: CHECKOUT_BASE_URL, CHECKOUT_DEMO_KEY, GATEWAY_SECRET, CHROMIUM,
// LIVE_SECONDS, ASSERT.
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { chromium } from 'playwright-core';

const BASE = process.env.CHECKOUT_BASE_URL;
const KEY = process.env.CHECKOUT_DEMO_KEY;
const GATEWAY_SECRET = process.env.GATEWAY_SECRET;
const LIVE_SECONDS = Number(process.env.LIVE_SECONDS ?? 60);
const ASSERT = process.env.ASSERT === '1';
if (!BASE || !KEY || !GATEWAY_SECRET) throw new Error('run with `cargo xtask bench budget`');

/** The free plan's daily limits (Workers Free, KV, Durable Objects). */
const FREE_PLAN = {
  worker_requests: 100_000,
  kv_reads: 100_000,
  kv_writes: 1_000,
  kv_lists: 1_000,
  object_requests: 100_000,
  rows_written: 100_000,
};

/**
 * What one paid session may cost at most (asserted by `cargo xtask test`):
 * the figures this version measures. Lower them when a change makes a session
 * cheaper; a change that needs more must say why here.
 */
const LIMITS = {
  // Creation, the hosted page, the shopper's WebSocket, the payment's webhook.
  worker_requests: 4,
  // The key and the merchant at creation, the merchant at the payment, and
  // the rates feed once a RATES_TTL per isolate: at most, when the isolate
  // has read none of them in the last 30 s (store/recent.rs keeps them that
  // long, so a busy merchant's sessions cost fewer, often none).
  kv_reads: 4,
  kv_writes: 0,
  kv_lists: 0,
  // One command each: creation, the page's read, the WebSocket, the payment.
  object_requests: 4,
  // The session (numbered: its payment id needs no index entry), an
  // Idempotency-Key and an order id, the session paid (the day's totals are
  // rolled up later, a few rows a day for all sessions), the delivery (its row
  // and its key's index entry) and its attempt settled.
  rows_written: 7,
  subrequests: 1,
};

const HEADERS = { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' };

async function call(method, path, body, headers = HEADERS) {
  const res = await fetch(`${BASE}${path}`, { method, headers, body: body && JSON.stringify(body) });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** A payment processor's signed webhook: the session is paid. */
async function confirm(id) {
  const body = JSON.stringify({
    event: 'payment.succeeded', session_id: id, amount: '19.99', currency: 'EUR',
    reference: `psp-${id}`, timestamp: Math.floor(Date.now() / 1000),
  });
  const signature = createHmac('sha256', GATEWAY_SECRET).update(body).digest('hex');
  const res = await fetch(`${BASE}/api/webhook.php`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Signature': `sha256=${signature}` }, body,
  });
  if (res.status !== 200) throw new Error(`webhook: ${res.status} ${await res.text()}`);
}

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

/** How each dialect's backend opens a session: the session id it answers. */
const DIALECTS = {
  native: async () => (await call('POST', '/v1/sessions',
    { amount: '19.99', currency: 'EUR', order_id: `budget-${unique()}` },
    { ...HEADERS, 'Idempotency-Key': unique() })).id,
  gateway: async () => (await call('POST', '/gateway/session.php',
    { amount: '19.99', currency: 'EUR', order_id: `budget-${unique()}`, domain: 'demo-shop.example' })).session_id,
  ewallet: async () => {
    const order = await call('POST', '/api/v1/orders', {
      amount: '19.99', currency: 'EUR', order_id: `budget-${unique()}`, redirect_url: 'https://shop.example/done',
      customer_details: { name: 'Ada', surname: 'Lovelace', email: 'ada@example.com', phone: '+441234567890' },
    });
    return new URL(order.checkout_url).pathname.split('/').pop();
  },
  link: async () => {
    const link = await call('POST', '/wallet/createPaymentLink',
      { amount: '19.99', currency: 'EUR', email: 'ada@example.com', ref: 'budget' });
    return new URL(link.url).pathname.split('/').pop();
  },
};

// The merchant's receiver, on loopback: every webhook is answered 200.
const received = [];
const receiver = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => { body += chunk; });
  req.on('end', () => { received.push(body); res.end('ok'); });
});
await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
await call('PUT', '/api/v2/webhooks/config', {
  url: `http://127.0.0.1:${receiver.address().port}/hooks`, event_types: ['session.paid'],
});

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});

async function until(what, check, ms = 20_000) {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > ms) throw new Error(`${what} did not happen within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// What an account pays once (its tables, its signing secrets read from KV,
// the check for sessions an older version kept in KV) is paid before counting.
await DIALECTS.native();

const rows = {};
for (const [dialect, open] of Object.entries(DIALECTS)) {
  await call('DELETE', '/__dev/usage');
  const id = await open();
  const page = await browser.newPage();
  await page.goto(`${BASE}/pay/${id}`);
  await page.locator('.widget .status[data-state=pending]').waitFor();
  await new Promise((r) => setTimeout(r, LIVE_SECONDS * 1000));
  const before = received.length;
  await confirm(id);
  await page.locator('.widget .status[data-state=paid]').waitFor({ timeout: 20_000 });
  await until('the merchant webhook', () => received.length > before);
  // Let the delivery's attempt be recorded after the receiver answered.
  await new Promise((r) => setTimeout(r, 1000));
  rows[dialect] = await call('GET', '/__dev/usage');
  await page.close();
}
await browser.close();
receiver.close();

// What the history costs later: a delivery is forgotten 30 to 60 days on,
// with its table (outbox/history.rs), where deleting its row would cost a row
// written. Measured by making this account's deliveries 31 days older, then
// the cron's sweep, twice: the first sweep drops the older table (empty), the
// second the one the deliveries are in. Rows written by each.
async function ageAndSweep() {
  const { aged } = await call('POST', '/__dev/age-deliveries?days=31');
  await call('DELETE', '/__dev/usage');
  await call('POST', '/__dev/sweep');
  return { aged, rows: (await call('GET', '/__dev/usage')).rows_written };
}
const dropEmpty = await ageAndSweep();
const dropFull = await ageAndSweep();
const { data: left } = await call('GET', '/api/v2/webhooks/events');
if (dropFull.aged === 0 || left.length !== 0) throw new Error(`history: ${dropFull.aged} aged, ${left.length} left`);

const RESOURCES = ['worker_requests', 'kv_reads', 'kv_writes', 'kv_lists', 'object_requests', 'rows_written', 'subrequests'];
console.log(`\nwhat one paid session costs, creation to merchant webhook delivered, shopper's live view open ${LIVE_SECONDS} s\n`);
console.log(`| resource | ${Object.keys(rows).join(' | ')} | free plan a day | paid sessions a day |`);
console.log(`|---|${Object.keys(rows).map(() => '---:').join('|')}|---:|---:|`);
let binding = null;
for (const r of RESOURCES) {
  const worst = Math.max(...Object.values(rows).map((u) => u[r]));
  const limit = FREE_PLAN[r];
  const ceiling = limit === undefined ? null : (worst === 0 ? Infinity : Math.floor(limit / worst));
  if (ceiling !== null && (binding === null || ceiling < binding.ceiling)) binding = { r, ceiling };
  const perDay = ceiling === null ? '(50 per invocation)' : (ceiling === Infinity ? 'no limit reached' : ceiling.toLocaleString('en-US'));
  console.log(`| ${r.replaceAll('_', ' ')} | ${Object.values(rows).map((u) => u[r]).join(' | ')} | ${limit === undefined ? '' : limit.toLocaleString('en-US')} | ${perDay} |`);
}
console.log(`\nbinding: ${binding.r.replaceAll('_', ' ')}, ${binding.ceiling.toLocaleString('en-US')} paid sessions a day`);
console.log(`forgetting the history later (the cron's sweep dropping a table): ${dropFull.rows} rows written with ${dropFull.aged} deliveries in it, ${dropEmpty.rows} with none`);

if (ASSERT) {
  const over = [];
  for (const [dialect, usage] of Object.entries(rows)) {
    for (const [r, max] of Object.entries(LIMITS)) {
      if (usage[r] > max) over.push(`${dialect}: ${r} ${usage[r]} > ${max}`);
    }
  }
  // Dropping a table costs a few rows of the schema, whatever it holds; a
  // row deleted per delivery would cost each paid session one more.
  if (dropFull.rows >= dropEmpty.rows + dropFull.aged) {
    over.push(`forgetting ${dropFull.aged} deliveries: ${dropFull.rows} rows written (${dropEmpty.rows} for none)`);
  }
  if (over.length) {
    console.error(`a paid session costs more than it may:\n  ${over.join('\n  ')}`);
    process.exit(1);
  }
  console.log('every count within its limit');
}
