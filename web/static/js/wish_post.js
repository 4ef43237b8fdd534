// Posting a wish (wish.post) and 我的心愿: the ids of the wishes this phone posted are kept in
// localStorage, and wish.mine tells their status (and a rejection's reason). The contact typed in
// the form goes to the server only: it is not kept on the phone, and no viewer ever gets it back.
import { $, el } from './dom.js';
import { t, errorText } from './i18n.js';
import { parseYuanToFen } from './money.js';
import { onWishChanged } from './wish_list_view.js';
import { categoryText, progress, statusBadge, PUBLIC_STATUSES } from './wish_parts.js';

const MINE_KEY = 'boai.my_wishes';
const MAX_MINE = 50; // what one wish.mine answers
const MIN_FEN = 100; // ¥1 to ¥50,000, as the server checks
const MAX_FEN = 5000000;

const mine = new Map(); // id -> the wish as last heard of

export function myWishIds() {
  try {
    const ids = JSON.parse(localStorage.getItem(MINE_KEY) ?? '[]');
    return Array.isArray(ids) ? ids.filter(Number.isSafeInteger).slice(-MAX_MINE) : [];
  } catch {
    return [];
  }
}

function keepId(id) {
  const ids = myWishIds().filter((x) => x !== id);
  ids.push(id);
  try {
    localStorage.setItem(MINE_KEY, JSON.stringify(ids.slice(-MAX_MINE)));
  } catch {
    // storage off (private mode): shown until the page closes
  }
}

function item(w) {
  const reason = w.status === 'rejected' && w.reason
    ? el('p', { class: 'wish-reason', text: t('wish.reason', { reason: w.reason }) })
    : null;
  return el('li', { class: 'my-wish', dataset: { id: w.id, status: w.status } },
    el('div', { class: 'wish-tags' },
      el('span', { class: 'wish-category', text: categoryText(w.category) }),
      statusBadge(w.status)),
    el('p', { class: 'wish-title', text: w.title ?? '' }),
    PUBLIC_STATUSES.includes(w.status) ? progress(w) : null,
    reason);
}

function render() {
  const list = $('#my-wishes');
  const wishes = [...mine.values()].sort((a, b) => b.id - a.id);
  list.replaceChildren(...wishes.map(item));
  $('#my-wishes-box').hidden = wishes.length === 0;
}

// Asks how this phone's wishes stand (on joining and when the tab opens: a rejection is no room
// event, so only asking tells it).
export async function refreshMine(client) {
  const ids = myWishIds();
  if (ids.length === 0) {
    return;
  }
  try {
    const ack = await client.request({ type: 'wish.mine', ids });
    mine.clear();
    for (const w of ack.wishes ?? []) {
      mine.set(Number(w.id), w);
    }
    render();
  } catch {
    // kept as last heard of; the next refresh tries again
  }
}

function showError(error) {
  const p = $('#wish-error');
  p.textContent = errorText(error);
  p.dataset.code = error?.code ?? '';
  p.hidden = false;
}

function postFrame() {
  const fen = parseYuanToFen($('#wish-amount').value.trim());
  if (fen === null) {
    return { error: { code: 'bad_amount', message: t('donate.bad_amount') } };
  }
  if (fen < MIN_FEN || fen > MAX_FEN) {
    return { error: { code: 'amount_out_of_range' } };
  }
  return { frame: { type: 'wish.post', title: $('#wish-title').value.trim(),
    story: $('#wish-story').value.trim(), amount_fen: fen, category: $('#wish-category').value,
    requester_name: $('#wish-name').value.trim(), contact: $('#wish-contact').value.trim() } };
}

async function post(client, show) {
  const { frame, error } = postFrame();
  if (error) {
    return showError(error);
  }
  const button = $('#wish-submit');
  button.disabled = true;
  button.textContent = t('wish.sending');
  $('#wish-error').hidden = true;
  try {
    const ack = await client.request(frame);
    const id = Number(ack.wish?.id);
    keepId(id);
    mine.set(id, { id, status: ack.wish?.status ?? 'pending', title: frame.title,
      category: frame.category, amount_fen: frame.amount_fen });
    render();
    $('#wish-form').reset();
    $('#wish-notice').textContent = t('wish.posted');
    $('#wish-notice').hidden = false;
    show('browse');
  } catch (err) {
    showError(err);
  } finally {
    button.disabled = false;
    button.textContent = t('wish.submit');
  }
}

export function wirePost(client, show) {
  $('#wish-new').addEventListener('click', () => {
    $('#wish-notice').hidden = true;
    show('post');
    $('#wish-title').focus();
  });
  $('#wish-form').addEventListener('submit', (e) => {
    e.preventDefault();
    post(client, show);
  });
  // A wish of mine that was approved or given to since: the room told everyone.
  onWishChanged((w) => {
    const id = Number(w.id);
    if (mine.has(id) && PUBLIC_STATUSES.includes(w.status)) {
      const { type: _type, seq: _seq, ...fields } = w;
      mine.set(id, { ...mine.get(id), ...fields });
      render();
    }
  });
  document.addEventListener('boai:lang', render);
}
