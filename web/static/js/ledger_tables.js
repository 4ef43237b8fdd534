// The open books' tables: totals, entries, expenditures and wishes as DOM nodes. Amounts arrive as
// integer fen and become yuan text here only; every name and memo goes in as text.
import { el } from './dom.js';
import { t } from './i18n.js';
import { formatFen } from './money.js';

export const when = (us) => new Date(us / 1000).toLocaleString('zh-CN', {
  timeZone: 'Asia/Shanghai', hour12: false });
export const day = (us) => new Date(us / 1000).toLocaleDateString('zh-CN', {
  timeZone: 'Asia/Shanghai' });
const cell = (text, cls) => el('td', { class: cls, text: text ?? '' });
const head = (text, cls) => el('th', { class: cls, text });
const kindName = (kind) => (t(`ledger.kind.${kind}`) === `ledger.kind.${kind}` ? kind
  : t(`ledger.kind.${kind}`));

export function table(node, columns, rows) {
  node.replaceChildren(
    el('thead', {}, el('tr', {}, ...columns.map(([word, cls]) => head(t(word), cls)))),
    el('tbody', {}, ...(rows.length ? rows
      : [el('tr', {}, el('td', { colspan: columns.length, class: 'muted', text: t('ledger.none') }))])));
}

const TOTAL_COLUMNS = [['ledger.col.name'], ['ledger.gifts_received', 'num'],
  ['ledger.sales_received', 'num'], ['ledger.refunded', 'num'], ['ledger.spent', 'num'],
  ['ledger.balance', 'num'], ['ledger.col.count', 'num']];

function totalsRow(name, totals, slug) {
  return el('tr', { dataset: { slug } }, cell(name),
    cell(formatFen(totals.gifts.received_fen), 'num'),
    cell(formatFen(totals.sales.received_fen), 'num'),
    cell(formatFen(totals.gifts.refunded_fen + totals.sales.refunded_fen), 'num'),
    cell(formatFen(totals.spent_fen), 'num'),
    cell(formatFen(totals.balance_fen), 'num balance'),
    cell(String(totals.gifts.count + totals.sales.count), 'num'));
}

// {totals, funds, campaigns} (the summary, or one month's table) into three places.
export function fillTotals(summary, { figures, byFund, byCampaign }) {
  const all = summary.totals;
  figures.replaceChildren(...[
    ['ledger.gifts_received', all.gifts.received_fen, 'gifts-received'],
    ['ledger.gifts_pledged', all.gifts.pledged_fen, 'gifts-pledged'],
    ['ledger.sales_received', all.sales.received_fen, 'sales-received'],
    ['ledger.spent', all.spent_fen, 'spent'],
    ['ledger.balance', all.balance_fen, 'balance'],
  ].flatMap(([word, fen, name]) => [el('dt', { text: t(word) }),
    el('dd', { dataset: { figure: name }, text: formatFen(fen) })]));
  table(byFund, TOTAL_COLUMNS, summary.funds.map((f) => totalsRow(f.name, f.totals, f.slug)));
  table(byCampaign, TOTAL_COLUMNS,
    summary.campaigns.map((c) => totalsRow(c.title, c.totals, c.slug)));
}

export function entryRows(entries) {
  return entries.map((e) => el('tr', { dataset: { seq: e.seq } }, cell(String(e.seq), 'num'),
    cell(when(e.recorded_us)), cell(kindName(e.kind)), cell(e.public_name),
    cell(formatFen(e.amount_fen), 'num'), cell(e.memo),
    el('td', { class: 'hash', title: e.entry_hash, text: e.entry_hash.slice(0, 12) })));
}
export const ENTRY_COLUMNS = [['ledger.col.seq', 'num'], ['ledger.col.time'], ['ledger.col.kind'],
  ['ledger.col.who'], ['ledger.col.amount', 'num'], ['ledger.col.memo'], ['SHA-256']];

export const SPENDING_COLUMNS = [['ledger.col.time'], ['ledger.col.fund'],
  ['ledger.col.amount', 'num'], ['ledger.col.purpose'], ['ledger.col.payee'],
  ['ledger.col.approver'], ['ledger.col.evidence'], ['ledger.col.wish'], ['ledger.col.seq', 'num']];

export function spendingRows(expenditures) {
  return expenditures.map((x) => el('tr', { dataset: { id: x.id } }, cell(day(x.spent_us)),
    cell(x.fund), cell(formatFen(x.amount_fen), 'num'), cell(x.purpose), cell(x.payee),
    cell(x.approved_by), cell(x.evidence), cell(x.wish ? x.wish.title : ''),
    cell(String(x.seq), 'num')));
}

export function wishItems(wishes) {
  return wishes.map((w) => el('li', { class: 'wish-book', dataset: { id: w.id } },
    el('strong', { text: w.title }), ' ',
    el('span', { class: 'tag', text: t(`wish.status.${w.status}`) }), ' ',
    el('span', { class: 'muted', text: w.requester }),
    el('p', { text: t('ledger.wish_line', { goal: formatFen(w.amount_fen),
      pledged: formatFen(w.pledged_fen), received: formatFen(w.received_fen), gifts: w.gifts }) }),
    ...w.spending.map((x) => el('p', { class: 'spent', text: t('ledger.wish_spent', {
      purpose: x.purpose, amount: formatFen(x.amount_fen), payee: x.payee }) }))));
}
