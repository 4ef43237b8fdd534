// The viewer page's entry: finds the room, joins it over boai.v1, and wires the video, chat,
// donations, goal bar, red wishes, charity sales, past classes and footer together.
import { $, el } from './dom.js';
import { applyWords, wireLangSwitch, t, errorText } from './i18n.js';
import { apiOrNull } from './api.js';
import { LiveClient } from './live_client.js';
import { startLivePlayer } from './player.js';
import { loadStation } from './station.js';
import { renderTotals, addDonation, clearDonations, markPaid, hideDonation } from './goal_view.js';
import * as chat from './chat_view.js';
import { wireDonate, setFunds, setCampaignOpen, showPledgeToPay } from './donate_view.js';
import { resumeReference, onPaidEvent } from './pay_online.js';
import { loadReplays } from './replays.js';
import * as wishes from './wishes_tab.js';
import * as sales from './sales_tab.js';
import { formatFen } from './money.js';

function roomFromLocation() {
  const m = /^\/r\/([^/]+)\/?$/.exec(location.pathname);
  if (m) return decodeURIComponent(m[1]);
  return new URLSearchParams(location.search).get('room');
}

async function pickRoom() {
  const rooms = (await apiOrNull('/api/rooms')) ?? [];
  const live = rooms.find((r) => r.status === 'live');
  if (live) return live.slug;
  showLobby(rooms);
  return null;
}

// No live room (or an unknown one): say so, and list the rooms there are.
function showLobby(rooms, titleKey = 'room.none') {
  $('#room').hidden = true;
  $('#lobby').hidden = false;
  $('#lobby-title').dataset.i18n = titleKey;
  $('#lobby-title').textContent = t(titleKey);
  $('#room-list').replaceChildren(...rooms.map((r) => el('li', {},
    el('a', { href: `/r/${encodeURIComponent(r.slug)}` },
      el('span', { class: 'room-title', text: r.title || r.slug }),
      el('span', { class: `room-status ${r.status}`, text: t(`room.status.${r.status}`) }),
      r.goal_fen ? el('span', { class: 'room-goal muted', text: formatFen(r.totals?.pledged_fen ?? 0, { short: true }) + ' / ' + formatFen(r.goal_fen, { short: true }) }) : null))));
}

// Shows one tab's panel (chat, donate, wishes, sales, replays).
function selectTab(name) {
  for (const tab of document.querySelectorAll('.tabs [data-tab]')) {
    tab.setAttribute('aria-selected', String(tab.dataset.tab === name));
    $(`#tab-${tab.dataset.tab}`).hidden = tab.dataset.tab !== name;
  }
}

function wireTabs(client) {
  const tabs = document.querySelectorAll('.tabs [data-tab]');
  for (const tab of tabs) {
    tab.addEventListener('click', () => {
      selectTab(tab.dataset.tab);
      if (tab.dataset.tab === 'replays') loadReplays();
      if (tab.dataset.tab === 'wishes') {
        wishes.onOpened(client);
      }
      if (tab.dataset.tab === 'sales') {
        sales.onOpened(client);
      }
    });
  }
}

function wirePlayer(room) {
  const video = $('#video');
  const unmute = $('#unmute');
  const name = encodeURIComponent(room);
  const urls = { ll: `/ll/${name}/master.m3u8`, classic: `/hls/${name}/master.m3u8` };
  const lowLatency = new URLSearchParams(location.search).get('hls') !== 'classic';
  const player = startLivePlayer(video, urls, (state) => {
    $('#live-badge').hidden = state !== 'live';
    $('#offline').hidden = state !== 'offline';
    document.body.dataset.stream = state;
    unmute.hidden = !(state === 'live' && video.muted);
    document.body.dataset.hls = player ? player.mode : '';
  }, { lowLatency });
  unmute.addEventListener('click', () => {
    video.muted = false;
    video.play().catch(() => {});
    unmute.hidden = true;
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') player.retryNow();
  });
  return player;
}

