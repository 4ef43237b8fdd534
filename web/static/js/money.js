// Money on the pages: integer fen in, "¥1,234.50" out, and a typed amount ("100.5") parsed to fen
// exactly. No floating point anywhere near money.

// Formats an integer count of fen: 123450 -> "¥1,234.50". Whole yuan drop the ".00" when short.
export function formatFen(fen, { short = false } = {}) {
  const n = BigInt(fen);
  const negative = n < 0n;
  const abs = negative ? -n : n;
  const yuan = (abs / 100n).toString();
  const cents = (abs % 100n).toString().padStart(2, '0');
  let grouped = '';
  for (let i = 0; i < yuan.length; i++) {
    if (i > 0 && (yuan.length - i) % 3 === 0) grouped += ',';
    grouped += yuan[i];
  }
  const tail = short && cents === '00' ? '' : `.${cents}`;
  return `${negative ? '-' : ''}¥${grouped}${tail}`;
}

// Fen as a person types yuan into a form: 30000 -> "300", 30050 -> "300.50" (no "¥", no
// grouping), so that parseYuanToFen reads an amount it wrote back exactly.
export function yuanText(fen) {
  const n = BigInt(fen);
  const abs = n < 0n ? -n : n;
  const cents = abs % 100n;
  const whole = `${n < 0n ? '-' : ''}${abs / 100n}`;
  return cents === 0n ? whole : `${whole}.${cents.toString().padStart(2, '0')}`;
}

// Parses what a person types as yuan ("100", "100.5", "¥1,234.50", "50元", full-width digits) into
// integer fen, or null when it is not an amount. At most two decimals; no sign.
export function parseYuanToFen(text) {
  if (typeof text !== 'string') return null;
  let s = text.normalize('NFKC').trim();
  s = s.replace(/^[¥￥]\s*/, '').replace(/\s*(元|rmb|cny)$/i, '').trim();
  if (s.includes(',')) {
    // Commas only as thousands separators: "1,234.50", never "1,2".
    if (!/^\d{1,3}(,\d{3})+(\.\d*)?$/.test(s)) return null;
    s = s.replace(/,/g, '');
  }
  const m = /^(\d{1,12})(?:\.(\d{0,2}))?$|^\.(\d{1,2})$/.exec(s);
  if (!m) return null;
  const whole = m[1] ?? '0';
  const frac = (m[2] ?? m[3] ?? '').padEnd(2, '0');
  const fen = BigInt(whole) * 100n + BigInt(frac);
  if (fen > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  return Number(fen);
}

// The share of a goal reached, in whole per mille (0..1000), for a progress bar's width.
export function perMille(part, whole) {
  if (!whole || whole <= 0) return 0;
  const p = (BigInt(Math.max(0, part)) * 1000n) / BigInt(whole);
  return Number(p > 1000n ? 1000n : p);
}
