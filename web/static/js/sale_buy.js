// Buying an item (sale.buy): a quantity bounded by what is left and the per-buyer limit, the
// buyer's name and a contact for pickup; one idempotency key per order, kept while the same order
// is retried (a dropped connection, a busy server). Then the order: its reference, amount, how to
// pay (pay_view.js) and the time left to pay, counting down.
import { $ } from './dom.js';
import { t } from './i18n.js';
import { formatFen } from './money.js';
import { newIdempotencyKey } from './live_client.js';
import { showPayInstructions, wireCopyButton } from './pay_view.js';
import { applySaleEvent, itemById, onItemChanged } from './sale_list_view.js';
import { isOpen, maxQuantity, photo, priceText, saleErrorText, soldOut,
  stockText } from './sale_parts.js';
import { expiryLine, keepOrder } from './sale_orders.js';

const RETRYABLE = ['db_unavailable', 'disconnected', 'timeout', 'rate_limited'];

let client = null;
let item = null; // the item being bought
let attempt = null; // {key, signature} of an order not yet acknowledged
let showView = () => {};

function quantity() {
  const n = Number($('#buy-quantity').value);
  return Number.isInteger(n) ? n : 0;
}

function setQuantity(n) {
  const max = maxQuantity(item);
  $('#buy-quantity').value = String(Math.max(max > 0 ? 1 : 0, Math.min(n, max)));
  refresh();
}

function refresh() {
  if (!item) {
    return;
  }
  const max = maxQuantity(item);
  $('#buy-title').textContent = item.title ?? '';
  $('#buy-photo').replaceChildren(...[photo(item, 'buy-photo')].filter(Boolean));
  $('#buy-price').textContent = priceText(item);
  $('#buy-stock').textContent = stockText(item);
  $('#buy-quantity').max = String(max);
  $('#buy-max').textContent = max > 0 ? t('sale.max_here', { n: max }) : '';
  const n = quantity();
  $('#buy-less').disabled = n <= 1;
  $('#buy-more').disabled = n >= max;
  const button = $('#buy-submit');
  if (button.dataset.sending === '1') {
    return;
  }
  const ok = isOpen(item) && n >= 1 && n <= max;
  button.disabled = !ok;
  if (!isOpen(item)) {
    button.textContent = t('sale.closed');
  } else if (soldOut(item)) {
    button.textContent = t('sale.sold_out');
  } else {
    button.textContent = t('sale.submit', { n: Math.max(n, 0),
      amount: formatFen(BigInt(item.price_fen ?? 0) * BigInt(Math.max(n, 0)), { short: true }) });
  }
}

function showError(error) {
  const p = $('#buy-error');
  p.textContent = saleErrorText(error);
  p.dataset.code = error?.code ?? '';
  p.hidden = false;
}

function orderFrame() {
  return { type: 'sale.buy', item_id: item.id, quantity: quantity(),
    buyer_name: $('#buy-name').value.trim(), contact: $('#buy-contact').value.trim() };
}

async function buy() {
  const frame = orderFrame();
  if (!frame.buyer_name) {
    return showError({ code: 'need_name', message: t('sale.need_name') });
  }
  if (!frame.contact) {
    return showError({ code: 'need_contact', message: t('sale.need_contact') });
  }
  // The same order pressed again (after a dropped connection or a busy server) keeps its key.
  const signature = JSON.stringify(frame);
  if (!attempt || attempt.signature !== signature) {
    attempt = { key: newIdempotencyKey(), signature };
  }
  frame.idempotency_key = attempt.key;
  const button = $('#buy-submit');
  button.disabled = true;
  button.dataset.sending = '1';
  button.textContent = t('sale.sending');
  $('#buy-error').hidden = true;
  try {
    const ack = await client.request(frame, { resend: true });
    attempt = null;
    keepOrder(ack.order);
    showOrder(ack.order ?? {});
  } catch (err) {
    if (!RETRYABLE.includes(err.code)) {
      attempt = null;
    }
    // What is left now, from the refusal, bounds the form until the room's event comes.
    if (err.code === 'sold_out' && Number.isInteger(err.details?.available)) {
      item = { ...item, available: Math.min(item.available ?? 0, err.details.available) };
      setQuantity(quantity());
    } else if (err.code === 'sale_closed' || err.code === 'item_not_found') {
      // Withdrawn at the desk (no room event says so): off the list, and the form says so.
      applySaleEvent({ ...item, status: 'withdrawn' });
    }
    showError(err);
  } finally {
    delete button.dataset.sending;
    refresh();
  }
}

// The order and how to pay for it (after buying, or 付款方式 of an order in 我的订单).
export function showOrder(order) {
  const root = $('#buy-result');
  showPayInstructions(root, order, order.amount_fen ?? 0);
  $('#buy-order-line').textContent = t('sale.order_line',
    { title: order.item_title ?? '', n: order.quantity ?? 0 });
  $('#buy-expiry').replaceChildren(expiryLine(order));
  showView('result');
}

// Opens the form for item id (the 购买 button of its card).
export function openBuy(id) {
  item = itemById(id);
  if (!item) {
    return;
  }
  attempt = null;
  $('#buy-error').hidden = true;
  setQuantity(1);
  showView('buy');
}

// show(view): shows one of the tab's views ('browse', 'buy', 'result').
export function wireBuy(liveClient, show) {
  client = liveClient;
  showView = show;
  $('#buy-less').addEventListener('click', () => setQuantity(quantity() - 1));
  $('#buy-more').addEventListener('click', () => setQuantity(quantity() + 1));
  $('#buy-quantity').addEventListener('input', refresh);
  $('#buy-quantity').addEventListener('change', () => setQuantity(quantity()));
  // Typing what was missing makes the complaint about it moot.
  for (const [field, code] of [['#buy-name', 'need_name'], ['#buy-contact', 'need_contact']]) {
    $(field).addEventListener('input', () => {
      if ($('#buy-error').dataset.code === code) {
        $('#buy-error').hidden = true;
      }
    });
  }
  $('#sale-buy').addEventListener('submit', (e) => {
    e.preventDefault();
    buy();
  });
  wireCopyButton($('#buy-result'));
  onItemChanged((changed) => {
    if (item && Number(changed.id) === item.id) {
      item = itemById(changed.id) ?? { ...item, ...changed };
      if (quantity() > maxQuantity(item)) {
        setQuantity(quantity());
      } else {
        refresh();
      }
    }
  });
  document.addEventListener('boai:lang', refresh);
}
