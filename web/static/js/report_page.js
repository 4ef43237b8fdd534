// The printable report (report.html): reads which report from the address, fetches its JSON from
// the desk's API (the session cookie: finance and admin only) and lays it out as tables. Amounts
// arrive as integer fen and become yuan text here only. Names and contacts go in as text.
import { $, el } from './dom.js';
import { applyWords, wireLangSwitch, t, errorDetail } from './i18n.js';
import { api } from './api.js';
import { formatFen } from './money.js';
import { loadStation } from './station.js';

const COLUMNS = [
  ['pledged_fen', 'pledged'], ['pledges', 'pledges'], ['cancelled_fen', 'cancelled'],
  ['paid_fen', 'paid'], ['payments', 'payments'], ['settled_fen', 'settled'], ['fees_fen', 'fees'],
  ['refunded_fen', 'refunded'], ['corrections_received_fen', 'corrections_received'],
  ['spent_fen', 'spent'], ['corrections_spent_fen', 'corrections_spent'],
  ['outstanding_fen', 'outstanding'],
];

const when = (us) => new Date(us / 1000).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai',
  hour12: false });
const cell = (text, cls) => el('td', { class: cls, text: text ?? '' });
const head = (text, cls) => el('th', { class: cls, text });
const figure = (key, value) => (key.endsWith('_fen') ? formatFen(value) : String(value));

function figuresRow(name, figures, cls) {
  return el('tr', { class: cls, dataset: { name } }, cell(name),
    ...COLUMNS.map(([key]) => cell(figure(key, figures[key]), 'num')));
}

function figuresTable(caption, rows, totals) {
  return [el('h2', { text: caption }), el('table', { class: 'figures' },
    el('thead', {}, el('tr', {}, head(t('report.col.name')),
      ...COLUMNS.map(([, word]) => head(t(`report.col.${word}`), 'num')))),
    el('tbody', {}, ...rows, figuresRow(t('report.total'), totals, 'total')))];
}

function reconciliation(r) {
  $('#report-title').textContent = `${t('report.title.reconciliation')} · ${r.period.period}`;
  $('#report-meta').textContent = `${t('report.period')}: ${when(r.period.starts_us)} – ` +
    `${when(r.period.ends_us)} · ${t('report.as_of')}: ${when(r.as_of_us)} · ` +
    t('report.ledger_seq', { seq: r.ledger_seq });
  const parts = [];
  for (const group of ['fund', 'channel', 'campaign']) {
    const rows = r.rows.filter((x) => x.group === group).map((x) => figuresRow(
      group === 'campaign' && !x.key ? t('report.no_campaign')
        : group === 'channel' ? channelName(x.key) : `${x.name} (${x.key})`, x.figures));
    parts.push(el('section', { class: 'group', dataset: { group } },
      ...figuresTable(t(`report.group.${group}`), rows, r.totals)));
  }
  parts.push(el('p', { class: 'muted', text: t('report.note') }));
  return parts;
}

// A payment's provider (微信支付) or a pledge's channel (直播), in words when there are some.
function channelName(key) {
  for (const word of [`desk.provider.${key}`, `report.channel.${key}`]) {
    if (t(word) !== word) return t(word);
  }
  return key;
}

function closeout(c) {
  $('#report-title').textContent = `${t('report.title.closeout')} · ${c.campaign.title}`;
  $('#report-meta').textContent = `${t('report.campaign')}: ${c.campaign.slug} · ` +
    `${t('report.as_of')}: ${when(c.as_of_us)}`;
  const line = (word, n, fen) => el('tr', { dataset: { line: word } }, cell(t(`report.${word}`)),
    cell(n === null ? formatFen(fen) : t('report.count_amount', { n, amount: formatFen(fen) }), 'num'));
  const summary = el('table', { class: 'summary' }, el('tbody', {},
    line('on_air', c.pledges, c.pledged_fen), line('arrived', c.paid_pledges, c.arrived_fen),
    line('refunded', null, c.refunded_fen),
    line('cancelled', c.cancelled_pledges, c.cancelled_fen),
    line('outstanding', c.outstanding_pledges, c.outstanding_fen)));
  const owing = c.owing.length === 0 ? el('p', { class: 'muted', text: t('report.owing_none') })
    : el('table', { class: 'owing' },
      el('thead', {}, el('tr', {}, ...['reference', 'time', 'amount', 'paid', 'owed', 'donor',
        'contact'].map((k) => head(t(`report.col.${k}`), ['amount', 'paid', 'owed'].includes(k)
        ? 'num' : undefined)))),
      el('tbody', {}, ...c.owing.map((p) => el('tr', { dataset: { reference: p.reference } },
        cell(p.reference), cell(when(p.created_us)), cell(formatFen(p.amount_fen), 'num'),
        cell(formatFen(p.paid_fen), 'num'), cell(formatFen(p.amount_fen - p.paid_fen), 'num'),
        cell(p.donor_name), cell(p.contact)))));
  return [summary, el('h2', { text: t('report.owing_title') }), owing];
}

async function render() {
  const q = new URLSearchParams(location.search);
  const kind = q.get('report');
  q.delete('report');
  const error = $('#report-error');
  error.hidden = true;
  if (!['reconciliation', 'closeout'].includes(kind) || [...q.keys()].length === 0) {
    error.textContent = t('report.bad_link');
    error.hidden = false;
    return;
  }
  $('#csv').href = `/api/finance/reports/${kind}?${q}&format=csv`;
  try {
    const data = await api(`/api/finance/reports/${kind}?${q}`);
    $('#report-body').replaceChildren(...(kind === 'closeout' ? closeout(data) : reconciliation(data)));
    document.title = $('#report-title').textContent;
    document.body.dataset.ready = '1';
  } catch (err) {
    error.replaceChildren(err.status === 401 || err.status === 403
      ? el('span', {}, t('report.sign_in'), el('a', { href: '/finance', text: '/finance' }))
      : errorDetail(err));
    error.hidden = false;
  }
}

async function main() {
  applyWords(document);
  wireLangSwitch($('#lang-switch'));
  $('#print').addEventListener('click', () => window.print());
  document.addEventListener('boai:lang', () => render());
  const station = await loadStation();
  $('#station').textContent = station.name ?? '';
  await render();
}

main();
