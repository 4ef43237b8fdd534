// The host console's red wishes: those waiting for review (wish.list pending, contact included),
// approved as posted or with the title, story or amount edited, or rejected with a reason; and the
// public ones with their progress and a button that puts one on the video (wish.feature; 0 takes
// it off), and for approved or funded ones a form that marks them fulfilled (host_wish_fulfil.js).
// Every text from the server goes in as text.
import { $, el } from './dom.js';
import { t } from './i18n.js';
import { formatFen, parseYuanToFen, yuanText } from './money.js';
import { act, toast, toastError } from './host_actions.js';
import { PUBLIC_STATUSES, categoryText, progress, statusBadge } from './wish_parts.js';
import { fulfilForm } from './host_wish_fulfil.js';

// A new post reaches the consoles on the node it was posted to (wish.pending); those on other
// nodes ask again now and then.
const POLL_MS = 20000;

let client = null;
const pending = new Map(); // id -> wish waiting for review
const shown = new Map(); // id -> public wish
const listings = new Set(); // public wish.list requests in flight: ids events changed meanwhile
let featuredId = 0;
const fulfilForms = new Map(); // id -> its form, kept across re-renders so typing is not lost

function tags(w, ...more) {
  return el('div', { class: 'wish-tags' },
    el('span', { class: 'wish-category', text: categoryText(w.category) }), ...more);
}

async function approve(w, form, button) {
  const frame = { type: 'wish.review', id: w.id, decision: 'approve' };
  const title = form.querySelector('.edit-title').value.trim();
  const story = form.querySelector('.edit-story').value.trim();
  const fen = parseYuanToFen(form.querySelector('.edit-amount').value.trim());
  if (fen === null) {
    return toastError({ code: 'bad_amount', message: t('donate.bad_amount') });
  }
  if (title !== w.title) {
    frame.title = title;
  }
  if (story !== w.story) {
    frame.story = story;
  }
  if (fen !== w.amount_fen) {
    frame.amount_fen = fen;
  }
  const ack = await act(client, frame, button);
  if (ack) {
    reviewed(w.id, ack.wish);
  }
}

async function reject(w, form, button) {
  const reason = form.querySelector('.reason').value.trim();
  if (!reason) {
    toast(t('host.wish_reason_needed'), 'error');
    return;
  }
  const ack = await act(client, { type: 'wish.review', id: w.id, decision: 'reject', reason },
    button);
  if (ack) {
    reviewed(w.id, ack.wish);
  }
}

function reviewed(id, wish) {
  pending.delete(Number(id));
  renderPending();
  if (wish && PUBLIC_STATUSES.includes(wish.status)) {
    keepPublic(wish);
  }
}

function approveForm(w) {
  const story = el('textarea', { class: 'edit-story', maxlength: 500, rows: 3,
    'aria-label': 'story' });
  story.value = w.story ?? '';
  const button = el('button', { type: 'submit', class: 'primary approve',
    text: t('host.wish_approve') });
  const form = el('form', { class: 'approve-form' },
    el('input', { class: 'edit-title', maxlength: 40, value: w.title ?? '',
      'aria-label': 'title' }),
    story,
    el('div', { class: 'row' },
      el('input', { class: 'edit-amount', inputmode: 'decimal', value: yuanText(w.amount_fen ?? 0),
        'aria-label': 'amount' }),
      button));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    approve(w, form, button);
  });
  return form;
}

function rejectForm(w) {
  const button = el('button', { type: 'submit', class: 'danger reject',
    text: t('host.wish_reject') });
  const form = el('form', { class: 'reject-form row' },
    el('input', { class: 'reason', maxlength: 200, placeholder: t('host.wish_reason'),
      'aria-label': 'reason' }),
    button);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    reject(w, form, button);
  });
  return form;
}

function pendingItem(w) {
  return el('li', { class: 'host-wish pending', dataset: { id: w.id } },
    tags(w, el('span', { class: 'wish-amount', text: formatFen(w.amount_fen ?? 0) })),
    el('p', { class: 'wish-title', text: w.title ?? '' }),
    el('p', { class: 'wish-story', text: w.story ?? '' }),
    el('p', { class: 'muted', text: t('wish.requester', { name: w.requester ?? '' }) }),
    el('p', { class: 'contact', text: t('host.wish_contact', { contact: w.contact ?? '' }) }),
    approveForm(w),
    rejectForm(w));
}

