// The 对账 tab's queue: what notices and statements could not settle by themselves, oldest first
// (GET /api/finance/exceptions), each resolved with a reason (POST .../ID/resolve). The server
// says which actions fit each exception; a write-off or refund above the limit goes to 审批.
import { $, el } from './dom.js';
import { t } from './i18n.js';
import { api } from './api.js';
import { formatFen } from './money.js';
import { PagedTable } from './desk_table.js';

let queue;
let onChange = () => {};
let say = () => {};

const td = (text, cls) => el('td', { class: cls, text: text ?? '' });
const money = (fen) => (fen === null || fen === undefined ? '' : formatFen(fen));

async function submit(x, form, button) {
  const action = form.querySelector('.resolve-action').value;
  const body = { action, reason: form.querySelector('.resolve-reason').value.trim() };
  if (action === 'assign') body.reference = form.querySelector('.resolve-reference').value.trim();
  button.disabled = true;
  try {
    const answer = await api(`/api/finance/exceptions/${x.id}/resolve`, { method: 'POST', body });
    say(answer.status === 'proposed' ? t('desk.x.proposed') : t('desk.x.resolved'));
    onChange();
  } catch (err) {
    say(err, 'error');
  } finally {
    button.disabled = false;
  }
}

// The form under an exception: one of its actions, the pledge for assign (the best candidate
// first), and the reason, which the public ledger shows.
function resolveForm(x) {
  const action = el('select', { class: 'resolve-action', 'aria-label': 'action' },
    ...x.actions.map((a) => el('option', { value: a, text: t(`desk.x.action.${a}`) })));
  const reference = el('input', { class: 'resolve-reference', maxlength: 16,
    value: x.candidates[0]?.reference ?? x.reference ?? '', placeholder: t('desk.x.reference'),
    'aria-label': 'reference' });
  const showReference = () => { reference.hidden = action.value !== 'assign'; };
  action.addEventListener('change', showReference);
  showReference();
  const button = el('button', { type: 'submit', class: 'primary', text: t('desk.x.submit') });
  const form = el('form', { class: 'row resolve-form' }, action, reference,
    el('input', { class: 'resolve-reason', maxlength: 200, required: true,
      placeholder: t('desk.x.reason'), 'aria-label': 'reason' }),
    button);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    submit(x, form, button);
  });
  return form;
}

function candidatesText(x) {
  return x.candidates.map((c) => `${c.reference} (${(c.score / 1000).toFixed(2)})`).join(', ');
}

function actionCell(x) {
  if (x.status === 'proposed') {
    return td(t('desk.x.waiting', { name: x.proposed_by }), 'wrap muted');
  }
  const open = el('button', { type: 'button', class: 'link-button resolve-open',
    text: t('desk.x.resolve') });
  open.addEventListener('click', () => {
    const row = open.closest('tr');
    if (row.nextElementSibling?.classList.contains('resolve-row')) return;
    row.after(el('tr', { class: 'resolve-row' }, el('td', { colspan: 10 }, resolveForm(x))));
  });
  return el('td', {}, open);
}

function exceptionRow(x) {
  const who = [x.donor_name, x.contact].filter(Boolean).join(' · ');
  const about = [x.counterparty, x.detail, x.candidates.length
    ? t('desk.x.candidates', { list: candidatesText(x) }) : ''].filter(Boolean).join(' · ');
  return el('tr', { dataset: { id: x.id, kind: x.kind, source: x.source, status: x.status } },
    td(x.occurred), td(t(`desk.x.kind.${x.kind}`)), td(t(`desk.x.source.${x.source}`)),
    td(x.provider ? `${t(`desk.provider.${x.provider}`)} ${x.txn_id}` : '', 'ref wrap'),
    td(money(x.actual_fen), 'num'), td(money(x.expected_fen), 'num'), td(x.reference, 'ref'),
    td(who, 'wrap'), td(about, 'wrap'), actionCell(x));
}

// changed(): the lists to read again after a resolution; tell(text, kind): a notice.
export function wireExceptions({ changed, tell }) {
  onChange = changed;
  say = tell;
  queue = new PagedTable({ path: '/api/finance/exceptions', key: 'exceptions', cursor: 'after_id',
    row: exceptionRow, onError: (err) => say(err, 'error'), table: $('#exception-table'),
    none: $('#exception-none'), more: $('#exception-more') });
  $('#exception-filter').addEventListener('submit', (e) => {
    e.preventDefault();
    loadExceptions();
  });
}

export function loadExceptions() {
  return queue.search({ kind: $('#exception-kind').value });
}
