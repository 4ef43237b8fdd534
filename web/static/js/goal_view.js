// The goal bar (pledged against the goal, received told apart) and the latest donations.
import { $, el, clock } from './dom.js';
import { formatFen, perMille } from './money.js';
import { t } from './i18n.js';

const FEED_LENGTH = 8;

let lastTotals = null;
document.addEventListener('boai:lang', () => renderTotals(lastTotals));

export function renderTotals(totals) {
  if (!totals) return;
  lastTotals = totals;
  const goal = totals.goal_fen ?? 0;
  const pledged = totals.pledged_fen ?? 0;
  const received = totals.received_fen ?? 0;
  const pledgedShare = perMille(pledged, goal);
  $('#goal-pledged').style.width = `${pledgedShare / 10}%`;
  $('#goal-received').style.width = `${perMille(received, goal) / 10}%`;
  $('#goal-bar').setAttribute('aria-valuenow', String(pledgedShare));
  $('#goal-bar').dataset.pledgedFen = String(pledged);
  $('#pledged').textContent = formatFen(pledged);
  $('#received').textContent = formatFen(received);
  $('#goal-target').textContent = formatFen(goal, { short: true });
  $('#pledge-count').textContent = t('goal.count', { n: totals.pledge_count ?? 0 });
  // "No gifts yet" only while that is true (the feed shows gifts made since the page opened).
  $('#feed-empty').hidden = (totals.pledge_count ?? 0) > 0 || $('#donation-feed').children.length > 0;
  $('#donation-feed').closest('.feed').hidden = (totals.pledge_count ?? 0) > 0 && $('#donation-feed').children.length === 0;
}

// One donation event at the top of the feed; the name comes masked from the server.
export function addDonation(d) {
  const list = $('#donation-feed');
  const item = el('li', { class: 'donation' },
    el('span', { class: 'donor', text: d.display_name || '爱心人士' }),
    el('span', { class: 'amount', text: formatFen(d.amount_fen ?? 0, { short: true }) }),
    el('time', { class: 'at', text: clock(d.at) }),
    d.message ? el('span', { class: 'message', text: d.message }) : null);
  if (d.pledge) item.dataset.pledge = String(d.pledge);
  list.prepend(item);
  while (list.children.length > FEED_LENGTH) list.lastElementChild.remove();
  $('#feed-empty').hidden = true;
  list.closest('.feed').hidden = false;
}

// A donation.paid event: the gift's line in the feed, if it is there, says 已到账.
export function markPaid(p) {
  if (!p.paid_in_full) return;
  const item = $('#donation-feed').querySelector(`li[data-pledge="${Number(p.pledge)}"]`);
  if (!item || item.querySelector('.paid')) return;
  item.querySelector('.amount').after(el('span', { class: 'paid', text: t('goal.received') }));
}

// A donation.hidden event: a host hid the donor's name and message; the amount stays.
export function hideDonation(pledge) {
  const item = $('#donation-feed').querySelector(`li[data-pledge="${Number(pledge)}"]`);
  if (!item) return;
  item.querySelector('.donor').textContent = '爱心人士';
  item.querySelector('.message')?.remove();
}

export function clearDonations() {
  $('#donation-feed').replaceChildren();
  $('#feed-empty').hidden = false;
}
