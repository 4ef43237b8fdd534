// Past broadcasts (GET /api/recordings, newest first, a page at a time): the first-aid class
// library. Each replay plays in the page's player (replay_player.js) with its chapters as links
// that seek it, and offers its MP4 for offline viewing once made. "更多" asks for the page before
// the last one shown (before = next_before) until the server says there is none, so a library of
// thousands costs a page.
import { $, el, dateTime, show } from './dom.js';
import { apiOrNull } from './api.js';
import { t } from './i18n.js';
import { playReplay } from './replay_player.js';

const PAGE = 20;

let titles = new Map(); // room slug -> the campaign's title
let next = null; // the next page's `before`; null: the last page is shown
let generation = 0; // a reload while a page is in flight wins; the older answer is dropped

function size(bytes) {
  if (!bytes) return '';
  const mb = Math.round(bytes / 104857.6) / 10; // a display figure only, not money
  return `${mb} MB`;
}

// 1:02:03 or 12:34
export function clock(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const hms = [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60];
  const parts = hms[0] ? hms : hms.slice(1);
  return parts.map((n, i) => (i === 0 ? String(n) : String(n).padStart(2, '0'))).join(':');
}

function chapters(r) {
  if (!r.chapters?.length) return null;
  return el('ol', { class: 'replay-chapters' }, ...r.chapters.map((c) => {
    const link = el('button', { type: 'button', class: 'link-button chapter', text: `${clock(c.at_seconds)} ${c.title}` });
    link.addEventListener('click', () => playReplay($('#replay-video'), r.url, c.at_seconds));
    return el('li', {}, link);
  }));
}

function item(r) {
  const play = el('button', { type: 'button', class: 'play', text: t('replays.play') });
  play.addEventListener('click', () => playReplay($('#replay-video'), r.url));
  const title = r.title || titles.get(r.room) || r.room || r.name;
  const meta = [dateTime(r.started), r.seconds ? clock(r.seconds) : '', size(r.bytes)];
  const actions = el('div', { class: 'replay-actions' }, play);
  if (r.download) {
    actions.append(el('a', { class: 'download', href: r.download, download: '', text: t('replays.download') }));
  }
  return el('li', { class: 'replay', dataset: { name: r.name } },
    el('div', { class: 'replay-info' },
      el('span', { class: 'replay-name', text: title }),
      r.live ? el('span', { class: 'badge live', text: t('replays.live') }) : null,
      el('span', { class: 'replay-meta muted', text: meta.filter(Boolean).join(' · ') }),
      chapters(r)),
    actions);
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