function publicItem(w) {
  const featured = w.id === featuredId;
  const dataset = { id: w.id, status: w.status };
  if (featured) {
    dataset.featured = '1';
  }
  const feature = el('button', { type: 'button', class: 'feature', text: t('host.wish_feature'),
    onclick: (e) => act(client, { type: 'wish.feature', id: w.id }, e.currentTarget) });
  return el('li', { class: 'host-wish public', dataset },
    tags(w, statusBadge(w.status),
      featured ? el('span', { class: 'wish-featured', text: t('wish.featured') }) : null),
    el('p', { class: 'wish-title', text: w.title ?? '' }),
    progress(w),
    featured ? null : feature,
    w.status === 'fulfilled' ? null : fulfilFormFor(w));
}

function fulfilFormFor(w) {
  if (!fulfilForms.has(w.id)) {
    fulfilForms.set(w.id, fulfilForm(client, w));
  }
  return fulfilForms.get(w.id);
}

// Oldest first (first come, first vetted). Items already shown stay as they are, so that a poll
// does not wipe what the host is typing into one; rebuild: after a language switch.
function renderPending({ rebuild = false } = {}) {
  const list = $('#pending-wishes');
  for (const li of [...list.children]) {
    if (rebuild || !pending.has(Number(li.dataset.id))) {
      li.remove();
    }
  }
  const wishes = [...pending.values()].sort((a, b) => a.id - b.id);
  for (const w of wishes) {
    if (!list.querySelector(`li[data-id="${w.id}"]`)) {
      const next = [...list.children].find((li) => Number(li.dataset.id) > w.id);
      list.insertBefore(pendingItem(w), next ?? null);
    }
  }
  $('#pending-none').hidden = wishes.length > 0;
}

function renderPublic() {
  const wishes = [...shown.values()].sort((a, b) => b.id - a.id);
  $('#public-wishes').replaceChildren(...wishes.map(publicItem));
  $('#public-none').hidden = wishes.length > 0;
  $('#wish-unfeature').hidden = featuredId === 0;
}

function keepPublic(w) {
  const { type: _type, seq: _seq, ...fields } = w;
  const id = Number(w.id);
  if (PUBLIC_STATUSES.includes(w.status)) {
    shown.set(id, { ...fields, id });
  } else {
    shown.delete(id);
  }
  renderPublic();
}

async function loadPending(c) {
  try {
    const ack = await c.request({ type: 'wish.list', status: 'pending' });
    if (c !== client) {
      return;
    }
    pending.clear();
    for (const w of ack.wishes ?? []) {
      pending.set(Number(w.id), w);
    }
    renderPending();
  } catch (err) {
    toastError(err);
  }
}

async function loadPublic(c) {
  const changed = new Set();
  listings.add(changed);
  try {
    const ack = await c.request({ type: 'wish.list' });
    if (c !== client) {
      return;
    }
    for (const id of [...shown.keys()].filter((id) => !changed.has(id))) {
      shown.delete(id);
    }
    for (const w of (ack.wishes ?? []).filter((x) => !changed.has(Number(x.id)))) {
      shown.set(Number(w.id), w);
    }
    renderPublic();
  } catch (err) {
    toastError(err);
  } finally {
    listings.delete(changed);
  }
}

// Both lists again (on a fresh welcome and the refresh button).
export function loadWishes() {
  if (client) {
    loadPending(client);
    loadPublic(client);
  }
}

// A new room: nothing of the last one stays.
export function setWishClient(c) {
  client = c;
  pending.clear();
  shown.clear();
  featuredId = 0;
  fulfilForms.clear();
  renderPending({ rebuild: true });
  renderPublic();
}

// wish.pending: a wish just posted in this room, for staff only.
export function addPending(w) {
  if (w && !pending.has(Number(w.id))) {
    pending.set(Number(w.id), w);
    renderPending();
  }
}

export function applyWishEvent(e) {
  for (const changed of listings) {
    changed.add(Number(e.id));
  }
  if (pending.delete(Number(e.id))) {
    renderPending();
  }
  keepPublic(e);
}

// wish.featured: the wish now on the video (id 0: none).
export function setFeatured(e) {
  featuredId = Number(e.id) || 0;
  if (featuredId !== 0) {
    applyWishEvent(e);
  } else {
    renderPublic();
  }
}

export function wireHostWishes() {
  $('#wishes-refresh').addEventListener('click', loadWishes);
  $('#wish-unfeature').addEventListener('click',
    (e) => act(client, { type: 'wish.feature', id: 0 }, e.currentTarget));
  setInterval(() => {
    if (client?.welcomed && document.visibilityState === 'visible') {
      loadPending(client);
    }
  }, POLL_MS);
  document.addEventListener('boai:lang', () => {
    fulfilForms.clear();
    renderPending({ rebuild: true });
    renderPublic();
  });
}