function wireClient(client) {
  let closedTimer = null;
  client.on('status', (status) => {
    const line = $('#connection');
    if (status === 'open') {
      clearTimeout(closedTimer);
      closedTimer = null;
      line.hidden = true;
    } else if (!closedTimer && line.hidden) {
      // Silent unless the reconnect takes a while.
      closedTimer = setTimeout(() => {
        line.textContent = t('live.reconnecting');
        line.hidden = false;
      }, 4000);
    }
  });
  client.on('welcome', ({ welcome, fresh }) => {
    const c = welcome.campaign ?? {};
    $('#campaign-title').textContent = c.title ?? '';
    if (c.title) document.title = `${c.title} · ${t('app.name')}`;
    renderTotals({ goal_fen: c.goal_fen, ...welcome.totals });
    setFunds(c.funds);
    setCampaignOpen(!c.status || c.status === 'live', c.status);
    chat.showSlowMode(welcome.slow_mode_seconds);
    chat.showNickname(welcome.nickname ?? '');
    showViewers(welcome.viewers);
    wishes.onWelcome(client, fresh);
    sales.onTotals(welcome.totals);
    sales.onWelcome(client, fresh);
    if (fresh) {
      // What is on the video's card, for a phone that joins after it was featured. Only on a
      // fresh start: after a catch-up the replayed events are newer than this card.
      const card = welcome.featured;
      wishes.onRoomEvent(card?.type === 'wish.featured' ? card : { type: 'wish.featured', id: 0 });
      sales.onRoomEvent(card?.type === 'sale.featured' ? card : { type: 'sale.featured', id: 0 });
    }
    if (fresh) {
      chat.clearChat();
      for (const m of welcome.recent ?? []) chat.addMessage(m);
      if (Array.isArray(welcome.recent_donations)) {
        clearDonations();
        for (const d of welcome.recent_donations) addDonation(d);
      }
    }
  });
  client.on('event', (e) => {
    if (e.type === 'chat.message') chat.addMessage(e);
    else if (e.type === 'chat.removed') chat.removeMessage(e.id);
    else if (e.type === 'room.cleared') chat.clearChat({ announce: true });
    else if (e.type === 'donation') {
      addDonation(e);
      chat.addDonationLine(e);
    } else if (e.type === 'donation.paid') {
      markPaid(e);
      onPaidEvent(e);
    } else if (e.type === 'donation.hidden') {
      hideDonation(e.pledge);
      chat.hideDonationLine(e.pledge);
    } else if (e.type.startsWith('sale.')) {
      sales.onRoomEvent(e);
    } else {
      wishes.onRoomEvent(e);
    }
  });
  client.on('state', (s) => {
    if (s.type === 'totals') {
      renderTotals(s.totals);
      sales.onTotals(s.totals);
    }
    else if (s.type === 'viewers') showViewers(s.count);
    else if (s.type === 'room.settings') chat.showSlowMode(s.slow_mode_seconds);
  });
  client.on('error', (err) => chat.showChatError(err));
  client.on('refused', (err) => {
    if (err.code === 'room_not_found') {
      apiOrNull('/api/rooms').then((rooms) => showLobby(rooms ?? [], 'room.not_found'));
      return;
    }
    chat.showChatError(err);
    $('#chat-error').hidden = false;
    const forms = '#chat-form button, #chat-form input, #donate-form button, #tab-wishes button,'
      + ' #tab-sales button';
    for (const b of document.querySelectorAll(forms)) {
      b.disabled = true;
    }
    for (const id of ['#nick-line', '#nick-form', '#chat-empty']) $(id).hidden = true;
    $('#connection').textContent = errorText(err);
    $('#connection').hidden = false;
  });
}

function showViewers(n) {
  if (typeof n !== 'number') return;
  const badge = $('#viewer-count');
  badge.textContent = t('live.viewers', { n });
  badge.dataset.count = String(n);
  badge.hidden = false;
}

async function main() {
  applyWords(document);
  wireLangSwitch($('#lang-switch'));
  loadStation();
  const room = roomFromLocation() ?? (await pickRoom());
  if (!room) return;
  $('#room').hidden = false;
  const client = new LiveClient({ room, nickname: chat.storedNickname() });
  wireTabs(client);
  window.boai = { client, room }; // for the browser tests and the curious
  wireClient(client);
  chat.wireChat(client);
  wireDonate(client);
  wishes.wireWishes(client);
  sales.wireSales(client);
  window.boai.player = wirePlayer(room);
  document.addEventListener('boai:lang', () => {
    const n = Number($('#viewer-count').dataset.count);
    if (!Number.isNaN(n)) showViewers(n);
  });
  let linkFollowed = false;
  client.on('welcome', () => {
    if (!linkFollowed) openLinked(client);
    linkFollowed = true;
  });
  client.connect();
  resumePay();
}

// The QR code on the video leads to the wish or the item on its card (/r/ROOM?wish=ID or
// ?sale=ID): once in the room, its tab and its form.
function openLinked(client) {
  const q = new URLSearchParams(location.search);
  const wish = Number(q.get('wish')), sale = Number(q.get('sale'));
  if (wish > 0) {
    selectTab('wishes');
    wishes.openLinked(client, wish);
  } else if (sale > 0) {
    selectTab('sales');
    sales.openLinked(client, sale);
  }
}

// Back from WeChat's web authorization (?pay=REF): the pledge's payment picks up where it was.
async function resumePay() {
  const reference = resumeReference();
  if (!reference) return;
  const status = await apiOrNull(`/api/pay/orders/${encodeURIComponent(reference)}`);
  if (!status || status.paid) return;
  document.querySelector('[data-tab="donate"]')?.click();
  showPledgeToPay({ reference: status.reference, amount_fen: status.amount_fen });
}

main();
