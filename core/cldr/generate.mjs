#!/usr/bin/env node
// Writes core/src/localized/cldr.rs: the CLDR number and currency data that
// `checkout_core::localized` formats prices with.
//
//     node core/cldr/generate.mjs
//
// The only source is this Node's built-in `Intl` (ICU with full CLDR data):
// nothing is downloaded. Every value is read back from what
// `Intl.NumberFormat(...).formatToParts` writes, not from CLDR's XML, so the Rust
// formatter agrees with what a browser or Node prints for the same locale, and
// the oracle test (tests/http/prices.rs) can compare the two directly.
//
// The script refuses (throws) when a locale does not fit the model the Rust
// side implements (one decimal and one group separator, grouping sizes,
// minimum grouping digits, one currency pattern whose symbol-number spacing
// follows ICU's currency-spacing rule, the minus sign at one place), rather
// than writing a table that would format that locale wrongly.

import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const currencyRs = path.join(here, "..", "src", "currency.rs");
const output = path.join(here, "..", "src", "localized", "cldr.rs");

// The checkout's languages. `en` first: unknown tags fall back to index 0.
const TAGS = [
  "en", "de", "es", "fr", "it", "nl", "pt-BR", "pt", "ro", "ru", "tr", "hi", "id", "ja",
  "km", "ko", "th", "ur", "vi", "zh", "zh-Hant", "ms", "fil", "ar", "he", "fa", "bg", "cs",
  "el", "hr", "hu", "pl", "sk", "sl", "uk", "da", "et", "fi", "lt", "lv", "nb", "sv",
];

// Every currency of core/src/currency.rs's TABLE, with its minor units.
const CURRENCIES = [...readFileSync(currencyRs, "utf8").matchAll(/\("([A-Z]{3})", (\d+)\),/g)].map(
  (m) => ({ code: m[1], decimals: Number(m[2]) }),
);
if (CURRENCIES.length < 10 || !CURRENCIES.some((c) => c.code === "ETN")) {
  throw new Error(`could not read the currency table from ${currencyRs}`);
}

// Latin digits everywhere: the `-u-nu-latn` extension is a no-op for every
// locale whose default numbering system is already `latn`; it matters for `fa`
// only (default `arabext`, Persian digits), whose separators and currency
// pattern then come from CLDR's `latn` data for Persian.
const intlTag = (tag) => `${tag}-u-nu-latn`;
const nonLatinDefault = TAGS.filter(
  (tag) => new Intl.NumberFormat(tag).resolvedOptions().numberingSystem !== "latn",
);

const fail = (tag, what) => {
  throw new Error(`${tag}: ${what}`);
};

// \p{S} or \p{Z}: ICU's default currency spacing (`[[:^S:]&[:^Z:]]`) puts a
// space between a symbol and a digit unless the symbol's character touching
// the number is one of these.
const symbolOrSpace = /^[\p{S}\p{Z}]$/u;
const kindOf = (symbol, symbolFirst) =>
  symbolOrSpace.test(symbolFirst ? [...symbol].at(-1) : [...symbol][0]) ? "symbol" : "word";

function numberParts(tag, options, x) {
  return new Intl.NumberFormat(intlTag(tag), options).formatToParts(x);
}

// Splits parts into [before the number, the number, after the number].
function splitNumber(tag, parts) {
  const isNum = (p) => ["integer", "group", "decimal", "fraction"].includes(p.type);
  const first = parts.findIndex(isNum);
  let last = parts.length - 1;
  while (!isNum(parts[last])) last--;
  const number = parts.slice(first, last + 1);
  if (!number.every(isNum)) fail(tag, `number not contiguous: ${JSON.stringify(parts)}`);
  for (const p of number) {
    if ((p.type === "integer" || p.type === "fraction") && !/^[0-9]+$/.test(p.value)) {
      fail(tag, `non-Latin digits ${JSON.stringify(p.value)}`);
    }
  }
  return [parts.slice(0, first), number, parts.slice(last + 1)];
}

const text = (parts) => parts.map((p) => p.value).join("");

function numberData(tag) {
  const fixed = { minimumFractionDigits: 1, maximumFractionDigits: 1 };
  const parts = numberParts(tag, fixed, 1234567890123.5);
  const [before, number, after] = splitNumber(tag, parts);
  if (before.length || after.length) fail(tag, `decorated number ${JSON.stringify(parts)}`);
  const groups = [...new Set(number.filter((p) => p.type === "group").map((p) => p.value))];
  const decimals = number.filter((p) => p.type === "decimal").map((p) => p.value);
  if (groups.length !== 1 || decimals.length !== 1) fail(tag, `separators ${JSON.stringify(parts)}`);
  // Integer runs from the left: [1, 23, 45, 67, 890] (hi) or [1, 234, 567, 890, 123].
  const runs = number.filter((p) => p.type === "integer").map((p) => p.value.length);
  const primary = runs[runs.length - 1];
  const secondary = runs.length > 2 ? runs[runs.length - 2] : primary;
  if (!runs.slice(1, -1).every((n) => n === secondary)) fail(tag, `grouping ${runs}`);
  // Minimum grouping digits: how many digits the highest group needs before
  // any separator is written (2 in es, pl, ...: "1234" but "12 345").
  let minGrouping = 0;
  for (let k = 1; k <= 4 && !minGrouping; k++) {
    const probe = numberParts(tag, {}, 10 ** (primary + k - 1));
    if (probe.some((p) => p.type === "group")) minGrouping = k;
  }
  if (!minGrouping) fail(tag, "no grouping found");
  // The minus sign, as written before a negative number: "-", "\u2212",
  // "\u200e-" (ar, ur: with a left-to-right mark).
  const negative = numberParts(tag, fixed, -1234.5);
  const [minusParts, , minusAfter] = splitNumber(tag, negative);
  if (minusAfter.length || !minusParts.some((p) => p.type === "minusSign")) {
    fail(tag, `negative number ${JSON.stringify(negative)}`);
  }
  return {
    decimal: decimals[0],
    group: groups[0],
    minus: text(minusParts),
    primary,
    secondary,
    minGrouping,
  };
}

