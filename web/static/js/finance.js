// The finance desk's entry: sign in (finance or admin), then two searchable lists, pledges and the
// payments that arrived, each newest first and a page at a time; refunds with their approvals
// (desk_refunds.js); statement uploads (desk_imports.js) and the exception queue
// (desk_exceptions.js). Every text from the server goes
// in as text; names and contacts are shown here only, to staff.
import { $, el } from './dom.js';
import { applyWords, wireLangSwitch, t, errorDetail } from './i18n.js';
import { apiOrNull } from './api.js';
import { formatFen } from './money.js';
import { showSignin, showSignedIn, startSignin } from './staff_signin.js';
import { loadStation } from './station.js';
import { PagedTable } from './desk_table.js';
import { loadRequests, refundCell, setDeskMember } from './desk_refunds.js';
import { loadExceptions, wireExceptions } from './desk_exceptions.js';
import { wireImports } from './desk_imports.js';
import { showPeriodChoices, wirePeriods } from './desk_periods.js';

let pledges;
let payments;

const when = (us) => new Date(us / 1000).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai',
  hour12: false });
const td = (text, cls) => el('td', { class: cls, text: text ?? '' });

function pledgeRow(p) {
  return el('tr', { dataset: { reference: p.reference, status: p.status } },
    td(when(p.created_us)), td(p.reference, 'ref'), td(p.campaign), td(t(`desk.kind.${p.kind}`)),
    td(formatFen(p.amount_fen), 'num'), td(formatFen(p.paid_fen - p.refunded_fen), 'num'),
    td(t(`desk.status.${p.status}`), 'status'), td(p.anonymous ? `${p.donor_name}${t('desk.anonymous')}` : p.donor_name, 'wrap'),
    td(p.contact, 'wrap'), refundCell(p));
}

function paymentRow(m) {
  return el('tr', { dataset: { txn: m.txn_id, matched: m.reference ? '1' : '0' } },
    td(when(m.paid_us)), td(t(`desk.provider.${m.provider}`)), td(m.txn_id, 'ref'),
    td(formatFen(m.amount_fen), 'num'), td(formatFen(m.fee_fen), 'num'),
    td(m.reference ?? t('desk.unmatched_short'), 'ref'), td(m.payer_remark, 'wrap'));
}

function showError(err) {
  tell(err, 'error');
}

// A notice above the lists: words, or an error from the server in words.
function tell(what, kind = 'ok') {
  const p = $('#desk-notice');
  p.textContent = kind === 'error' && typeof what !== 'string'
    ? t('error.prefix') + errorDetail(what) : what;
  p.dataset.code = what?.code ?? '';
  p.className = `toast ${kind}`;
  p.hidden = false;
}

function searchPledges() {
  return pledges.search({ q: $('#pledge-q').value.trim(), status: $('#pledge-status').value,
    campaign: $('#pledge-campaign').value });
}

function searchPayments() {
  return payments.search({ q: $('#payment-q').value.trim(), provider: $('#payment-provider').value,
    unmatched: $('#payment-unmatched').checked ? '1' : '' });
}

function showTab(name) {
  for (const b of document.querySelectorAll('.desk-tabs [data-tab]')) {
    b.setAttribute('aria-selected', String(b.dataset.tab === name));
  }
  for (const panel of document.querySelectorAll('[data-panel]')) {
    panel.hidden = panel.dataset.panel !== name;
  }
}

async function openDesk(me) {
  if (me.role !== 'finance' && me.role !== 'admin') return showSignin('desk.need_finance');
  showSignedIn(me);
  setDeskMember(me, { tell, changed: everything });
  const rooms = (await apiOrNull('/api/rooms')) ?? [];
  $('#pledge-campaign').append(...rooms.map((r) =>
    el('option', { value: r.slug, text: `${r.title} (${r.slug})` })));
  showPeriodChoices(rooms);
  await everything();
}

// After money moved anywhere on the desk, every list shows it.
function everything() {
  return Promise.all([searchPledges(), searchPayments(), loadRequests(), loadExceptions()]);
}

function wire() {
  const table = (name, path, row) => new PagedTable({ path, key: name, row, onError: showError,
    table: $(`#${name.slice(0, -1)}-table`), none: $(`#${name.slice(0, -1)}-none`),
    more: $(`#${name.slice(0, -1)}-more`) });
  pledges = table('pledges', '/api/finance/pledges', pledgeRow);
  payments = table('payments', '/api/finance/payments', paymentRow);
  wireExceptions({ tell, changed: everything });
  wireImports({ tell, changed: everything });
  wirePeriods({ tell });
  $('#pledge-filter').addEventListener('submit', (e) => {
    e.preventDefault();
    searchPledges();
  });
  $('#payment-filter').addEventListener('submit', (e) => {
    e.preventDefault();
    searchPayments();
  });
  for (const b of document.querySelectorAll('.desk-tabs [data-tab]')) {
    b.addEventListener('click', () => {
      showTab(b.dataset.tab);
      if (b.dataset.tab === 'approvals') loadRequests();
      if (b.dataset.tab === 'exceptions') loadExceptions();
    });
  }
  // The rows' words follow the language: search again rather than keep two renderings.
  document.addEventListener('boai:lang', () => {
    searchPledges();
    searchPayments();
    loadRequests();
    loadExceptions();
  });
}

async function main() {
  applyWords(document);
  wireLangSwitch($('#lang-switch'));
  wire();
  await loadStation();
  await startSignin({ openPage: openDesk });
}

main();
