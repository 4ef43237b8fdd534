// The host console's charity sales: the room's open items (sale.list) with what is left, kept
// current by sale.updated room events, a 上屏 button per item that puts it on the video
// (sale.on_air) and 下屏 (item_id 0) that takes it off, 下架 (sale.withdraw), and a form that adds
// an item (sale.add). Every text from the server goes in as text.
import { $, el } from './dom.js';
import { t } from './i18n.js';
import { formatFen, parseYuanToFen } from './money.js';
import { act, toastError } from './host_actions.js';
import { uploadChosen } from './host_wish_fulfil.js';
import { isOpen, priceText } from './sale_parts.js';

let client = null;
const items = new Map(); // id -> open item
const listings = new Set(); // sale.list requests in flight: ids events changed meanwhile
let featuredId = 0;
let lastTotals = null;

function saleItem(item) {
  const featured = item.id === featuredId;
  const dataset = { id: item.id, available: item.available ?? 0 };
  if (featured) {
    dataset.featured = '1';
  }
  return el('li', { class: 'host-sale', dataset },
    el('p', { class: 'sale-title', text: item.title ?? '' }),
    el('strong', { class: 'sale-price', text: priceText(item) }),
    el('span', { class: `sale-stock${(item.available ?? 0) <= 0 ? ' out' : ''}`,
      text: (item.available ?? 0) <= 0 ? t('sale.sold_out')
        : t('host.sale_stock', { available: item.available ?? 0, quantity: item.quantity ?? 0 }) }),
    featured ? el('span', { class: 'sale-featured', text: t('host.sale_is_on_air') }) : null,
    featured ? null : el('button', { type: 'button', class: 'on-air', text: t('host.sale_on_air'),
      onclick: (e) => act(client, { type: 'sale.on_air', item_id: item.id }, e.currentTarget) }),
    el('button', { type: 'button', class: 'withdraw link-button', text: t('host.sale_withdraw'),
      onclick: (e) => act(client, { type: 'sale.withdraw', item_id: item.id }, e.currentTarget) }));
}

function render() {
  const list = [...items.values()].sort((a, b) => a.id - b.id);
  $('#host-sales').replaceChildren(...list.map(saleItem));
  $('#host-sales-none').hidden = list.length > 0;
  $('#sale-off-air').hidden = featuredId === 0;
}

function keep(item) {
  const { type: _type, seq: _seq, ...fields } = item;
  const id = Number(item.id);
  if (isOpen(item)) {
    items.set(id, { ...fields, id });
  } else {
    items.delete(id);
  }
}

async function load(c) {
  const changed = new Set();
  listings.add(changed);
  try {
    const ack = await c.request({ type: 'sale.list' });
    if (c !== client) {
      return;
    }
    for (const id of [...items.keys()].filter((id) => !changed.has(id))) {
      items.delete(id);
    }
    for (const item of (ack.items ?? []).filter((x) => !changed.has(Number(x.id)))) {
      keep(item);
    }
    render();
  } catch (err) {
    toastError(err);
  } finally {
    listings.delete(changed);
  }
}

// The list again (on a fresh welcome and the refresh button).
export function loadSales() {
  if (client) {
    load(client);
  }
}

// A new room: nothing of the last one stays.
export function setSaleClient(c) {
  client = c;
  items.clear();
  featuredId = 0;
  render();
}

export function applySaleEvent(e) {
  for (const changed of listings) {
    changed.add(Number(e.id));
  }
  keep(e);
  render();
}

// sale.featured: the item now on the video (id 0: none).
export function setFeatured(e) {
  featuredId = Number(e.id) || 0;
  if (featuredId !== 0) {
    applySaleEvent(e);
  } else {
    render();
  }
}

// The room's sales figures, apart from gifts.
export function showSaleTotals(totals) {
  if (totals) {
    lastTotals = totals;
  }
  $('#host-sale-totals').textContent = t('sale.totals', {
    sold: formatFen(lastTotals?.sold_fen ?? 0), n: lastTotals?.sale_count ?? 0 });
}

// The console's form. A photo is uploaded first (POST /api/photos) and named in sale.add; the
// price is typed in yuan and sent in fen; the server checks the rest.
async function addItem(e) {
  e.preventDefault();
  const button = e.submitter;
  button.disabled = true;
  const photo = await uploadChosen($('#sale-add-photo'));
  button.disabled = false;
  if (photo === null) {
    return;
  }
  const value = (id) => $(id).value.trim();
  const frame = {
    type: 'sale.add', title: value('#sale-add-title'), price_fen: parseYuanToFen(value('#sale-add-price')) ?? 0,
    quantity: Number.parseInt(value('#sale-add-quantity'), 10) || 0,
    per_buyer: Number.parseInt(value('#sale-add-per-buyer') || '0', 10) || 0,
    donated_by: value('#sale-add-donor'), photo,
  };
  if (await act(client, frame, button)) {
    $('#sale-add-form').reset();
  }
}

export function wireHostSales() {
  $('#sale-add-form').addEventListener('submit', addItem);
  $('#sales-refresh').addEventListener('click', loadSales);
  $('#sale-off-air').addEventListener('click',
    (e) => act(client, { type: 'sale.on_air', item_id: 0 }, e.currentTarget));
  document.addEventListener('boai:lang', () => {
    render();
    showSaleTotals(null);
  });
}