// The currency pattern: `lead symbol mid number tail` or `lead number mid symbol tail`,
// with `mid` depending on whether the symbol's character touching the number is
// a symbol/space (mid_symbol) or anything else, a letter mostly (mid_word).
function currencyData(tag, num) {
  const symbols = [];
  const formatted = (code, decimals, x) =>
    numberParts(tag, {
      style: "currency",
      currency: code,
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
    }, x);
  // Each currency's pieces: lead, symbol, mid, tail around the number.
  const seen = CURRENCIES.map(({ code, decimals }) => {
    const parts = formatted(code, decimals, 1234567.5);
    const [before, number, after] = splitNumber(tag, parts);
    const bare = text(numberParts(tag, { minimumFractionDigits: decimals, maximumFractionDigits: decimals }, 1234567.5));
    if (text(number) !== bare) fail(tag, `${code}: currency number ${text(number)} != ${bare}`);
    const currencies = parts.filter((p) => p.type === "currency");
    if (currencies.length !== 1) fail(tag, `${code}: symbol ${JSON.stringify(parts)}`);
    const symbolFirst = before.includes(currencies[0]);
    const side = symbolFirst ? before : after;
    const i = side.indexOf(currencies[0]);
    if (side.some((p, j) => j !== i && p.type !== "literal")) fail(tag, `${code}: affix ${JSON.stringify(parts)}`);
    const raw = currencies[0].value;
    return {
      code,
      symbolFirst,
      raw,
      lead: text(before.slice(0, symbolFirst ? i : before.length)),
      mid: symbolFirst ? text(before.slice(i + 1)) : text(after.slice(0, i)),
      tail: text(after.slice(symbolFirst ? 0 : i + 1)),
      kind: kindOf(raw, symbolFirst),
    };
  });
  // The pattern's own lead, tail and spacing before a word come from ETN, which
  // has no symbol anywhere; the spacing before a symbol character is the one
  // most currencies of that kind show.
  const etn = seen.find((s) => s.code === "ETN");
  if (etn.raw !== "ETN") fail(tag, `ETN has a symbol ${etn.raw}: etn() assumes none`);
  const pattern = { symbolFirst: etn.symbolFirst, lead: etn.lead, tail: etn.tail };
  const counts = {};
  for (const s of seen.filter((s) => s.kind === "symbol")) counts[s.mid] = (counts[s.mid] ?? 0) + 1;
  const mids = {
    word: etn.mid,
    // ICU's rule, for a locale none of whose symbols ends in a symbol character
    // (the value is then never used): no space is added next to a symbol.
    symbol: Object.entries(counts).sort((a, b) => b[1] - a[1])[0]?.[0] ?? etn.mid.replace(/^\u00a0$/, ""),
  };
  // Literals next to the symbol beyond the pattern's own belong to the symbol:
  // ar's AED is "\u062f.\u0625.\u200f" and he's CNY "\u200eCN¥\u200e", bidi
  // marks that formatToParts reports as literals.
  for (const s of seen) {
    const mid = mids[s.kind];
    let symbol = s.raw;
    if (s.symbolFirst !== pattern.symbolFirst) fail(tag, `${s.code}: symbol on the other side`);
    if (s.symbolFirst) {
      if (!s.lead.startsWith(pattern.lead) || !s.mid.endsWith(mid) || s.tail !== pattern.tail) {
        fail(tag, `${s.code}: affixes ${JSON.stringify(s)}`);
      }
      symbol = s.lead.slice(pattern.lead.length) + symbol + s.mid.slice(0, s.mid.length - mid.length);
    } else {
      if (s.lead !== pattern.lead || !s.mid.startsWith(mid) || !s.tail.endsWith(pattern.tail)) {
        fail(tag, `${s.code}: affixes ${JSON.stringify(s)}`);
      }
      symbol = s.mid.slice(mid.length) + symbol + s.tail.slice(0, s.tail.length - pattern.tail.length);
    }
    if (symbol !== s.code) symbols.push([s.code, symbol]);
  }

  // Where the minus sign goes (0: before lead, 1: after lead, 2: after the
  // first of symbol/number, 3: after mid), the one place that reproduces Intl's
  // negative amounts for every currency.
  const assemble = (symbol, number, minusAt) => {
    const mid = mids[kindOf(symbol, pattern.symbolFirst)];
    const pieces = pattern.symbolFirst
      ? [pattern.lead, symbol, mid, number, pattern.tail]
      : [pattern.lead, number, mid, symbol, pattern.tail];
    if (minusAt !== null) pieces.splice(minusAt, 0, num.minus);
    return pieces.join("");
  };
  const bareOf = (decimals, x) =>
    text(numberParts(tag, { minimumFractionDigits: decimals, maximumFractionDigits: decimals }, x));
  const symbolOf = (code) => (symbols.find(([c]) => c === code) ?? [code, code])[1];
  let minusAt = null;
  for (const at of pattern.symbolFirst ? [0, 1, 3] : [0, 1]) {
    const ok = CURRENCIES.every(({ code, decimals }) =>
      [7, 1234.5].every((x) => {
        const positive = text(formatted(code, decimals, x));
        const negative = text(formatted(code, decimals, -x));
        return (
          positive === assemble(symbolOf(code), bareOf(decimals, x), null) &&
          negative === assemble(symbolOf(code), bareOf(decimals, x), at)
        );
      }),
    );
    if (ok) {
      minusAt = at;
      break;
    }
  }
  if (minusAt === null) fail(tag, "no place for the minus sign reproduces Intl");
  return { ...pattern, midSymbol: mids.symbol, midWord: mids.word, minusAt, symbols };
}

