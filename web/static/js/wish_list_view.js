// The viewer's 心愿 tab: the room's public wishes (wish.list), kept current by wish.updated room
// events (the latest wins), the one a host put on the video marked, and a 捐助 button per open
// wish. Every text from the server goes in as text.
import { $, el } from './dom.js';
import { t, errorText } from './i18n.js';
import { PUBLIC_STATUSES, categoryText, progress, proofUrl, statusBadge } from './wish_parts.js';

const wishes = new Map(); // id -> the wish as last heard of
const listings = new Set(); // wish.list requests in flight: the ids events changed meanwhile
let featuredId = 0;
let onGive = () => {};
const watchers = []; // called with each wish that changed (the give form, my wishes)

export function onWishChanged(fn) {
  watchers.push(fn);
}

export function wishById(id) {
  return wishes.get(Number(id)) ?? null;
}

function card(w) {
  const give = w.status === 'approved'
    ? el('button', { type: 'button', class: 'primary give', text: t('wish.give'),
      onclick: () => onGive(w.id) })
    : null;
  const proof = proofUrl(w);
  const dataset = { id: w.id, status: w.status };
  if (w.id === featuredId) {
    dataset.featured = '1';
  }
  return el('li', { class: 'wish', dataset },
  el('div', { class: 'wish-tags' },
    el('span', { class: 'wish-category', text: categoryText(w.category) }),
    w.status !== 'approved' ? statusBadge(w.status) : null,
    w.id === featuredId ? el('span', { class: 'wish-featured', text: t('wish.featured') }) : null),
  el('h3', { class: 'wish-title', text: w.title ?? '' }),
  el('p', { class: 'wish-story', text: w.story ?? '' }),
  el('p', { class: 'wish-requester muted',
    text: t('wish.requester', { name: w.requester ?? '' }) }),
  progress(w),
  w.status === 'fulfilled' && w.fulfil_note
    ? el('p', { class: 'wish-fulfil', text: t('wish.fulfil_note', { note: w.fulfil_note }) })
    : null,
  proof ? el('a', { class: 'wish-proof', href: proof, target: '_blank', rel: 'noopener',
    text: t('wish.proof') }) : null,
  give);
}

function place(w) {
  const list = $('#wish-list');
  const old = list.querySelector(`li[data-id="${Number(w.id)}"]`);
  const node = card(w);
  if (old) {
    old.replaceWith(node);
    return;
  }
  // Newest first: ids grow with time.
  const after = [...list.children].find((li) => Number(li.dataset.id) < w.id);
  list.insertBefore(node, after ?? null);
}

function showEmpty() {
  $('#wishes-empty').hidden = wishes.size > 0;
}

function keep(w) {
  const id = Number(w.id);
  if (!PUBLIC_STATUSES.includes(w.status)) {
    forget(id);
  } else {
    const { type: _type, seq: _seq, ...fields } = w;
    wishes.set(id, { ...fields, id });
    place(wishes.get(id));
    showEmpty();
  }
  for (const fn of watchers) {
    fn(w);
  }
}

function forget(id) {
  wishes.delete(id);
  $('#wish-list').querySelector(`li[data-id="${id}"]`)?.remove();
  showEmpty();
}

// A wish.updated room event: it is newer than anything a wish.list in flight may answer.
export function applyWishEvent(e) {
  for (const changed of listings) {
    changed.add(Number(e.id));
  }
  keep(e);
}

// wish.featured: the wish a host put on the video (0: none).
export function setFeatured(id) {
  const before = featuredId;
  featuredId = Number(id) || 0;
  for (const w of [wishes.get(before), wishes.get(featuredId)]) {
    if (w) {
      place(w);
    }
  }
}

// Asks for the room's public wishes; those an event changed meanwhile keep the event's version.
// True when the list came.
export async function reloadWishes(client) {
  const changed = new Set();
  listings.add(changed);
  let ack;
  try {
    ack = await client.request({ type: 'wish.list' });
  } catch (err) {
    $('#wish-list-error').textContent = errorText(err);
    $('#wish-list-error').hidden = false;
    return false;
  } finally {
    listings.delete(changed);
  }
  $('#wish-list-error').hidden = true;
  const listed = new Set();
  for (const w of ack.wishes ?? []) {
    listed.add(Number(w.id));
    if (!changed.has(Number(w.id))) {
      keep(w);
    }
  }
  for (const id of [...wishes.keys()]) {
    if (!listed.has(id) && !changed.has(id)) {
      forget(id);
    }
  }
  return true;
}

export function wireWishList(give) {
  onGive = give;
  document.addEventListener('boai:lang', () => {
    for (const w of wishes.values()) {
      place(w);
    }
  });
}
