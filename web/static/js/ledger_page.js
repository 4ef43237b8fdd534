// The open books page (ledger.html): the summary and lists from /api/ledger/*, a month's
// printable disclosure (?month=2026-11), and the chain checked in this browser as the page opens.
import { $, el, show } from './dom.js';
import { applyWords, wireLangSwitch, t, errorText } from './i18n.js';
import { api } from './api.js';
import { formatFen } from './money.js';
import { loadStation } from './station.js';
import { canCheck, verifyLedger } from './ledger_chain.js';
import {
  fillTotals, table, entryRows, ENTRY_COLUMNS, SPENDING_COLUMNS, spendingRows, wishItems, when,
} from './ledger_tables.js';

const LATEST = 20;
const SEEN_KEY = 'boai.ledger.seen';  // the last head this browser verified: {seq, hash}

function fail(error) {
  const box = $('#books-error');
  box.textContent = errorText(error);
  show(box);
}

// A "more" button that fetches the next page of a list by its before_id.
function pagedList(path, field, target, render, more) {
  let before = 0;
  const next = async () => {
    const page = await api(`${path}?limit=20${before ? `&before_id=${before}` : ''}`);
    target.append(...render(page[field]));
    before = page.next_before_id ?? before;
    show(more, page[field].length === 20);
  };
  more.addEventListener('click', () => next().catch(fail));
  return next();
}

function remembered() {
  try {
    return JSON.parse(localStorage.getItem(SEEN_KEY) ?? 'null');
  } catch {
    return null;
  }
}

async function runCheck() {
  const status = $('#verify-status');
  const verify = $('#verify');
  if (!canCheck()) {
    status.textContent = t('ledger.verify_unavailable');
    verify.dataset.state = 'unavailable';
    return;
  }
  verify.dataset.state = 'running';
  status.textContent = t('ledger.verify_running', { n: 0 });
  const result = await verifyLedger({
    remembered: remembered(),
    onProgress: (n) => { status.textContent = t('ledger.verify_running', { n }); },
  });
  $('#verify-key').textContent = t('ledger.key', { id: result.key.id });
  if (!result.ok) {
    verify.dataset.state = 'bad';
    verify.dataset.firstBad = result.firstBad;
    status.textContent = t('ledger.verify_bad', { seq: result.firstBad,
      reason: t(`ledger.reason.${result.reason}`) });
    return;
  }
  verify.dataset.state = 'ok';
  verify.dataset.entries = result.entries;
  status.textContent = t('ledger.verify_ok', { n: result.entries });
  $('#verify-checkpoint').textContent = result.checkpoint
    ? t('ledger.verify_ok_checkpoint', { seq: result.checkpoint.seq, at: when(result.checkpoint.at_us) })
    : t('ledger.verify_no_checkpoint');
  try {
    localStorage.setItem(SEEN_KEY, JSON.stringify({ seq: result.entries, hash: result.head }));
  } catch {
    // storage off: the next visit checks without this browser's own copy
  }
}

async function openBooks() {
  const summary = await api('/api/ledger/summary');
  fillTotals(summary, { figures: $('#totals-figures'), byFund: $('#by-fund'),
    byCampaign: $('#by-campaign') });
  const after = Math.max(0, summary.head.seq - LATEST);
  const latest = await api(`/api/ledger/entries?after_seq=${after}&limit=${LATEST}`);
  table($('#latest'), ENTRY_COLUMNS, entryRows(latest.entries.reverse()));
  table($('#spending'), SPENDING_COLUMNS, []);
  const spendingBody = $('#spending tbody');
  await pagedList('/api/ledger/expenditures', 'expenditures', spendingBody, (rows) => {
    spendingBody.querySelector('td[colspan]')?.parentElement.remove();
    return spendingRows(rows);
  }, $('#spending-more'));
  await pagedList('/api/ledger/wishes', 'wishes', $('#wishes'), wishItems, $('#wishes-more'));
  if (!$('#wishes').children.length) $('#wishes').append(el('li', { class: 'muted', text: t('ledger.none') }));
  const { months } = await api('/api/ledger/months');
  $('#months').replaceChildren(...months.map((m) => el('li', { dataset: { month: m.month } },
    el('a', { href: `/ledger?month=${m.month}`, text: m.month }), ' ',
    el('span', { class: 'muted', text: `${t('ledger.gifts_received')} ${formatFen(
      m.totals.gifts.received_fen + m.totals.sales.received_fen)} · ${t('ledger.spent')} ${formatFen(
      m.totals.spent_fen)}` }))));
  if (!months.length) $('#months').append(el('li', { class: 'muted', text: t('ledger.none') }));
}

async function monthSheet(month, station) {
  show($('#books'), false);
  show($('#month'));
  const sheet = await api(`/api/ledger/months/${encodeURIComponent(month)}`);
  $('#month-station').textContent = station.name ?? '';
  $('#month-title').textContent = t('ledger.month_heading', { month });
  const summary = await api('/api/ledger/summary');
  $('#month-head').textContent = `${t('ledger.col.seq')} ${summary.head.seq} · ${summary.head.hash}`;
  const figures = el('dl', { class: 'figures' });
  const byFund = el('table', { class: 'table' });
  const byCampaign = el('table', { class: 'table' });
  fillTotals(sheet, { figures, byFund, byCampaign });
  const spending = el('table', { class: 'table' });
  table(spending, SPENDING_COLUMNS, spendingRows(sheet.expenditures));
  $('#month-body').replaceChildren(figures, el('h2', { text: t('ledger.by_fund') }), byFund,
    el('h2', { text: t('ledger.by_campaign') }), byCampaign,
    el('h2', { text: t('ledger.spending_title') }), spending);
  $('#month-print').addEventListener('click', () => window.print());
}

async function main() {
  applyWords(document);
  wireLangSwitch($('#lang-switch'));
  $('#lang-switch').addEventListener('click', () => window.location.reload());
  const station = await loadStation();
  $('#gift-lookup').addEventListener('submit', (event) => {
    event.preventDefault();
    const reference = $('#gift-reference').value.trim().toUpperCase();
    if (reference) window.location.assign(`/gift/${encodeURIComponent(reference)}`);
  });
  const month = new URLSearchParams(window.location.search).get('month');
  if (month) return monthSheet(month, station);
  $('#verify-again').addEventListener('click', () => runCheck().catch(fail));
  await openBooks();
  return runCheck();
}

main().catch(fail);
