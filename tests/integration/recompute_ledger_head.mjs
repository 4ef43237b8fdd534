// Recomputes the public ledger's hash chain from `boai ledger export --public` files alone, as
// docs/LEDGER.md describes, with nothing of boai's: node recompute_ledger_head.mjs DIR
// Prints "head SEQ HASH" and exits 0, or names the first entry that does not match and exits 1.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? '.';
const GENESIS = '0'.repeat(64);

// RFC 4180: comma-separated, a quoted field may hold commas, quotes ("") and line breaks.
function parseCsv(text) {
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; ++i) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; ++i; }
      else if (c === '"') { quoted = false; }
      else { field += c; }
    } else if (c === '"') { quoted = true; }
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; }
    else if (c !== '\r') { field += c; }
  }
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row); }
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header.map((name, k) => [name, r[k]])));
}

const escaped = (text) => text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
const id = (v) => (v === null || v === undefined ? '' : String(v));

// The canonical encoding: a first line, then one name=value line per field, in this order.
function canonical(e, prev) {
  return 'boai-ledger-v1\n' +
    `seq=${e.seq}\nkind=${escaped(e.kind)}\nrecorded_us=${e.recorded_us}\n` +
    `campaign=${id(e.campaign)}\nfund=${e.fund}\npledge=${id(e.pledge)}\n` +
    `payment=${id(e.payment)}\nobject=${id(e.object)}\namount_fen=${e.amount_fen}\n` +
    `public_name=${escaped(e.public_name)}\nreference=${escaped(e.reference)}\n` +
    `memo=${escaped(e.memo)}\nprev=${prev}\n`;
}

// Walks the chain from the genesis hash; returns [seq, head] or throws naming the entry.
function recompute(entries, source) {
  let prev = GENESIS, seq = 0;
  for (const e of entries) {
    if (Number(e.seq) !== seq + 1) throw new Error(`${source}: entry ${e.seq} follows ${seq}`);
    if (e.prev_hash !== prev) throw new Error(`${source}: entry ${e.seq} does not follow ${seq}`);
    const hash = createHash('sha256').update(canonical(e, prev), 'utf8').digest('hex');
    if (hash !== e.entry_hash) throw new Error(`${source}: entry ${e.seq} does not match its hash`);
    prev = hash;
    seq += 1;
  }
  return [seq, prev];
}

// The columns of a totals row; sales have their own, apart from gifts.
const COLUMNS = ['pledged_fen', 'cancelled_fen', 'received_fen', 'refunded_fen', 'spent_fen',
  'pledge_count', 'sold_fen', 'sale_cancelled_fen', 'sale_received_fen', 'sale_refunded_fen',
  'sale_count'];

// The totals per campaign (0: none) and fund, summed from the entries by kind.
function totals(entries) {
  const column = { pledge: 'pledged_fen', cancel: 'cancelled_fen', expire: 'cancelled_fen',
    payment: 'received_fen', correction_received: 'received_fen', refund: 'refunded_fen',
    expenditure: 'spent_fen', correction_spent: 'spent_fen', sale: 'sold_fen',
    sale_expire: 'sale_cancelled_fen', sale_cancel: 'sale_cancelled_fen',
    sale_payment: 'sale_received_fen', sale_refund: 'sale_refunded_fen' };
  const sums = new Map();
  for (const e of entries) {
    const key = `${id(e.campaign) || 0}/${e.fund}`;
    const s = sums.get(key) ?? Object.fromEntries(COLUMNS.map((name) => [name, 0n]));
    if (column[e.kind]) s[column[e.kind]] += BigInt(e.amount_fen);
    if (e.kind === 'pledge') s.pledge_count += 1n;
    if (e.kind === 'sale') s.sale_count += 1n;
    sums.set(key, s);
  }
  return sums;
}

const json = JSON.parse(readFileSync(join(dir, 'ledger.json'), 'utf8'));
const csvEntries = parseCsv(readFileSync(join(dir, 'ledger.csv'), 'utf8'));
try {
  const [seq, head] = recompute(csvEntries, 'ledger.csv');
  const [jsonSeq, jsonHead] = recompute(json.entries, 'ledger.json');
  if (seq !== json.head.seq || head !== json.head.hash || jsonSeq !== seq || jsonHead !== head) {
    throw new Error(`the recomputed head ${seq} ${head} is not the published ${json.head.seq} ` +
      json.head.hash);
  }
  const sums = totals(csvEntries);
  for (const t of json.totals) {
    const s = sums.get(`${t.campaign}/${t.fund}`);
    for (const name of COLUMNS) {
      if ((s ? s[name] : 0n) !== BigInt(t[name])) {
        throw new Error(`totals of campaign ${t.campaign}, fund ${t.fund}: ${name} differs`);
      }
    }
    sums.delete(`${t.campaign}/${t.fund}`);
  }
  if (sums.size > 0) throw new Error(`entries of ${[...sums.keys()]} have no published totals`);
  console.log(`head ${seq} ${head}`);
} catch (e) {
  console.log(e.message);
  process.exit(1);
}
