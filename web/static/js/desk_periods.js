// The desk's 结账/报表 tab: close a period that has ended (POST /api/finance/periods/close), the
// closed periods with their reports, links to the reconciliation and the live close-out (the
// printable page /report.html, or CSV from the API), and corrections booked in the open period
// (POST /api/finance/corrections). The server knows who is signed in and refuses what may not be
// done (period_not_ended, period_closed); the page shows its words.
import { $, el } from './dom.js';
import { t } from './i18n.js';
import { api } from './api.js';
import { formatFen, parseYuanToFen } from './money.js';

let say = () => {};

const when = (us) => new Date(us / 1000).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai',
  hour12: false });
const td = (text, cls) => el('td', { class: cls, text: text ?? '' });

// Where a report is: its printable page, and the same figures as CSV.
export function reportLinks(query) {
  const q = new URLSearchParams(query);
  const kind = q.get('report');
  q.delete('report');
  return {
    page: `/report.html?report=${kind}&${q}`,
    csv: `/api/finance/reports/${kind}?${q}&format=csv`,
  };
}

function closedRow(p) {
  const links = reportLinks({ report: 'reconciliation', period: p.period });
  return el('tr', { dataset: { period: p.period } },
    td(p.period, 'ref'), td(t(`periods.kind.${p.kind}`)), td(p.closed_by), td(when(p.closed_us)),
    td(String(p.closed_seq), 'num'), td(formatFen(p.figures.pledged_fen), 'num'),
    td(formatFen(p.figures.paid_fen), 'num'), td(formatFen(p.figures.outstanding_fen), 'num'),
    el('td', {}, el('a', { href: links.page, target: '_blank', class: 'report-link',
      text: t('periods.report') }), ' · ',
    el('a', { href: links.csv, download: '', class: 'csv-link', text: t('periods.csv') })));
}

export async function loadPeriods() {
  try {
    const { closed, closable } = await api('/api/finance/periods');
    const select = $('#period-closable');
    select.replaceChildren(...closable.map((p) => el('option', { value: p.period,
      text: `${p.period} (${t(`periods.kind.${p.kind}`)})` })));
    $('#period-close').disabled = closable.length === 0;
    $('#period-closable-none').hidden = closable.length > 0;
    $('#period-table').tBodies[0].replaceChildren(...closed.map(closedRow));
    $('#period-none').hidden = closed.length > 0;
  } catch (err) {
    say(err, 'error');
  }
}

async function closePeriod(button) {
  const period = $('#period-closable').value;
  if (!period || !window.confirm(t('periods.close_confirm', { period }))) return;
  button.disabled = true;
  try {
    await api('/api/finance/periods/close', { method: 'POST', body: { period } });
    say(t('periods.closed_done', { period }));
  } catch (err) {
    say(err, 'error');
  } finally {
    button.disabled = false;
    await loadPeriods();
  }
}

// The report links follow what is typed: a period for the reconciliation, a campaign for the
// close-out.
function updateReportLinks() {
  const rec = reportLinks({ report: 'reconciliation', period: $('#report-period').value.trim() });
  $('#report-open').href = rec.page;
  $('#report-csv').href = rec.csv;
  const out = reportLinks({ report: 'closeout', campaign: $('#closeout-campaign').value });
  $('#closeout-open').href = out.page;
  $('#closeout-csv').href = out.csv;
}

function signedFen(text) {
  const s = text.trim();
  const negative = s.startsWith('-');
  const fen = parseYuanToFen(negative ? s.slice(1) : s);
  return fen === null || fen === 0 ? null : negative ? -fen : fen;
}

async function submitCorrection(form, button) {
  const amount = signedFen($('#correction-amount').value);
  if (amount === null) return say(t('periods.bad_amount'), 'error');
  button.disabled = true;
  try {
    const { correction } = await api('/api/finance/corrections', { method: 'POST', body: {
      period: $('#correction-period').value.trim(), kind: $('#correction-kind').value,
      amount_fen: amount, fund: $('#correction-fund').value.trim(),
      campaign: $('#correction-campaign').value.trim(), reason: $('#correction-reason').value.trim(),
    } });
    say(t('periods.correction_done', { memo: correction.memo }));
    form.reset();
  } catch (err) {
    say(err, 'error');
  } finally {
    button.disabled = false;
  }
}

// tell(text, kind): the desk's notice; rooms: the campaigns, for the close-out.
// Once, at start: the tab's listeners. tell(text, kind): a notice.
export function wirePeriods({ tell }) {
  say = tell;
  $('#report-period').addEventListener('input', updateReportLinks);
  $('#closeout-campaign').addEventListener('change', updateReportLinks);
  $('#period-close').addEventListener('click', (e) => closePeriod(e.currentTarget));
  const form = $('#correction-form');
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    submitCorrection(form, form.querySelector('button[type=submit]'));
  });
  document.querySelector('.desk-tabs [data-tab=periods]')
    .addEventListener('click', () => loadPeriods());
  document.addEventListener('boai:lang', () => loadPeriods());
}

// At each sign-in: the campaigns for the close-out, this month for the reports.
export function showPeriodChoices(rooms) {
  $('#closeout-campaign').replaceChildren(...rooms.map((r) =>
    el('option', { value: r.slug, text: `${r.title} (${r.slug})` })));
  $('#report-period').value = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })
    .slice(0, 7);
  updateReportLinks();
}
