// The host console's studio panel: go live and stop, the preview, scenes, slides, source, lower
// third, featured card, QR, push targets, and health and events as the studio reports them.
import { $, el, clock } from './dom.js';
import { t } from './i18n.js';
import { parseYuanToFen } from './money.js';
import { act, toastError } from './host_actions.js';

let previewTimer = null;

function refreshPreview() {
  const next = new Image();
  next.onload = () => {
    const img = $('#preview');
    img.src = next.src;
    img.hidden = false;
    $('#preview-none').hidden = true;
  };
  next.onerror = () => {
    $('#preview').hidden = true;
    $('#preview-none').hidden = false;
  };
  next.src = `/api/studio/preview.png?t=${Date.now()}`;
}

export function startPreview() {
  clearInterval(previewTimer);
  refreshPreview();
  previewTimer = setInterval(() => {
    if (document.visibilityState === 'visible') refreshPreview();
  }, 2000);
}

export function setStudioAvailable(available) {
  $('#no-studio').hidden = available;
  for (const b of document.querySelectorAll('#broadcast-card button, #lower-third-form button, #feature-form button, #qr-show, #qr-hide, #push-form button')) {
    b.disabled = !available;
  }
}

function kbps(bps) {
  return `${Math.round((bps ?? 0) / 1000)} kbps`;
}

function table(headers, rows) {
  return el('table', { class: 'health-table' },
    el('thead', {}, el('tr', {}, ...headers.map((h) => el('th', { text: h })))),
    el('tbody', {}, ...rows.map((r) => el('tr', {}, ...r.map((c) => el('td', { text: c ?? '' }))))));
}

let currentClient = null;

export function renderHealth(frame) {
  const h = frame.health ?? frame;
  const live = !!h.live;
  const state = $('#live-state');
  state.dataset.i18n = live ? 'host.state.live' : 'host.state.off';
  state.textContent = t(state.dataset.i18n);
  state.className = `state ${live ? 'live' : 'off'}`;
  for (const b of document.querySelectorAll('#scenes [data-scene]')) {
    b.setAttribute('aria-pressed', String(b.dataset.scene === h.scene));
  }
  const box = $('#health');
  const figures = el('dl', { class: 'figures' },
    el('div', {}, el('dt', { text: t('host.health.fps') }), el('dd', { id: 'health-fps', text: String(Math.round((h.fps ?? 0) * 10) / 10) })),
    el('div', {}, el('dt', { text: t('host.health.frames') }), el('dd', { text: String(h.frames ?? 0) })),
    el('div', {}, el('dt', { text: t('host.health.dropped') }), el('dd', { id: 'health-dropped', text: String(h.dropped_frames ?? 0) })),
    el('div', {}, el('dt', { text: t('host.health.on_air') }), el('dd', { text: h.on_air ? t(`host.scene.${h.on_air}`) : '' })));
  const parts = [figures];
  if (h.renditions?.length) {
    parts.push(el('h3', { text: t('host.health.renditions') }),
      table(['', t('host.health.bitrate'), t('host.health.queue')], h.renditions.map((r) => [r.name, kbps(r.bitrate_bps), String(r.queue_buffers ?? 0)])));
  }
  if (h.inputs?.length) {
    parts.push(el('h3', { text: t('host.health.inputs') }),
      table(['', t('host.health.source'), t('host.health.state'), t('host.health.frames'), t('host.health.last_error')],
        h.inputs.map((i) => [i.name, i.source, i.state, String(i.frames ?? 0), i.last_error])));
  }
  if (h.outputs?.length) {
    parts.push(el('h3', { text: t('host.health.outputs') }),
      table(['', t('host.health.target'), t('host.health.state'), t('host.health.retries'), t('host.health.last_error')],
        h.outputs.map((o) => [o.id, o.target, o.state, String(o.retries ?? 0), o.last_error])));
  }
  if (h.last_error) parts.push(el('p', { class: 'error', text: `${t('host.health.last_error')}: ${h.last_error}` }));
  box.replaceChildren(...parts);
  renderPushTargets((h.outputs ?? []).filter((o) => o.kind === 'rtmp'));
}

