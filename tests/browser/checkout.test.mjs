// The hosted checkout page and the widget's live mode, in headless Chromium
// against the worker in workerd: a session is followed until it is paid (through
// the sandbox provider) and redirects, or until it expires.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const BASE = process.env.CHECKOUT_BASE_URL;
const KEY = process.env.CHECKOUT_DEMO_KEY;
const ARTIFACTS = process.env.ARTIFACTS ?? 'artifacts';
let browser;
let expiring;

async function createSession(body) {
  const res = await fetch(`${BASE}/v1/sessions`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 201, await res.clone().text());
  return res.json();
}

before(async () => {
  assert.ok(BASE && KEY, 'CHECKOUT_BASE_URL and CHECKOUT_DEMO_KEY are set by `cargo xtask test`');
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  // Made first, so that its minute runs while the other tests do.
  expiring = await createSession({ amount: '3.00', currency: 'EUR', expires_in: 60 });
});

after(async () => { await browser?.close(); });

test('Buy in the demo shop opens a live hosted checkout whose QR code pays the session', async () => {
  const page = await browser.newPage({ viewport: { width: 480, height: 1000 }, locale: 'en-US' });
  await page.goto(`${BASE}/`);
  await page.getByRole('button', { name: 'Buy' }).click();
  await page.waitForURL(/\/pay\/cs_/);
  const status = page.locator('.widget .status');
  await status.filter({ hasText: 'Waiting for payment' }).waitFor();
  assert.match(await page.locator('.widget .countdown').textContent(), /^Expires in (29|30):\d\d$/);
  assert.match(await page.locator('h1').textContent(), /Demo Shop/);
  assert.equal(await page.getByTestId('fiat').textContent(), '€19.99');
  assert.equal(await page.getByTestId('etn').textContent(), 'ETN\u00a09,995.00');
  const href = await page.locator('.widget a.pay').getAttribute('href');
  assert.match(href, /^https:\/\/link\.electroneum\.com\/jWEpM5HcxP\?vendor=etn-it-0dec0ffee0000\/[0-9a-f]{10}\/9995\.00$/);
  await page.screenshot({ path: join(ARTIFACTS, 'hosted-checkout.png'), fullPage: true });
  const png = join(ARTIFACTS, 'hosted-checkout-qr.png');
  await page.locator('.widget a.qr').screenshot({ path: png });
  const decoded = execFileSync('zbarimg', ['--quiet', '--raw', '-Sbinary', png]).toString('utf8').replace(/\n$/, '');
  assert.equal(decoded, href);
  // The "Simulate payment" control (test mode) pays through the sandbox provider.
  await page.getByRole('button', { name: /Simulate payment/ }).click();
  await page.waitForURL(/\/pay\/cs_/);
  await page.getByText('Paid. Thank you!').waitFor();
  await page.close();
});

test('live mode reaches "paid" when the provider confirms, then goes to the return URL', async () => {
  const session = await createSession({ amount: '4.00', currency: 'EUR', return_url: `${BASE}/demo/thanks.html` });
  const page = await browser.newPage({ locale: 'fr-FR' });
  await page.setContent(`<!doctype html><div id="live" data-checkout-session="${session.id}"></div><script src="${BASE}/widget.js"></script>`);
  await page.locator('#live .status').filter({ hasText: 'En attente du paiement' }).waitFor();
  const sandbox = await fetch(`${BASE}/v1/sessions/${session.id}/sandbox?scenario=payment`, { method: 'POST' });
  assert.equal(sandbox.status, 200);
  await page.locator('#live .status[data-state=paid]').waitFor({ timeout: 20000 });
  assert.equal(await page.locator('#live .status').textContent(), 'Payé. Merci !');
  // (Static assets serve /demo/thanks.html as /demo/thanks.)
  await page.waitForURL(/\/demo\/thanks/, { timeout: 10000 });
  await page.getByText('Thank you!').waitFor();
  await page.close();
});

/** Pays a test session through the sandbox (a signed gateway webhook). */
async function pay(id) {
  const sandbox = await fetch(`${BASE}/v1/sessions/${id}/sandbox?scenario=payment`, { method: 'POST' });
  assert.equal(sandbox.status, 200, await sandbox.text());
}

