// 我的订单: the references of the orders this phone placed are kept in localStorage (never the
// buyer's name or contact), and sale.order tells how each stands: 待付款 (with the time left to
// pay), 待取货, 已取货, 已送达, 已过期. An unpaid order whose time ran out is asked about again, so
// its 已过期 shows without a reload.
import { $, el, clock } from './dom.js';
import { t } from './i18n.js';
import { formatFen } from './money.js';
import { onItemChanged } from './sale_list_view.js';
import { stageBadge } from './sale_parts.js';

const MINE_KEY = 'boai.my_orders';
const MAX_MINE = 30;
const REFERENCE = /^[A-Za-z0-9-]{4,40}$/;
const RECHECK_MS = 3000; // an order past its time that the server has not expired yet
const RECHECKS = 20;

let client = null;
let showPay = () => {};
const mine = new Map(); // reference -> the order as last heard of
const rechecks = new Map(); // reference -> how many times it was asked about after its time
let ticker = null;

export function myReferences() {
  try {
    const refs = JSON.parse(localStorage.getItem(MINE_KEY) ?? '[]');
    return Array.isArray(refs)
      ? refs.filter((r) => typeof r === 'string' && REFERENCE.test(r)).slice(-MAX_MINE) : [];
  } catch {
    return [];
  }
}

function storeReferences(refs) {
  try {
    localStorage.setItem(MINE_KEY, JSON.stringify(refs.slice(-MAX_MINE)));
  } catch {
    // storage off (private mode): shown until the page closes
  }
}

const awaiting = (o) => o.stage === 'awaiting_payment';

// "29:58" (or "1:02:03") until ms; "" once it passed.
function remaining(ms) {
  const s = Math.ceil((ms - Date.now()) / 1000);
  if (!(s > 0)) {
    return '';
  }
  const hh = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(hh > 0 ? 2 : 1, '0');
  const ss = String(s % 60).padStart(2, '0');
  return hh > 0 ? `${hh}:${mm}:${ss}` : `${mm}:${ss}`;
}

// The line under an unpaid order: "请在 14:35 前付款，剩余 29:58", kept current by the ticker.
export function expiryLine(order) {
  const p = el('p', { class: 'sale-expiry', dataset: { expiresAt: order.expires_at ?? 0 } });
  updateExpiry(p);
  startTicker();
  return p;
}

function updateExpiry(p) {
  const at = Number(p.dataset.expiresAt);
  const left = remaining(at);
  p.textContent = left ? t('sale.pay_before', { time: clock(at), left }) : t('sale.pay_late');
  p.classList.toggle('late', !left);
}

function tick() {
  const lines = document.querySelectorAll('.sale-expiry[data-expires-at]');
  for (const p of lines) {
    updateExpiry(p);
  }
  for (const o of mine.values()) {
    if (awaiting(o) && o.expires_at <= Date.now()) {
      recheck(o.reference);
    }
  }
  if (lines.length === 0 && ![...mine.values()].some(awaiting)) {
    clearInterval(ticker);
    ticker = null;
  }
}

function startTicker() {
  ticker ??= setInterval(tick, 1000);
}

// An unpaid order past its time: ask the server (which expires it) every few seconds, a while.
function recheck(reference) {
  const n = rechecks.get(reference) ?? 0;
  if (n < 0 || n >= RECHECKS) {
    return;
  }
  rechecks.set(reference, -1); // asking
  ask(reference).finally(() => {
    const o = mine.get(reference);
    if (o && awaiting(o)) {
      setTimeout(() => rechecks.set(reference, n + 1), RECHECK_MS);
    } else {
      rechecks.delete(reference);
    }
  });
}

function orderItem(o) {
  return el('li', { class: 'my-order', dataset: { reference: o.reference, stage: o.stage ?? '' } },
    el('div', { class: 'sale-tags' }, stageBadge(o.stage),
      el('span', { class: 'order-reference', text: o.reference })),
    el('p', { class: 'order-line' },
      el('span', { class: 'order-title',
        text: t('sale.order_line', { title: o.item_title ?? '', n: o.quantity ?? 0 }) }),
      el('strong', { class: 'order-amount', text: formatFen(o.amount_fen ?? 0) })),
    awaiting(o) ? expiryLine(o) : null,
    awaiting(o) && o.pay ? el('button', { type: 'button', class: 'link-button show-pay',
      text: t('sale.show_pay'), onclick: () => showPay(o) }) : null);
}

function render() {
  const refs = myReferences();
  const orders = refs.map((r) => mine.get(r)).filter(Boolean).reverse(); // newest first
  $('#my-orders').replaceChildren(...orders.map(orderItem));
  $('#my-orders-box').hidden = orders.length === 0;
}

function forget(reference) {
  mine.delete(reference);
  storeReferences(myReferences().filter((r) => r !== reference));
}

// An order as the server told it (a buy's ack, a sale.order answer).
export function keepOrder(order) {
  if (!order?.reference || !REFERENCE.test(order.reference)) {
    return;
  }
  const refs = myReferences();
  if (!refs.includes(order.reference)) { // a new one is the newest; a known one keeps its place
    refs.push(order.reference);
    storeReferences(refs);
  }
  mine.set(order.reference, { ...mine.get(order.reference), ...order });
  if (!order.pay) {
    delete mine.get(order.reference).pay; // no longer payable
  }
  render();
}

async function ask(reference) {
  if (!client) {
    return;
  }
  try {
    const ack = await client.request({ type: 'sale.order', reference });
    keepOrder(ack.order);
  } catch (err) {
    if (err.code === 'order_not_found') {
      forget(reference);
      render();
    }
    // otherwise kept as last heard of; the next refresh tries again
  }
}

// How this phone's orders stand now (on opening the tab, a fresh welcome, the refresh button).
export async function refreshOrders() {
  await Promise.all(myReferences().map(ask));
}

export function wireOrders(liveClient, pay) {
  client = liveClient;
  showPay = pay;
  $('#orders-refresh').addEventListener('click', refreshOrders);
  // An expiry gives the stock back with a sale.updated: an unpaid order of that item past its
  // time is due to be asked about.
  onItemChanged((item) => {
    for (const o of mine.values()) {
      if (o.item_id === Number(item.id) && awaiting(o) && o.expires_at <= Date.now()) {
        recheck(o.reference);
      }
    }
  });
  document.addEventListener('boai:lang', () => {
    render();
    tick();
  });
}
