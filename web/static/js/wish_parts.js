// What the viewer page and the host console show of one wish alike: its kind, its status, and
// its progress (a bar and the figures), all from integer fen and as text.
import { el } from './dom.js';
import { t } from './i18n.js';
import { formatFen, perMille } from './money.js';

const CATEGORIES = ['study', 'health', 'elderly', 'daily', 'other'];
const STATUSES = ['pending', 'approved', 'funded', 'fulfilled', 'rejected'];
export const PUBLIC_STATUSES = ['approved', 'funded', 'fulfilled'];

export function categoryText(category) {
  return CATEGORIES.includes(category) ? t(`wish.category.${category}`) : String(category ?? '');
}

export function statusText(status) {
  return STATUSES.includes(status) ? t(`wish.status.${status}`) : String(status ?? '');
}

export function statusBadge(status) {
  return el('span', { class: `wish-status ${STATUSES.includes(status) ? status : ''}`,
    text: statusText(status) });
}

// The bar (pledged of the amount, in per mille) and "已筹 ¥50 / ¥200 · 还差 ¥150 · 1 人捐助".
export function progress(w) {
  const share = perMille(w.pledged_fen ?? 0, w.amount_fen ?? 0);
  const bar = el('div', { class: 'wish-bar', role: 'progressbar', 'aria-valuemin': 0,
    'aria-valuemax': 1000, 'aria-valuenow': share,
    dataset: { pledgedFen: w.pledged_fen ?? 0, amountFen: w.amount_fen ?? 0 } },
  el('div', { class: 'wish-bar-fill', style: `width:${share / 10}%` }));
  const figures = [t('wish.pledged_of', { pledged: formatFen(w.pledged_fen ?? 0, { short: true }),
    amount: formatFen(w.amount_fen ?? 0, { short: true }) })];
  if ((w.left_fen ?? 0) > 0) {
    figures.push(t('wish.left', { left: formatFen(w.left_fen, { short: true }) }));
  }
  if (w.donor_count) {
    figures.push(t('wish.donors', { n: w.donor_count }));
  }
  return el('div', { class: 'wish-progress' }, bar,
    el('p', { class: 'wish-figures', text: figures.join(' · ') }));
}

// A proof's address, only when it is one the server serves (never a javascript: URL).
export function proofUrl(w) {
  const url = w.proof_url;
  return typeof url === 'string' && /^\/proofs\/[A-Za-z0-9._-]+$/.test(url) ? url : null;
}