/** What a page asks of the worker about sessions: polls, and sockets opened. */
function watch(page) {
  const seen = { polls: 0, sockets: [] };
  page.on('request', (r) => { if (r.url().includes('/public')) seen.polls += 1; });
  page.on('websocket', (ws) => { if (ws.url().includes('/live')) seen.sockets.push(ws); });
  return seen;
}

test('the hosted page follows the session over its WebSocket: no polling, "paid" at once', async () => {
  const session = await createSession({ amount: '5.00', currency: 'EUR' });
  const page = await browser.newPage();
  const seen = watch(page);
  await page.goto(`${BASE}/pay/${session.id}`);
  await page.locator('.widget .status[data-state=pending]').waitFor();
  assert.equal(seen.sockets.length, 1);
  assert.match(seen.sockets[0].url(), new RegExp(`^ws://.*/v1/sessions/${session.id}/live$`));
  // Four seconds of waiting: the socket brought the view, nothing polled.
  await new Promise((r) => setTimeout(r, 4000));
  assert.equal(seen.polls, 0);
  const paid = Date.now();
  await pay(session.id);
  await page.locator('.widget .status[data-state=paid]').waitFor({ timeout: 5000 });
  assert.ok(Date.now() - paid < 2000, `"paid" took ${Date.now() - paid} ms`);
  assert.equal(seen.polls, 0);
  await page.close();
});

test('a widget on a shop\'s page follows its session over the WebSocket too', async () => {
  const session = await createSession({ amount: '5.50', currency: 'EUR' });
  const page = await browser.newPage();
  const seen = watch(page);
  await page.setContent(`<!doctype html><div id="live" data-checkout-session="${session.id}"></div><script src="${BASE}/widget.js"></script>`);
  await page.locator('#live .status[data-state=pending]').waitFor();
  await pay(session.id);
  await page.locator('#live .status[data-state=paid]').waitFor({ timeout: 5000 });
  assert.equal(seen.sockets.length, 1);
  assert.equal(seen.polls, 0);
  await page.close();
});

test('with WebSockets refused, the page polls instead and still turns to "paid"', async () => {
  const session = await createSession({ amount: '6.00', currency: 'EUR' });
  const page = await browser.newPage();
  // A browser or a proxy that will not open WebSockets.
  await page.addInitScript(() => { window.WebSocket = function WebSocket() { throw new Error('refused'); }; });
  const seen = watch(page);
  await page.goto(`${BASE}/pay/${session.id}`);
  await page.locator('.widget .status[data-state=pending]').waitFor();
  await pay(session.id);
  await page.locator('.widget .status[data-state=paid]').waitFor({ timeout: 20000 });
  assert.equal(seen.sockets.length, 0);
  assert.ok(seen.polls >= 2, `${seen.polls} polls`);
  await page.close();
});

test('a socket a proxy closes at once falls back to polling', async () => {
  const session = await createSession({ amount: '6.50', currency: 'EUR' });
  const page = await browser.newPage();
  await page.routeWebSocket(/\/live$/, (ws) => ws.close({ code: 1011, reason: 'proxy' }));
  const seen = watch(page);
  await page.goto(`${BASE}/pay/${session.id}`);
  await page.locator('.widget .status[data-state=pending]').waitFor();
  await pay(session.id);
  await page.locator('.widget .status[data-state=paid]').waitFor({ timeout: 20000 });
  assert.ok(seen.polls >= 1, `${seen.polls} polls`);
  await page.close();
});

