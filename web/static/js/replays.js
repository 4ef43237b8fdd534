// Past broadcasts (GET /api/recordings): the first-aid class library, played in a <video>.
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
  const recordings = (await apiOrNull('/api/recordings')) ?? [];
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
        el('span', { class: 'replay-name', text: r.title || r.name }),
        el('span', { class: 'replay-meta muted', text: [dateTime(r.modified), size(r.bytes)].filter(Boolean).join(' · ') })),
      play));
  }
}
