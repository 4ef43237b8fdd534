// Past broadcasts (GET /api/recordings, its first page: the newest 50): the first-aid class
// library, played in a <video>.
import { $, el, dateTime } from './dom.js';
import { apiOrNull } from './api.js';
import { t } from './i18n.js';

function size(bytes) {
  if (!bytes) return '';
  const mb = Math.round(bytes / 104857.6) / 10; // a display figure only, not money
  return `${mb} MB`;
}

export async function loadReplays() {
  const list = $('#replay-list');
  const [recordings, rooms] = await Promise.all([
    apiOrNull('/api/recordings').then((r) => r?.recordings ?? []),
    apiOrNull('/api/rooms').then((r) => r ?? []),
  ]);
  const titles = new Map(rooms.map((r) => [r.slug, r.title]));
  list.replaceChildren();
  $('#replays-empty').hidden = recordings.length > 0;
  const video = $('#replay-video');
  for (const r of recordings) {
    const play = el('button', { type: 'button', class: 'play', text: t('replays.play') });
    play.addEventListener('click', () => {
      video.hidden = false;
      video.src = r.url;
      video.play().catch(() => {});
      video.scrollIntoView({ block: 'nearest' });
    });
    list.append(el('li', { class: 'replay' },
      el('div', { class: 'replay-info' },
        el('span', { class: 'replay-name', text: titles.get(r.room) || r.room || r.name }),
        el('span', { class: 'replay-meta muted', text: [dateTime(r.started ?? r.modified), size(r.bytes)].filter(Boolean).join(' · ') })),
      play));
  }
}
