// Past broadcasts (GET /api/recordings, newest first, a page at a time): the first-aid class
// library, played in a <video>. "更多" asks for the page before the last one shown (before =
// next_before) until the server says there is none, so a library of thousands costs a page.
import { $, el, dateTime, show } from './dom.js';
import { apiOrNull } from './api.js';
import { t } from './i18n.js';

const PAGE = 20;

let titles = new Map(); // room slug -> the campaign's title
let next = null; // the next page's `before`; null: the last page is shown
let generation = 0; // a reload while a page is in flight wins; the older answer is dropped

function size(bytes) {
  if (!bytes) return '';
  const mb = Math.round(bytes / 104857.6) / 10; // a display figure only, not money
  return `${mb} MB`;
}

function item(r) {
  const video = $('#replay-video');
  const play = el('button', { type: 'button', class: 'play', text: t('replays.play') });
  play.addEventListener('click', () => {
    video.hidden = false;
    video.src = r.url;
    video.play().catch(() => {});
    video.scrollIntoView({ block: 'nearest' });
  });
  return el('li', { class: 'replay', dataset: { name: r.name } },
    el('div', { class: 'replay-info' },
      el('span', { class: 'replay-name', text: titles.get(r.room) || r.room || r.name }),
      el('span', { class: 'replay-meta muted', text: [dateTime(r.started ?? r.modified), size(r.bytes)].filter(Boolean).join(' · ') })),
    play);
}

function page(before) {
  const query = new URLSearchParams({ limit: String(PAGE) });
  if (before) query.set('before', before);
  return apiOrNull(`/api/recordings?${query}`);
}

// Shows a page after those already listed; a failed page leaves "更多" there to try again.
function append(answer) {
  if (!answer) return;
  $('#replay-list').append(...(answer.recordings ?? []).map(item));
  next = answer.next_before ?? null;
  show($('#replays-more'), next !== null);
}

async function more() {
  const button = $('#replays-more');
  const mine = generation;
  button.disabled = true;
  try {
    const answer = await page(next);
    if (mine === generation) append(answer);
  } finally {
    button.disabled = false;
  }
}

let wired = false;

export async function loadReplays() {
  if (!wired) {
    $('#replays-more').addEventListener('click', () => more());
    wired = true;
  }
  const mine = ++generation;
  const [first, rooms] = await Promise.all([
    page(null),
    apiOrNull('/api/rooms').then((r) => r ?? []),
  ]);
  if (mine !== generation) return;
  titles = new Map(rooms.map((r) => [r.slug, r.title]));
  $('#replay-list').replaceChildren();
  next = null;
  show($('#replays-more'), false);
  append(first);
  $('#replays-empty').hidden = $('#replay-list').children.length > 0;
}