// Rust string literal. Invisible characters (bidi marks, no-break spaces) and
// right-to-left letters are escaped, so the source reads the same in any editor.
function rust(s) {
  let out = '"';
  for (const ch of s) {
    if (ch === '"' || ch === "\\") out += "\\" + ch;
    else if (/^[\x20-\x7e]$/.test(ch)) out += ch;
    else if (/^[\p{L}\p{S}\p{P}]$/u.test(ch) && !/^[\p{Script=Arabic}\p{Script=Hebrew}]$/u.test(ch)) out += ch;
    else out += `\\u{${ch.codePointAt(0).toString(16)}}`;
  }
  return out + '"';
}

const data = TAGS.map((tag) => {
  const num = numberData(tag);
  return { tag, ...num, ...currencyData(tag, num) };
});

// Characters in \p{S} or \p{Z} found at either end of a symbol: the Rust side
// classifies a symbol's touching character with this list instead of Unicode tables.
const edge = new Set();
for (const d of data) {
  for (const [, s] of d.symbols) {
    for (const ch of [[...s][0], [...s].at(-1)]) if (symbolOrSpace.test(ch)) edge.add(ch);
  }
}

const lines = [];
lines.push(
  `// @generated by core/cldr/generate.mjs from Node ${process.version}'s Intl:`,
  `// ICU ${process.versions.icu}, CLDR ${process.versions.cldr}. Do not edit by hand;`,
  `// regenerate with \`node core/cldr/generate.mjs\`.`,
  `//`,
  `// Digits are Latin (0-9) everywhere: read with \`-u-nu-latn\`, a no-op except for`,
  `// ${nonLatinDefault.join(", ") || "(none)"}, whose default digits are not Latin.`,
  ``,
  `use super::{CurrencyPattern as P, Locale as L};`,
  ``,
  `/// Characters of \\p{S} or \\p{Z} found at either end of a symbol in [\`SYMBOLS\`].`,
  `pub(super) const SYMBOL_EDGES: &str = ${rust([...edge].sort().join(""))};`,
  ``,
  `/// Separators, grouping and currency pattern, per locale; \`en\` first.`,
  `pub(super) static LOCALES: [L; ${data.length}] = [`,
);
for (const d of data) {
  lines.push(
    `    L { tag: ${rust(d.tag)}, decimal: ${rust(d.decimal)}, group: ${rust(d.group)}, minus: ${rust(d.minus)}, primary: ${d.primary}, secondary: ${d.secondary}, min_grouping: ${d.minGrouping},`,
    `        currency: P { symbol_first: ${d.symbolFirst}, lead: ${rust(d.lead)}, mid_symbol: ${rust(d.midSymbol)}, mid_word: ${rust(d.midWord)}, tail: ${rust(d.tail)}, minus_at: ${d.minusAt} } },`,
  );
}
lines.push(
  `];`,
  ``,
  `/// Currency symbols that differ from the ISO code, per locale, in [\`LOCALES\`]'s`,
  `/// order; a currency not listed is written as its code.`,
  `pub(super) static SYMBOLS: [&[(&str, &str)]; ${data.length}] = [`,
);
for (const d of data) {
  lines.push(`    /* ${d.tag} */ &[${d.symbols.map(([c, s]) => `(${rust(c)}, ${rust(s)})`).join(", ")}],`);
}
lines.push(`];`, ``);

writeFileSync(output, lines.join("\n"));
console.log(`wrote ${path.relative(process.cwd(), output)} (${lines.join("\n").length} bytes)`);