function renderPushTargets(outputs) {
  const list = $('#push-list');
  if (!outputs.length) {
    list.replaceChildren(el('li', { class: 'muted', text: t('host.push_none') }));
    return;
  }
  list.replaceChildren(...outputs.map((o) => {
    const remove = el('button', { type: 'button', class: 'danger', text: t('host.push_remove') });
    remove.addEventListener('click', () => act(currentClient, { type: 'studio.push_remove', id: o.id }, remove));
    return el('li', {},
      el('span', { class: 'push-target', text: o.target || o.id }),
      el('span', { class: `push-state ${o.state}`, text: o.state }),
      o.last_error ? el('span', { class: 'error', text: o.last_error }) : null,
      remove);
  }));
}

export function addStudioEvent(e) {
  const list = $('#events');
  list.prepend(el('li', { class: `event ${e.code ? 'bad' : ''}` },
    el('time', { text: clock(Date.now()) }),
    el('strong', { text: e.kind ?? '' }),
    el('span', { text: [e.subject, e.code, e.message].filter(Boolean).join(' · ') })));
  while (list.children.length > 30) list.lastElementChild.remove();
}

export function wireStudio(getClient) {
  const client = () => (currentClient = getClient());
  $('#go-live').addEventListener('click', (e) => act(client(), { type: 'studio.go_live' }, e.currentTarget));
  $('#stop').addEventListener('click', (e) => {
    if (!confirm(t('host.stop_confirm'))) return;
    act(client(), { type: 'studio.stop' }, e.currentTarget);
  });
  for (const b of document.querySelectorAll('#scenes [data-scene]')) {
    b.addEventListener('click', async () => {
      if (await act(client(), { type: 'studio.scene', scene: b.dataset.scene }, b)) {
        for (const o of document.querySelectorAll('#scenes [data-scene]')) o.setAttribute('aria-pressed', String(o === b));
      }
    });
  }
  const slide = async (step, button) => {
    const ack = await act(client(), { type: 'studio.slide', step }, button);
    if (ack && ack.count) $('#slide-index').textContent = t('host.slide_index', { i: ack.index + 1, n: ack.count });
  };
  $('#slide-prev').addEventListener('click', (e) => slide(-1, e.currentTarget));
  $('#slide-next').addEventListener('click', (e) => slide(1, e.currentTarget));
  $('#source-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const source = $('#source').value.trim();
    if (source) act(client(), { type: 'studio.source', source }, e.submitter);
  });
  $('#lower-third-form').addEventListener('submit', (e) => {
    e.preventDefault();
    act(client(), { type: 'studio.lower_third', name: $('#lt-name').value.trim(), role: $('#lt-role').value.trim() }, e.submitter);
  });
  $('#lt-hide').addEventListener('click', (e) => act(client(), { type: 'studio.lower_third', name: '', role: '' }, e.currentTarget));
  $('#feature-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const frame = { type: 'studio.feature', title: $('#feature-title').value.trim(), subtitle: $('#feature-subtitle').value.trim() };
    const typed = $('#feature-amount').value.trim();
    if (typed) {
      const fen = parseYuanToFen(typed);
      if (fen === null) return toastError({ code: 'bad_amount', message: t('donate.bad_amount') });
      frame.amount_fen = fen;
    }
    act(client(), frame, e.submitter);
  });
  $('#feature-hide').addEventListener('click', (e) => act(client(), { type: 'studio.feature', title: '', subtitle: '' }, e.currentTarget));
  $('#qr-show').addEventListener('click', (e) => act(client(), { type: 'studio.qr', visible: true }, e.currentTarget));
  $('#qr-hide').addEventListener('click', (e) => act(client(), { type: 'studio.qr', visible: false }, e.currentTarget));
  $('#push-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const url = $('#push-url').value.trim();
    if (!url) return;
    if (await act(client(), { type: 'studio.push_add', url }, e.submitter)) $('#push-url').value = '';
  });
  renderPushTargets([]);
}
