// The viewer page's 特卖 tab: one view at a time (the items, buying one, the order's pay
// instructions), the sales' figures from the room's totals, and what the room's events and a
// fresh welcome do to it.
import { $ } from './dom.js';
import { t } from './i18n.js';
import { formatFen } from './money.js';
import { reloadSales, applySaleEvent, setFeatured, wireSaleList } from './sale_list_view.js';
import { openBuy, showOrder, wireBuy } from './sale_buy.js';
import { refreshOrders, wireOrders } from './sale_orders.js';

const VIEWS = { browse: '#sale-browse', buy: '#sale-buy', result: '#buy-result' };

function show(view) {
  for (const [name, selector] of Object.entries(VIEWS)) {
    $(selector).hidden = name !== view;
  }
  $('#tab-sales').scrollIntoView({ block: 'nearest' });
}

let lastTotals = null;

// The room's totals carry the sales apart from gifts: sold_fen and sale_count.
export function onTotals(totals) {
  if (totals) {
    lastTotals = totals;
  }
  const sold = lastTotals?.sold_fen ?? 0;
  const count = lastTotals?.sale_count ?? 0;
  $('#sale-totals').textContent = t('sale.totals', { sold: formatFen(sold, { short: true }),
    n: count });
  $('#sale-totals').hidden = !(sold > 0 || count > 0);
}

export function wireSales(client) {
  wireSaleList(openBuy);
  wireBuy(client, show);
  wireOrders(client, showOrder);
  for (const back of document.querySelectorAll('#tab-sales .sale-back, #buy-done')) {
    back.addEventListener('click', () => show('browse'));
  }
  document.addEventListener('boai:lang', () => onTotals(null));
}

// The room's items are asked for when the tab is opened, not by every phone that joins (a
// broadcast's start brings thousands at once); events keep what is left current. Items the desk
// adds or withdraws are no room event, so an opening after a while asks again.
const FRESH_MS = 20000;
let opened = false;
let stale = true; // the list is to be asked for again (never asked, a resync, a failure)
let loadedAt = 0;

async function load(client) {
  stale = false;
  loadedAt = Date.now();
  stale = !(await reloadSales(client));
}

// A welcome: after a resync (fresh) the list is whole again only by asking.
export function onWelcome(client, fresh) {
  stale ||= fresh;
  if (opened && fresh) {
    load(client);
    refreshOrders();
  }
}

// The tab was opened: the list if it is due, and how my orders stand now (payment and hand-over
// are no room events, so only asking tells them).
export function onOpened(client) {
  opened = true;
  if (stale || Date.now() - loadedAt > FRESH_MS) {
    load(client);
  }
  refreshOrders();
}

// Arrived by a link to one item: the tab opened, the list loaded, that item's form (if it is
// still for sale; the list otherwise).
export async function openLinked(client, id) {
  opened = true;
  await load(client);
  refreshOrders();
  openBuy(id);
}

export function onRoomEvent(e) {
  if (e.type === 'sale.updated') {
    applySaleEvent(e);
  } else if (e.type === 'sale.featured') {
    if (Number(e.id) !== 0) {
      applySaleEvent(e);
    }
    setFeatured(e.id);
  }
}
