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
const LINK = 'https://link.electroneum.com/jWEpM5HcxP?vendor=';
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
  return execFileSync('zbarimg', ['--quiet', '--raw', '-Sbinary', png]).toString('utf8').replace(/\n$/, '');
}

async function demo(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 1200 }, ...options });
  const page = await context.newPage();
  const console = [];
  page.on('console', (m) => console.push({ type: m.type(), text: m.text() }));
  await page.goto(`${BASE}/demo/etn.html`);
  await page.locator('#valid svg[role=img]').waitFor();
  return { page, console, context };
}

test('ETN markup renders a French widget whose QR code decodes to the exact deep link', async () => {
  const { page, console, context } = await demo();
  const expected = `${LINK}etn-it-0abc123def456/7ce25b4dc0/1234.56`;
  assert.equal(await page.locator('#valid a.pay').getAttribute('href'), expected);
  assert.equal(await page.locator('#valid .caption').textContent(), 'Scannez avec l’app Electroneum pour payer');
  assert.equal(await page.locator('#valid a.pay').textContent(), 'Payer avec Electroneum');
  assert.equal(await page.locator('#valid .amount').textContent(), '1\u202f234,56\u00a0ETN');
  const label = await page.locator('#valid svg[role=img]').getAttribute('aria-label');
  assert.match(label, /1\u202f234,56 ETN/);
  assert.match(label, /0abc123def456/);
  assert.match(label, /7ce25b4dc0/);
  const png = join(ARTIFACTS, 'etn-widget-qr.png');
  await page.locator('#valid .qr').screenshot({ path: png });
  assert.equal(decodeQr(png), expected);
  await page.screenshot({ path: join(ARTIFACTS, 'demo-etn.png'), fullPage: true });
  // The page's hostile CSS (svg{display:none}, red 40px links) does not reach inside.
  assert.equal(await page.locator('#valid svg').evaluate((e) => getComputedStyle(e).display), 'block');
  assert.notEqual(await page.locator('#valid a.pay').evaluate((e) => getComputedStyle(e).fontSize), '40px');
  // Urdu is right to left; the dark theme is dark but its QR code stays dark on white.
  assert.equal(await page.locator('#urdu .card').getAttribute('dir'), 'rtl');
  assert.equal(await page.locator('#second .card').evaluate((e) => getComputedStyle(e).backgroundColor), 'rgb(29, 31, 35)');
  assert.equal(await page.locator('#second rect').getAttribute('fill'), '#fff');
  // The 160 px widget still shows a whole QR code.
  const box = await page.locator('#narrow svg').boundingBox();
  assert.ok(box.width > 100 && box.width <= 160, JSON.stringify(box));
  assert.ok(!console.some((m) => m.type === 'warning'), JSON.stringify(console));
  await context.close();
});

test('keyboard reaches the pay link and the copy button; copying is announced', async () => {
  const { page, context } = await demo({ permissions: ['clipboard-read', 'clipboard-write'] });
  await page.keyboard.press('Tab');
  const focused = () => page.evaluate(() => {
    const host = document.activeElement;
    const inner = host.shadowRoot && host.shadowRoot.activeElement;
    return { host: host.id, inner: inner && inner.className };
  });
  assert.deepEqual(await focused(), { host: 'valid', inner: 'pay' });
  await page.keyboard.press('Tab');
  assert.deepEqual(await focused(), { host: 'valid', inner: 'copy' });
  await page.keyboard.press('Enter');
  const live = page.locator('#valid [aria-live=polite]');
  await live.filter({ hasText: 'Code de paiement copié' }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'etn-it-0abc123def456/7ce25b4dc0/1234.56');
  await context.close();
});

test('elements added later mount, and the API mounts and unmounts', async () => {
  const { page, context } = await demo();
  await page.evaluate(() => {
    const el = document.createElement('div');
    el.id = 'dynamic';
    el.setAttribute('data-etn-vendor', 'etn-it-0abc123def456/1234567890/5.00');
    document.getElementById('later').appendChild(el);
  });
  await page.locator('#dynamic svg[role=img]').waitFor();
  assert.equal(await page.locator('#dynamic .amount').textContent(), 'ETN\u00a05.00');
  const counts = await page.evaluate(() => {
    const el = document.getElementById('dynamic');
    window.EdgeCheckout.unmount(el);
    const after = el.shadowRoot.querySelectorAll('svg').length;
    window.EdgeCheckout.mount(el);
    window.EdgeCheckout.mount(el);
    return { after, again: el.shadowRoot.querySelectorAll('svg').length };
  });
  assert.deepEqual(counts, { after: 0, again: 1 });
  await context.close();
});

