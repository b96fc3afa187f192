//! The widget's CSS, scoped to its shadow root: the page's styles cannot reach in,
//! and these cannot leak out. Light by default, dark with the system or
//! `data-theme="dark"`; the QR code itself is always dark on white. On a phone
//! (a narrow screen) the pay button comes first, under the status: the
//! shopper is holding the phone the Electroneum app is on, and taps rather
//! than scans.

pub const CSS: &str = "\
:host{display:block;box-sizing:border-box;min-width:160px;max-width:400px;color-scheme:light;\
--bg:#fff;--fg:#111;--muted:#555;--accent:#0b57d0;--ok:#0a7d32;--bad:#b3261e;--border:#d0d4da}\
@media (prefers-color-scheme:dark){:host(:not([data-theme=light])){color-scheme:dark;\
--bg:#1d1f23;--fg:#eceff3;--muted:#b0b6bf;--accent:#8ab4f8;--ok:#6dd58c;--bad:#f2b8b5;--border:#3c4043}}\
:host([data-theme=dark]){color-scheme:dark;--bg:#1d1f23;--fg:#eceff3;--muted:#b0b6bf;--accent:#8ab4f8;\
--ok:#6dd58c;--bad:#f2b8b5;--border:#3c4043}\
*{box-sizing:border-box}\
.card{display:flex;flex-direction:column;align-items:stretch;gap:8px;padding:12px;border:1px solid var(--border);\
border-radius:10px;background:var(--bg);color:var(--fg);font:14px/1.4 system-ui,sans-serif;text-align:center}\
.qr{display:block;width:100%;max-width:280px;margin:0 auto;padding:0;background:#fff;border-radius:6px}\
.qr svg{display:block;width:100%;height:auto}\
.caption{margin:0;color:var(--muted);font-size:.9em}\
.amount{margin:0;font-size:1.25em;font-weight:700}\
.pay{display:block;padding:10px;border-radius:8px;background:var(--accent);color:var(--bg);font-weight:600;text-decoration:none}\
.pay:focus-visible,.copy:focus-visible{outline:3px solid var(--fg);outline-offset:2px}\
.copy{font:inherit;padding:8px;border:1px solid var(--border);border-radius:8px;background:transparent;color:var(--fg);cursor:pointer}\
.status{margin:0;font-weight:600}.status[data-state=paid]{color:var(--ok)}\
.status[data-state=expired],.status[data-state=cancelled],.status[data-state=retrying]{color:var(--bad)}\
.countdown{margin:0;color:var(--muted);font-variant-numeric:tabular-nums}\
.error{padding:12px;border:2px solid var(--bad);border-radius:8px;background:var(--bg);color:var(--bad);font:14px/1.4 system-ui,sans-serif}\
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}\
.card,.pay,.copy{transition:background-color .2s,color .2s}\
@media (prefers-reduced-motion:reduce){.card,.pay,.copy{transition:none}}\
@media (max-width:480px){.status,.countdown{order:-2}.pay{order:-1}}";
