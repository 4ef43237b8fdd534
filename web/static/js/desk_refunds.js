// Refunds at the desk: a 退款 form under a pledge that received money (POST /api/finance/refunds);
// up to the limit it is made at once, above it a second finance member must approve it (as the
// write-offs and refunds the exception queue proposes) in the 审批 tab (GET /api/finance/requests, POST .../ID/approve|reject). The server knows who is signed
// in and refuses the proposer's own approval; the page only says so first.
import { $, el } from './dom.js';
import { t } from './i18n.js';
import { api } from './api.js';
import { formatFen, parseYuanToFen, yuanText } from './money.js';

let me = null;
let onChange = () => {};
let say = () => {};

// me: the signed-in member; changed(): the lists to read again; tell(text, kind): a notice.
export function setDeskMember(member, { changed, tell }) {
  me = member;
  onChange = changed;
  say = tell;
}

async function submitRefund(p, form, button) {
  const fen = parseYuanToFen(form.querySelector('.refund-amount').value.trim());
  if (fen === null) return say(t('donate.bad_amount'), 'error');
  button.disabled = true;
  try {
    const answer = await api('/api/finance/refunds', { method: 'POST',
      body: { reference: p.reference, amount_fen: fen,
        reason: form.querySelector('.refund-reason').value.trim() } });
    say(answer.request ? t('desk.refund_proposed') : t('desk.refund_done'));
    onChange();
  } catch (err) {
    say(err, 'error');
  } finally {
    button.disabled = false;
  }
}

// The 退款 cell of a pledge row: a button that opens the form in a row below it.
export function refundCell(p) {
  const left = p.paid_fen - p.refunded_fen;
  if (left <= 0) return el('td');
  const open = el('button', { type: 'button', class: 'link-button refund-open',
    text: t('desk.refund') });
  open.addEventListener('click', () => {
    const row = open.closest('tr');
    if (row.nextElementSibling?.classList.contains('refund-row')) return;
    const button = el('button', { type: 'submit', class: 'danger', text: t('desk.refund_submit') });
    const form = el('form', { class: 'row refund-form' },
      el('input', { class: 'refund-amount', inputmode: 'decimal', value: yuanText(left),
        'aria-label': 'amount' }),
      el('input', { class: 'refund-reason', maxlength: 200, required: true,
        placeholder: t('desk.refund_reason'), 'aria-label': 'reason' }),
      button);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      submitRefund(p, form, button);
    });
    row.after(el('tr', { class: 'refund-row' }, el('td', { colspan: 10 }, form)));
  });
  return el('td', {}, open);
}

async function decide(r, approve, note, button) {
  button.disabled = true;
  try {
    await api(`/api/finance/requests/${r.id}/${approve ? 'approve' : 'reject'}`,
      { method: 'POST', body: { note } });
    say(approve ? t('desk.approved') : t('desk.rejected'));
    onChange();
  } catch (err) {
    say(err, 'error');
  } finally {
    button.disabled = false;
  }
}

function requestItem(r) {
  const mine = r.proposed_by === me?.name;
  const note = el('input', { class: 'decision-note', maxlength: 200,
    placeholder: t('desk.decision_note'), 'aria-label': 'note' });
  const approve = el('button', { type: 'button', class: 'primary approve',
    text: t(r.kind === 'write_off' ? 'desk.approve_write_off' : 'desk.approve'),
    disabled: mine, onclick: () => decide(r, true, note.value.trim(), approve) });
  const reject = el('button', { type: 'button', class: 'danger reject', text: t('desk.reject'),
    disabled: mine, onclick: () => decide(r, false, note.value.trim(), reject) });
  return el('li', { class: 'approval', dataset: { id: r.id, status: r.status } },
    el('p', {}, el('span', { class: 'request-kind', text: t(`desk.request_kind.${r.kind}`) }), ' ',
      el('strong', { text: formatFen(r.amount_fen) }), ' · ',
      el('span', { class: 'ref', text: r.reference }), ' · ', el('span', { text: r.reason })),
    el('p', { class: 'muted', text: t('desk.proposed_by', { name: r.proposed_by }) }),
    r.status !== 'proposed'
      ? el('p', { class: 'muted', text: t(`desk.request.${r.status}`, { name: r.decided_by }) })
      : el('div', { class: 'row' }, note, approve, reject,
        mine ? el('span', { class: 'muted', text: t('desk.needs_another') }) : null));
}

export async function loadRequests() {
  try {
    const { requests } = await api('/api/finance/requests');
    $('#approval-list').replaceChildren(...requests.map(requestItem));
    $('#approval-none').hidden = requests.length > 0;
  } catch (err) {
    say(err, 'error');
  }
}
