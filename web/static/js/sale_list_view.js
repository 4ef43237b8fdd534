// The viewer's 特卖 tab: the room's open sale items (sale.list), kept current by sale.updated room
// events (the latest of an item wins), the one a host put on the video first and marked, and a 购买
// button per item that is not sold out. Every text from the server goes in as text.
import { $, el } from './dom.js';
import { t, errorText } from './i18n.js';
import { isOpen, photo, priceText, soldOut, stockText } from './sale_parts.js';

const items = new Map(); // id -> the item as last heard of
const listings = new Set(); // sale.list requests in flight: the ids events changed meanwhile
let featuredId = 0;
let onBuy = () => {};
const watchers = []; // called with each item that changed (the buy form, my orders)

export function onItemChanged(fn) {
  watchers.push(fn);
}

export function itemById(id) {
  return items.get(Number(id)) ?? null;
}

function card(item) {
  const featured = item.id === featuredId;
  const out = soldOut(item);
  const dataset = { id: item.id, available: item.available ?? 0 };
  if (featured) {
    dataset.featured = '1';
  }
  if (out) {
    dataset.soldOut = '1';
  }
  const buy = el('button', { type: 'button', class: 'primary buy',
    text: out ? t('sale.sold_out') : t('sale.buy'), disabled: out || !isOpen(item),
    onclick: () => onBuy(item.id) });
  return el('li', { class: `sale${featured ? ' featured' : ''}`, dataset },
    photo(item),
    el('div', { class: 'sale-body' },
      featured ? el('span', { class: 'sale-featured', text: t('sale.featured') }) : null,
      el('h3', { class: 'sale-title', text: item.title ?? '' }),
      item.description ? el('p', { class: 'sale-description', text: item.description }) : null,
      item.donated_by
        ? el('p', { class: 'sale-donor muted', text: t('sale.donated_by', { name: item.donated_by }) })
        : null,
      el('p', { class: 'sale-figures' },
        el('strong', { class: 'sale-price', text: priceText(item) }),
        el('span', { class: `sale-stock${out ? ' out' : ''}`, text: stockText(item) })),
      buy));
}

// The featured item first, then the others oldest first (as sale.list gives them).
function before(a, b) {
  if (a === featuredId || b === featuredId) {
    return a === featuredId;
  }
  return a < b;
}

function place(item) {
  const list = $('#sale-list');
  list.querySelector(`li[data-id="${Number(item.id)}"]`)?.remove();
  const next = [...list.children].find((li) => before(item.id, Number(li.dataset.id)));
  list.insertBefore(card(item), next ?? null);
}

function showEmpty() {
  $('#sales-empty').hidden = items.size > 0;
}

function keep(item) {
  const id = Number(item.id);
  if (!isOpen(item)) {
    forget(id);
  } else {
    const { type: _type, seq: _seq, ...fields } = item;
    items.set(id, { ...fields, id });
    place(items.get(id));
    showEmpty();
  }
  for (const fn of watchers) {
    fn(item);
  }
}

function forget(id) {
  items.delete(id);
  $('#sale-list').querySelector(`li[data-id="${id}"]`)?.remove();
  showEmpty();
}

// A sale.updated (or sale.featured) room event: newer than anything a sale.list in flight says.
export function applySaleEvent(e) {
  for (const changed of listings) {
    changed.add(Number(e.id));
  }
  keep(e);
}

// sale.featured: the item a host put on the video (0: none). The tab's button says so too.
export function setFeatured(id) {
  const old = featuredId;
  featuredId = Number(id) || 0;
  for (const item of [items.get(old), items.get(featuredId)]) {
    if (item) {
      place(item);
    }
  }
  $('.tabs [data-tab=sales]').classList.toggle('on-air', featuredId !== 0);
}

// Asks for the room's open items; those an event changed meanwhile keep the event's version.
// True when the list came.
export async function reloadSales(client) {
  const changed = new Set();
  listings.add(changed);
  let ack;
  try {
    ack = await client.request({ type: 'sale.list' });
  } catch (err) {
    $('#sale-list-error').textContent = errorText(err);
    $('#sale-list-error').hidden = false;
    return false;
  } finally {
    listings.delete(changed);
  }
  $('#sale-list-error').hidden = true;
  const listed = new Set();
  for (const item of ack.items ?? []) {
    listed.add(Number(item.id));
    if (!changed.has(Number(item.id))) {
      keep(item);
    }
  }
  for (const id of [...items.keys()]) {
    if (!listed.has(id) && !changed.has(id)) {
      forget(id);
    }
  }
  return true;
}

export function wireSaleList(buy) {
  onBuy = buy;
  document.addEventListener('boai:lang', () => {
    for (const item of items.values()) {
      place(item);
    }
  });
}
