// The host console's replay library: chapter marks during the class (studio.chapter), and every
// replay, hidden ones too (GET /api/recordings?all=1), renamed, hidden or pinned against the disk
// budget (POST /api/recordings/NAME), with the space the library uses.
import { $, el } from './dom.js';
import { t } from './i18n.js';
import { api } from './api.js';
import { act, toast, toastError } from './host_actions.js';
import { clock } from './replays.js';

function gigabytes(bytes) {
  return `${(Math.round((bytes ?? 0) / 1e8) / 10).toFixed(1)} GB`; // a display figure only
}

function usage(library) {
  if (!library) return '';
  const budget = library.max_bytes ? ` / ${gigabytes(library.max_bytes)}` : '';
  return t('host.replays.usage', {
    used: gigabytes(library.used_bytes) + budget,
    free: gigabytes(library.free_bytes),
  });
}

async function change(name, body, button) {
  button.disabled = true;
  try {
    await api(`/api/recordings/${encodeURIComponent(name)}`, { method: 'POST', body });
    toast(t('host.done'));
    await loadLibrary();
  } catch (err) {
    toastError(err);
  } finally {
    button.disabled = false;
  }
}

function row(r) {
  const title = el('input', { value: r.title || '', maxlength: '80', 'aria-label': 'title' });
  const save = el('button', { type: 'button', text: t('host.replays.rename') });
  save.addEventListener('click', () => change(r.name, { title: title.value }, save));
  const hide = el('button', { type: 'button', class: 'hide', text: t(r.hidden ? 'host.replays.unhide' : 'host.replays.hide') });
  hide.addEventListener('click', () => change(r.name, { hidden: !r.hidden }, hide));
  const pin = el('button', { type: 'button', class: 'pin', 'aria-pressed': String(!!r.pinned), text: t(r.pinned ? 'host.replays.unpin' : 'host.replays.pin') });
  pin.addEventListener('click', () => change(r.name, { pinned: !r.pinned }, pin));
  const facts = [r.started?.slice(0, 16).replace('T', ' '), r.seconds ? clock(r.seconds) : '', r.live ? t('replays.live') : '',
    r.hidden ? t('host.replays.hidden') : '', r.chapters?.length ? t('host.replays.chapters', { n: r.chapters.length }) : ''];
  return el('li', { class: 'replay-row', dataset: { name: r.name } },
    el('div', { class: 'row' }, title, save),
    el('div', { class: 'row' }, el('span', { class: 'muted', text: facts.filter(Boolean).join(' · ') }), hide, pin));
}

export async function loadLibrary() {
  try {
    const answer = await api('/api/recordings?all=1&limit=50');
    $('#replay-usage').textContent = usage(answer.library);
    const list = answer.recordings.filter((r) => r.kind === 'hls');
    $('#host-replays').replaceChildren(...list.map(row));
    $('#host-replays-empty').hidden = list.length > 0;
  } catch (err) {
    toastError(err);
  }
}

export function wireHostReplays(clientOf) {
  $('#chapter-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const input = $('#chapter-title');
    const ack = await act(clientOf(), { type: 'studio.chapter', title: input.value }, e.submitter);
    if (ack) {
      input.value = '';
      toast(t('host.replays.marked', { at: clock(ack.at_seconds) }));
    }
  });
  $('#replays-refresh').addEventListener('click', () => loadLibrary());
}