test('a socket the server drops is opened again, and "paid" still comes over it', async () => {
  const session = await createSession({ amount: '7.00', currency: 'EUR' });
  const page = await browser.newPage();
  const seen = watch(page);
  await page.goto(`${BASE}/pay/${session.id}`);
  await page.locator('.widget .status[data-state=pending]').waitFor();
  assert.equal(seen.sockets.length, 1);
  const dropped = await fetch(`${BASE}/__dev/sessions/${session.id}/drop-live`, { method: 'POST' });
  assert.equal((await dropped.json()).dropped, 1);
  // The widget polls once (a change may have come meanwhile), then reconnects.
  const start = Date.now();
  while (seen.sockets.length < 2) {
    assert.ok(Date.now() - start < 10000, 'no second socket within 10 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 500));
  const polls = seen.polls;
  await pay(session.id);
  await page.locator('.widget .status[data-state=paid]').waitFor({ timeout: 5000 });
  assert.equal(seen.polls, polls, 'the new socket brought "paid", not a poll');
  await page.close();
});

test('an unknown session shows a retrying state, never a blank box', async () => {
  const page = await browser.newPage();
  await page.setContent(`<!doctype html><div id="ghost" data-checkout-session="cs_aaaaaaaaaaaaaaaaaaaaaaaa"></div><script src="${BASE}/widget.js"></script>`);
  await page.locator('#ghost .status[data-state=retrying]').waitFor();
  assert.match(await page.locator('#ghost .status').textContent(), /Retrying/);
  await page.close();
});

test('live mode shows "expired" when the session expires', async () => {
  const page = await browser.newPage();
  await page.goto(`${BASE}/pay/${expiring.id}`);
  await page.locator('.widget .status').filter({ hasText: 'Waiting for payment' }).waitFor();
  const remaining = expiring.expires_at * 1000 - Date.now();
  await page.locator('.widget .status[data-state=expired]').waitFor({ timeout: Math.max(remaining, 0) + 25000 });
  assert.equal(await page.locator('.widget .status').textContent(), 'This payment has expired.');
  assert.equal(await page.locator('.widget svg').count(), 0);
  await page.close();
});

/** Runs a sandbox scenario on a test session (`scenario=...&...`). */
async function sandbox(id, query) {
  const res = await fetch(`${BASE}/v1/sessions/${id}/sandbox?${query}`, { method: 'POST' });
  const text = await res.text();
  assert.equal(res.status, 200, text);
  return JSON.parse(text);
}

test('a partially paid checkout says what is still due and shows the QR code of the rest', async () => {
  // 10.00 EUR is 5000.00 ETN; 40 % short is 6.00 EUR, 3000.00 ETN received.
  const session = await createSession({ amount: '10.00', currency: 'EUR' });
  const page = await browser.newPage({ viewport: { width: 480, height: 1000 }, locale: 'en-US' });
  await page.goto(`${BASE}/pay/${session.id}`);
  await page.locator('.widget .status[data-state=pending]').waitFor();
  await sandbox(session.id, 'scenario=underpaid&percent=40');
  const status = page.locator('.widget .status[data-state=partially_paid]');
  await status.waitFor({ timeout: 5000 });
  assert.equal(await status.textContent(), 'Received 3,000.00 of 5,000.00 ETN. Still due: 2,000.00 ETN.');
  const view = await (await fetch(`${BASE}/v1/sessions/${session.id}/public`)).json();
  const [, rest, amount] = view.payment_string.split('/');
  assert.equal(amount, '2000.00');
  assert.notEqual(rest, session.payment_id, 'the rest is asked under a new payment id');
  assert.equal(await page.locator('.widget .amount').textContent(), 'ETN\u00a02,000.00');
  const href = await page.locator('.widget a.pay').getAttribute('href');
  assert.ok(href.endsWith(view.payment_string), href);
  // An independent decoder reads the remainder's deep link from the QR code.
  const png = join(ARTIFACTS, 'hosted-checkout-rest-qr.png');
  await page.locator('.widget a.qr').screenshot({ path: png });
  const decoded = execFileSync('zbarimg', ['--quiet', '--raw', '-Sbinary', png]).toString('utf8').replace(/\n$/, '');
  assert.equal(decoded, href);
  assert.match(decoded, new RegExp(`/${rest}/2000\\.00$`));
  await page.screenshot({ path: join(ARTIFACTS, 'hosted-checkout-partially-paid.png'), fullPage: true });
  // The rest pays it.
  await pay(session.id);
  await page.locator('.widget .status[data-state=paid]').waitFor({ timeout: 5000 });
  await page.close();
});

test('a payment after the expiry is held for the merchant, and the page turns "paid" once accepted', async () => {
  const session = await createSession({ amount: '3.00', currency: 'EUR' });
  const page = await browser.newPage({ locale: 'en-US' });
  await page.goto(`${BASE}/pay/${session.id}`);
  await page.locator('.widget .status[data-state=pending]').waitFor();
  // The sandbox expires the session now, then pays it: the demo merchant's
  // policy has no late window, so the merchant decides.
  await sandbox(session.id, 'scenario=late');
  const status = page.locator('.widget .status[data-state=needs_review]');
  await status.waitFor({ timeout: 5000 });
  assert.equal(await status.textContent(), 'Your payment arrived after this checkout expired. The merchant will confirm it.');
  assert.equal(await page.locator('.widget svg').count(), 0, 'no QR code to pay again');
  await page.screenshot({ path: join(ARTIFACTS, 'hosted-checkout-needs-review.png'), fullPage: true });
  // A reload still follows it (the page waits for the merchant).
  await page.reload();
  await status.waitFor({ timeout: 5000 });
  const accepted = await fetch(`${BASE}/v1/sessions/${session.id}/accept`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${KEY}` },
  });
  assert.equal(accepted.status, 200, await accepted.text());
  await page.locator('.widget .status[data-state=paid]').waitFor({ timeout: 5000 });
  await page.close();
});

test('an overpaid checkout tells the shopper the merchant will refund the excess', async () => {
  const session = await createSession({ amount: '10.00', currency: 'EUR' });
  const page = await browser.newPage({ locale: 'en-US' });
  await page.goto(`${BASE}/pay/${session.id}`);
  await page.locator('.widget .status[data-state=pending]').waitFor();
  await sandbox(session.id, 'scenario=overpaid&percent=10');
  const status = page.locator('.widget .status[data-state=paid]');
  await status.waitFor({ timeout: 5000 });
  assert.equal(await status.textContent(), 'Paid. You paid 500.00 ETN more than was due: the merchant will refund it.');
  await page.close();
});

test('the hosted page speaks every language: one language per page, right to left where it is, no serious axe-core violation, usable at 360 px', async () => {
  const session = await createSession({
    amount: '249.95', currency: 'GBP', order_id: `LANG-${Date.now()}`,
    items: [{ name: 'Walnut desk', price: '200.00', quantity: 1 }, { name: 'Cable tray', price: '24.97', quantity: 2 }],
    cancel_url: `${BASE}/demo/`,
  });
  // What the page offers: every language of its page of languages.
  const menu = await (await fetch(`${BASE}/pay/${session.id}/languages?lang=en`)).text();
  const tags = [...menu.matchAll(/hreflang="([^"]+)"/g)].map((m) => m[1]);
  assert.ok(tags.length > 40, `${tags.length} languages`);
  const failures = [];
  for (const tag of tags) {
    // The browser asks for another language: ?lang= wins.
    const context = await browser.newContext({ viewport: { width: 360, height: 900 }, locale: tag === 'de' ? 'fr-FR' : 'de-DE', bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${BASE}/pay/${session.id}?lang=${tag}`);
    await page.locator(`.widget .status[data-state=pending]`).waitFor();
    const html = page.locator('html');
    if (await html.getAttribute('lang') !== tag) failures.push(`${tag}: html lang ${await html.getAttribute('lang')}`);
    const rtl = ['ar', 'fa', 'he', 'ur'].includes(tag);
    if (await html.getAttribute('dir') !== (rtl ? 'rtl' : 'ltr')) failures.push(`${tag}: dir`);
    // The widget speaks the page's language.
    const pay = await page.locator('.widget a.pay').textContent();
    const own = await page.evaluate(() => document.querySelector('noscript')?.textContent ?? '');
    if (!own.includes(pay.trim())) failures.push(`${tag}: the widget says ${pay}, the page ${own.slice(0, 80)}`);
    if (tag !== 'en' && /Simulate payment|Cancel and return|How to pay/.test(await page.locator('main').innerText())) {
      failures.push(`${tag}: English words on the page`);
    }
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (overflow > 0) failures.push(`${tag}: ${overflow} px wider than 360`);
    if (['de', 'ja', 'ur'].includes(tag)) await page.screenshot({ path: join(ARTIFACTS, `hosted-${tag}-360.png`), fullPage: true });
    await page.addScriptTag({ path: AXE });
    const result = await page.evaluate(async () => window.axe.run(document, { resultTypes: ['violations'] }));
    for (const v of result.violations) {
      if (v.impact === 'serious' || v.impact === 'critical') failures.push(`${tag}: ${v.id} ${v.help}: ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(', ')}`);
    }
    await context.close();
  }
  assert.deepEqual(failures, []);
});

test('the page of languages names each in itself, is accessible, and leads to the checkout in the one picked', async () => {
  const session = await createSession({ amount: '12.00', currency: 'EUR' });
  const context = await browser.newContext({ locale: 'ur-PK', viewport: { width: 360, height: 800 }, bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${BASE}/pay/${session.id}`);
  assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
  // The checkout's link to it, in the checkout's language.
  await page.locator('nav a').click();
  await page.waitForURL(/\/languages/);
  assert.equal(await page.locator('html').getAttribute('lang'), 'ur');
  assert.equal(await page.locator('[aria-current=true]').getAttribute('lang'), 'ur');
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () => window.axe.run(document, { resultTypes: ['violations'] }));
  const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(serious.map((v) => v.id), []);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${overflow} px wider than 360`);
  await page.locator('a[hreflang=de]').click();
  await page.locator('.widget .status[data-state=pending]').waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'de');
  assert.match(await page.getByTestId('fiat').textContent(), /12,00/);
  await context.close();
});

test('the hosted page follows the browser, and on a phone the pay button comes before the QR code', async () => {
  const session = await createSession({ amount: '1250', currency: 'JPY' });
  const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 360, height: 800 }, isMobile: true });
  const page = await context.newPage();
  await page.goto(`${BASE}/pay/${session.id}`);
  await page.locator('.widget .status[data-state=pending]').waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'ja');
  assert.equal(await page.getByTestId('fiat').textContent(), '￥1,250');
  const [pay, qr] = await Promise.all([page.locator('.widget a.pay').boundingBox(), page.locator('.widget a.qr').boundingBox()]);
  assert.ok(pay && qr, 'the widget shows a pay link and a QR code');
  assert.ok(pay.y < qr.y, `pay button at ${pay.y}, QR code at ${qr.y}`);
  await context.close();
});

