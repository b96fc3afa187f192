// The hosted checkout page and the widget's live mode, in headless Chromium
// against the worker in workerd: a session is followed until it is paid (through
// the sandbox provider) and redirects, or until it expires.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

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
  assert.equal(await page.getByTestId('fiat').textContent(), '19.99 EUR');
  assert.equal(await page.getByTestId('etn').textContent(), '9995.00 ETN');
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
