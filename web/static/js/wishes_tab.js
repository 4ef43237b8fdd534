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

// A fresh welcome (the first, or after a resync): the whole list again.
export function onWelcome(client, fresh) {
  if (fresh) {
    reloadWishes(client);
    refreshMine(client);
  }
}

// The tab was opened: how my wishes stand now (a rejection reaches no one by itself).
export function onOpened(client) {
  refreshMine(client);
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