test('every kind of bad payment string shows an accessible error, never a QR code or markup', async () => {
  const { page, console, context } = await demo();
  const cases = {
    'btc-it-0abc123def456/7ce25b4dc0/1.00': 'vendor_address_prefix',
    'etn-it-0abc123def45/7ce25b4dc0/1.00': 'outlet_id_length',
    'etn-it-0abc123def456/7ce25b4dcz/1.00': 'payment_id_not_hex',
    'etn-it-0abc123def456/7ce25b4d/1.00': 'payment_id_length',
    'etn-it-0abc123def456/7ce25b4dc0/1.005': 'amount_too_many_decimals',
    'etn-it-0abc123def456/7ce25b4dc0/1,234.56': 'amount_thousands_separator',
    'etn-it-0abc123def456/7ce25b4dc0/1.00/extra': 'payment_string_segments',
    '<img src=x onerror="window.pwned=1">': 'payment_string_segments',
    'etn-it-<script>x</script>/7ce25b4dc0/1.00': 'payment_string_segments',
    'etn-it-<i>abc123def4/7ce25b4dc0/1.00': 'outlet_id_characters',
  };
  await page.evaluate((cases) => {
    for (const [i, value] of Object.keys(cases).entries()) {
      const el = document.createElement('div');
      el.id = `bad${i}`;
      el.setAttribute('data-etn-vendor', value);
      document.getElementById('later').appendChild(el);
    }
  }, cases);
  for (const [i, value] of Object.keys(cases).entries()) {
    const alert = page.locator(`#bad${i} [role=alert]`);
    await alert.waitFor();
    assert.match(await alert.textContent(), /invalid/i, value);
    assert.equal(await page.locator(`#bad${i} svg`).count(), 0, value);
    assert.equal(await page.locator(`#bad${i} img, #bad${i} script`).count(), 0, value);
    assert.ok(console.some((m) => m.type === 'error' && m.text.includes(cases[value])), `${value}: ${JSON.stringify(console)}`);
  }
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  await context.close();
});

test('mounting and unmounting 1,000 times leaves the JS heap and the listeners flat', async () => {
  const { page, context } = await demo();
  const cdp = await context.newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  // The JS heap after full collections, and the DOM's own counts of nodes and
  // JS event listeners.
  const usage = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    const { nodes, jsEventListeners } = await cdp.send('Memory.getDOMCounters');
    return { js: usedSize, nodes, listeners: jsEventListeners };
  };
  // Each cycle renders the card again and clicks its copy button.
  const cycle = (n) => page.evaluate((n) => {
    const el = document.getElementById('valid');
    for (let i = 0; i < n; i++) {
      window.EdgeCheckout.unmount(el);
      window.EdgeCheckout.mount(el);
      el.shadowRoot.querySelector('button.copy').click();
    }
    return el.shadowRoot.querySelectorAll('svg').length;
  }, n);
  assert.equal(await cycle(200), 1); // warm-up: caches, JIT, the allocator's free lists
  const before = await usage();
  assert.equal(await cycle(1000), 1);
  await page.waitForTimeout(200); // let the clipboard promises settle
  const after = await usage();
  console.log(`# over 1,000 mounts: ${JSON.stringify({ before, after })}`);
  // A closure or a record kept per render would be 100 B or more each.
  assert.ok(after.js - before.js < 64 * 1024, `JS heap grew by ${after.js - before.js} B`);
  assert.ok(after.listeners - before.listeners <= 2, `listeners: ${before.listeners} -> ${after.listeners}`);
  assert.ok(after.nodes - before.nodes < 100, `nodes: ${before.nodes} -> ${after.nodes}`);
  await context.close();
});

test('an unknown language falls back to English with one warning', async () => {
  const { page, console, context } = await demo();
  await page.evaluate(() => {
    for (const id of ['k1', 'k2']) {
      const el = document.createElement('div');
      el.id = id;
      el.setAttribute('data-etn-vendor', 'etn-it-0abc123def456/7ce25b4dc0/2.00');
      el.setAttribute('data-etn-lang', 'tlh');
      document.getElementById('later').appendChild(el);
    }
  });
  await page.locator('#k2 .caption').waitFor();
  assert.equal(await page.locator('#k1 .caption').textContent(), 'Scan with the Electroneum app to pay');
  assert.equal(console.filter((m) => m.type === 'warning' && m.text.includes('tlh')).length, 1);
  await context.close();
});

test('without data-etn-lang the widget follows the browser, then English', async () => {
  const { page, context } = await demo({ locale: 'de-DE' });
  assert.equal(await page.locator('#narrow a.pay').textContent(), 'Mit Electroneum bezahlen');
  await context.close();
});

test('the script works deferred in <head>, and several widgets stay independent', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${BASE}/demo/head-defer.html`);
  await page.locator('#deferred svg[role=img]').waitFor();
  assert.equal(await page.locator('#deferred .amount').textContent(), 'ETN\u00a07.77');
  // On the demo page, unmounting one widget leaves the others alone.
  await page.goto(`${BASE}/demo/etn.html`);
  await page.locator('#valid svg[role=img]').waitFor();
  await page.evaluate(() => window.EdgeCheckout.unmount(document.getElementById('second')));
  assert.equal(await page.locator('#second svg').count(), 0);
  assert.equal(await page.locator('#valid svg').count(), 1);
  assert.equal(await page.locator('#urdu svg').count(), 1);
  await context.close();
});
