// What the viewer page and the host console show of one sale item or order alike: its photo, its
// price and what is left, an order's stage, and the sales' errors with the figures their frames
// carry. Money is integer fen; every text from the server goes in as text.
import { el } from './dom.js';
import { t, errorText } from './i18n.js';
import { formatFen } from './money.js';

const STAGES = ['awaiting_payment', 'to_fulfil', 'picked_up', 'delivered', 'expired', 'cancelled'];
const MAX_QUANTITY = 1000; // what one order may ask for (quantity_invalid above)

export function stageText(stage) {
  return STAGES.includes(stage) ? t(`sale.stage.${stage}`) : String(stage ?? '');
}

export function stageBadge(stage) {
  return el('span', { class: `sale-stage ${STAGES.includes(stage) ? stage : ''}`,
    text: stageText(stage) });
}

export const isOpen = (item) => (item?.status ?? 'open') === 'open';
export const soldOut = (item) => isOpen(item) && (item?.available ?? 0) <= 0;

// How many one order may take now: what is left, the per-buyer limit, the protocol's bound.
export function maxQuantity(item) {
  let max = Math.min(Math.max(0, item?.available ?? 0), MAX_QUANTITY);
  if (item?.per_buyer > 0) {
    max = Math.min(max, item.per_buyer);
  }
  return max;
}

// A photo's address, only when it is one the server serves (never a javascript: URL).
export function photoUrl(item) {
  const url = item?.photo_url;
  return typeof url === 'string' && /^\/proofs\/[A-Za-z0-9._-]+$/.test(url) ? url : null;
}

export function photo(item, className = 'sale-photo') {
  const url = photoUrl(item);
  return url ? el('img', { class: className, src: url, alt: item.title ?? '', loading: 'lazy' })
    : null;
}

// "还剩 2 件 · 每人限购 2 件", or 已售罄 / 已下架.
export function stockText(item) {
  if (!isOpen(item)) {
    return t('sale.closed');
  }
  if (soldOut(item)) {
    return t('sale.sold_out');
  }
  const parts = [t('sale.available', { n: item.available })];
  if (item.per_buyer > 0) {
    parts.push(t('sale.per_buyer', { n: item.per_buyer }));
  }
  return parts.join(' · ');
}

export const priceText = (item) => formatFen(item?.price_fen ?? 0, { short: true });

// A refused order in words: sold_out says what is left, over_limit what this buyer may still take.
export function saleErrorText(err) {
  const d = err?.details ?? {};
  if (err?.code === 'sold_out' && Number.isInteger(d.available) && d.available > 0) {
    return t('sale.error.sold_out_some', { n: d.available });
  }
  if (err?.code === 'over_limit' && Number.isInteger(d.allowed)) {
    return d.allowed > 0 ? t('sale.error.over_limit_some', { n: d.allowed })
      : t('sale.error.over_limit_none');
  }
  return errorText(err);
}