test('the hosted page keeps the widget its place: nothing below it jumps when the QR code arrives', async () => {
  const session = await createSession({ amount: '249.95', currency: 'GBP', items: [{ name: 'Walnut desk', price: '249.95', quantity: 1 }] });
  for (const [locale, width] of [['de-DE', 360], ['ja-JP', 360], ['en-GB', 1280]]) {
    const context = await browser.newContext({ locale, viewport: { width, height: 800 } });
    const page = await context.newPage();
    await page.addInitScript(() => {
      window.__shifts = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shifts.push(e.value);
      }).observe({ type: 'layout-shift', buffered: true });
    });
    await page.goto(`${BASE}/pay/${session.id}`);
    await page.locator('.widget a.qr svg').waitFor();
    await page.waitForTimeout(300);
    const cls = await page.evaluate(() => window.__shifts.reduce((a, b) => a + b, 0));
    // Web Vitals call a cumulative layout shift under 0.1 good.
    assert.ok(cls < 0.1, `${locale} at ${width} px: cumulative layout shift ${cls.toFixed(3)}`);
    await context.close();
  }
});

test('without script the hosted page still pays, with the pay button first on a phone and the QR code first on a desktop', async () => {
  const session = await createSession({ amount: '9.95', currency: 'GBP' });
  for (const [width, payFirst] of [[360, true], [1280, false]]) {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${BASE}/pay/${session.id}`);
    const [status, pay, qr] = await Promise.all(['.status', 'a.pay', 'a.qr'].map((s) => page.locator(s).boundingBox()));
    assert.ok(status && pay && qr, `${width} px: the status, the pay link and the QR code are shown`);
    assert.ok(status.y < Math.min(pay.y, qr.y), `${width} px: the status comes first`);
    assert.equal(pay.y < qr.y, payFirst, `${width} px: pay button at ${pay.y}, QR code at ${qr.y}`);
    assert.equal(await page.locator('a.pay').getAttribute('href'), await page.locator('a.qr').getAttribute('href'));
    await context.close();
  }
});
