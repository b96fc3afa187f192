// `cargo xtask bench widget`: time from the widget script starting to load until
// every QR code is painted, for 1 and for 20 widgets on a page, in headless
// Chromium against the worker under wrangler dev. Medians of several cold loads
// (a fresh browser context each time), and the 20/1 ratio measured in the same run.
import { chromium } from 'playwright-core';

const BASE = process.env.CHECKOUT_BASE_URL;
const RUNS = Number(process.env.RUNS ?? 7);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});

function page(n) {
  const divs = Array.from({ length: n }, (_, i) =>
    `<div data-etn-vendor="etn-it-0abc123def456/${(i + 1).toString(16).padStart(10, '0')}/${i + 1}.00"></div>`).join('');
  return `<!doctype html><html><head><meta charset="utf-8"></head><body>${divs}
<script>window.__t0 = performance.now();</script><script src="${BASE}/widget.js"></script></body></html>`;
}

async function once(n) {
  const context = await browser.newContext();
  const tab = await context.newPage();
  await tab.setContent(page(n), { waitUntil: 'domcontentloaded' });
  const ms = await tab.evaluate((n) => new Promise((resolve) => {
    const check = () => {
      const hosts = [...document.querySelectorAll('[data-etn-vendor]')];
      const painted = hosts.filter((h) => h.shadowRoot && h.shadowRoot.querySelector('svg')).length;
      if (painted === n) {
        // One more frame: the QR codes are in the DOM; wait until they are painted.
        requestAnimationFrame(() => resolve(performance.now() - window.__t0));
      } else {
        requestAnimationFrame(check);
      }
    };
    check();
  }), n);
  await context.close();
  return ms;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = {};
for (const n of [1, 20]) {
  await once(n); // warm the worker and the browser's compiler once
  const times = [];
  for (let i = 0; i < RUNS; i++) times.push(await once(n));
  results[n] = median(times);
}
await browser.close();
console.log(`\n| widgets on the page | script start to last QR painted (median of ${RUNS}) | ratio to 1 widget |`);
console.log('|---|---|---|');
for (const n of [1, 20]) {
  console.log(`| ${n} | ${results[n].toFixed(1)} ms | ${(results[n] / results[1]).toFixed(2)} |`);
}
