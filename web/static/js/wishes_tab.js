// The viewer page's 心愿 tab: one view at a time (the wishes, giving to one, the gift's pay
// instructions, the form to post one), and what the room's events and a fresh welcome do to it.
import { $ } from './dom.js';
import { reloadWishes, applyWishEvent, setFeatured, wireWishList } from './wish_list_view.js';
import { openGive, wireGive } from './wish_give.js';
import { refreshMine, wirePost } from './wish_post.js';

const VIEWS = { browse: '#wish-browse', give: '#wish-give', result: '#give-result',
  post: '#wish-form' };

function show(view) {
  for (const [name, selector] of Object.entries(VIEWS)) {
    $(selector).hidden = name !== view;
  }
  $('#tab-wishes').scrollIntoView({ block: 'nearest' });
}

export function wireWishes(client) {
  wireWishList(openGive);
  wireGive(client, show);
  wirePost(client, show);
  for (const back of document.querySelectorAll('#tab-wishes .wish-back, #give-done')) {
    back.addEventListener('click', () => show('browse'));
  }
}

// The room's wishes are asked for when the tab is first opened, not by every phone that joins
// (a broadcast's start brings thousands at once); events keep them current from then on.
let opened = false;
let stale = true; // the list is to be asked for again (never asked, a resync, a failure)

async function load(client) {
  stale = false;
  stale = !(await reloadWishes(client));
}

// A welcome: after a resync (fresh) the list is whole again only by asking.
export function onWelcome(client, fresh) {
  stale ||= fresh;
  if (opened && fresh) {
    load(client);
    refreshMine(client);
  }
}

// The tab was opened: the list if it is due, and how my wishes stand now (a rejection is no
// room event, so only asking tells it).
export function onOpened(client) {
  opened = true;
  if (stale) {
    load(client);
  }
  refreshMine(client);
}

// Arrived by a link to one wish: the tab opened, the list loaded, that wish's form (if it still
// takes gifts; the list otherwise).
export async function openLinked(client, id) {
  opened = true;
  await load(client);
  refreshMine(client);
  openGive(id);
}

export function onRoomEvent(e) {
  if (e.type === 'wish.updated') {
    applyWishEvent(e);
  } else if (e.type === 'wish.featured') {
    if (Number(e.id) !== 0) {
      applyWishEvent(e);
    }
    setFeatured(e.id);
  }
}
