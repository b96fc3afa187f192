// The hosted checkout page, in headless Chromium against the worker in workerd:
// the demo shop's Buy button leads to it, and its QR code decodes (zbarimg) to
// the exact deep link it links to.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const BASE = process.env.CHECKOUT_BASE_URL;
const ARTIFACTS = process.env.ARTIFACTS ?? 'artifacts';
let browser;

before(async () => {
  assert.ok(BASE, 'CHECKOUT_BASE_URL is not set: run with `cargo xtask test`');
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
});

after(async () => { await browser?.close(); });

test('Buy in the demo shop opens a hosted checkout whose QR code pays the session', async () => {
  const page = await browser.newPage({ viewport: { width: 480, height: 900 } });
  await page.goto(`${BASE}/`);
  await page.getByRole('button', { name: 'Buy' }).click();
  await page.waitForURL(/\/pay\/cs_/);
  await page.screenshot({ path: join(ARTIFACTS, 'hosted-checkout.png'), fullPage: true });
  assert.match(await page.locator('h1').textContent(), /Demo Shop/);
  assert.equal(await page.getByTestId('fiat').textContent(), '19.99 EUR');
  assert.equal(await page.getByTestId('etn').textContent(), '9995.00 ETN');
  assert.equal(await page.getByRole('status').textContent(), 'Waiting for payment');
  const href = await page.locator('a.pay').getAttribute('href');
  assert.match(href, /^https:\/\/link\.electroneum\.com\/jWEpM5HcxP\?vendor=etn-it-0demo0shop000\/[0-9a-f]{10}\/9995\.00$/);
  const png = join(ARTIFACTS, 'hosted-checkout-qr.png');
  await page.locator('a.qr').screenshot({ path: png });
  const decoded = execFileSync('zbarimg', ['--quiet', '--raw', '-Sbinary', png]).toString('utf8').replace(/\n$/, '');
  assert.equal(decoded, href);
  // The QR code has an accessible name; the pay link is reachable by keyboard.
  assert.match(await page.locator('svg[role=img]').getAttribute('aria-label'), /9995\.00 ETN/);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'pay');
  await page.close();
});
