// The host console's entry: sign in (or not: then only the form shows), pick the studio's room,
// join it over boai.v1 with the session cookie, and hand frames to the panels (studio, chat and
// pledges, red wishes, charity sales).
import { $, el } from './dom.js';
import { applyWords, wireLangSwitch, t } from './i18n.js';
import { apiOrNull } from './api.js';
import { showSignin, showSignedIn, startSignin } from './staff_signin.js';
import { LiveClient } from './live_client.js';
import { loadStation } from './station.js';
import * as studio from './host_studio.js';
import * as room from './host_chat.js';
import * as wishes from './host_wishes.js';
import * as sales from './host_sales.js';
import * as replays from './host_replays.js';
import { watchRoom } from './host_watch.js';

let client = null;
let station = {};

async function openConsole(me) {
  const hosts = me.role === 'host' || me.role === 'admin';
  if (!hosts && me.role !== 'finance') return showSignin('host.need_host');
  // Finance vets red wishes here; the studio, the video's card, sales on air and moderation are
  // the hosts' (the server refuses them to anyone else as well).
  for (const card of document.querySelectorAll('#console section.card')) {
    if (!hosts && card.id !== 'wishes-card') card.hidden = true;
  }
  showSignedIn(me);
  if (hosts) replays.loadLibrary();

  const rooms = (await apiOrNull('/api/rooms')) ?? [];
  const picker = $('#room-picker');
  const slugs = rooms.map((r) => r.slug);
  if (station.studio_room && !slugs.includes(station.studio_room)) slugs.unshift(station.studio_room);
  picker.replaceChildren(...slugs.map((slug) => {
    const r = rooms.find((x) => x.slug === slug);
    return el('option', { value: slug, text: r ? `${r.title} (${slug})` : slug });
  }));
  const first = station.studio_room ?? rooms.find((r) => r.status === 'live')?.slug ?? slugs[0];
  if (!first) return;
  picker.value = first;
  picker.onchange = () => join(picker.value);
  join(first);
}

function join(slug) {
  if (client) client.stop();
  room.clearChat();
  $('#pledge-feed').replaceChildren();
  const studioHere = !!station.studio_room && station.studio_room === slug;
  studio.setStudioAvailable(studioHere);
  if (studioHere) {
    studio.startPreview();
    watchRoom(slug);
  }

  client = new LiveClient({ room: slug, sessionKey: 'boai.host_session' });
  window.boai = { client, room: slug };
  room.setChatClient(client);
  wishes.setWishClient(client);
  sales.setSaleClient(client);
  client.on('status', (s) => {
    const conn = $('#conn-state');
    conn.textContent = s === 'open' ? t('host.connection.open') : t('host.connection.closed');
    conn.className = `conn ${s}`;
  });
  client.on('welcome', ({ welcome, fresh }) => {
    if (fresh) {
      room.clearChat();
      for (const m of welcome.recent ?? []) room.addChat(m);
      for (const d of welcome.recent_donations ?? []) room.addPledge(d);
      wishes.loadWishes();
      sales.loadSales();
    }
    room.showTotals({ goal_fen: welcome.campaign?.goal_fen, ...welcome.totals });
    sales.showSaleTotals(welcome.totals);
    room.showSlow(welcome.slow_mode_seconds);
  });
  client.on('event', (e) => {
    if (e.type === 'chat.message') room.addChat(e);
    else if (e.type === 'chat.removed') room.removeChat(e.id);
    else if (e.type === 'room.cleared') room.clearChat();
    else if (e.type === 'donation') room.addPledge(e);
    else if (e.type === 'donation.hidden') room.hidePledge(e.pledge);
    else if (e.type === 'wish.updated') {
      wishes.applyWishEvent(e);
    } else if (e.type === 'wish.featured') {
      wishes.setFeatured(e);
    } else if (e.type === 'sale.updated') {
      sales.applySaleEvent(e);
    } else if (e.type === 'sale.featured') {
      sales.setFeatured(e);
    }
  });
  client.on('state', (s) => {
    if (s.type === 'totals') {
      room.showTotals(s.totals);
      sales.showSaleTotals(s.totals);
    }
    else if (s.type === 'room.settings') room.showSlow(s.slow_mode_seconds);
    else if (s.type === 'studio.health') {
      window.boai.health = s.health ?? s;
      studio.renderHealth(s);
    }
    else if (s.type === 'studio.event') studio.addStudioEvent(s);
    else if (s.type === 'wish.pending') wishes.addPending(s.wish);
  });
  client.connect();
}

async function main() {
  applyWords(document);
  wireLangSwitch($('#lang-switch'));
  studio.wireStudio(() => client);
  room.wireModeration();
  wishes.wireHostWishes();
  sales.wireHostSales();
  replays.wireHostReplays(() => client);
  station = await loadStation();
  await startSignin({ openPage: openConsole, beforeSignOut: () => client?.stop() });
}

main();
