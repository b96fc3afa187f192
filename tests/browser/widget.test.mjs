// Page-level tests of the widget in headless Chromium (Debian's, via playwright-core),
// on the demo pages served by the worker under wrangler dev.
// Run by `cargo xtask test`, which sets CHECKOUT_BASE_URL, CHROMIUM and ARTIFACTS.
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

/** Decodes a PNG with zbarimg, an independent QR decoder. */
function decodeQr(png) {
  const out = execFileSync('zbarimg', ['--quiet', '--raw', '-Sbinary', png]);
  return out.toString('utf8').replace(/\n$/, '');
}

test('ETN markup renders a QR code that decodes to the exact deep link', async () => {
  const page = await browser.newPage({ viewport: { width: 800, height: 900 } });
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`${BASE}/demo/etn.html`);
  const qr = page.locator('#valid svg[role=img]');
  await qr.waitFor();
  const expected = 'https://link.electroneum.com/jWEpM5HcxP?vendor=etn-it-0abc123def456/7ce25b4dc0/1234.56';
  assert.equal(await page.locator('#valid a.pay').getAttribute('href'), expected);
  const label = await qr.getAttribute('aria-label');
  assert.match(label, /1234\.56/);
  const png = join(ARTIFACTS, 'etn-widget-qr.png');
  await page.locator('#valid .qr').screenshot({ path: png });
  assert.equal(decodeQr(png), expected);
  await page.screenshot({ path: join(ARTIFACTS, 'demo-etn.png'), fullPage: true });
  // The malformed string on the same page shows an error state, and no QR code.
  const alert = page.locator('#invalid [role=alert]');
  await alert.waitFor();
  assert.match(await alert.textContent(), /invalid/i);
  assert.equal(await page.locator('#invalid svg').count(), 0);
  assert.ok(errors.some((e) => e.includes('amount_thousands_separator')), `console errors: ${errors}`);
  await page.close();
});
