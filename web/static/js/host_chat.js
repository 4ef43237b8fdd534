// The host console's room: chat with delete, mute and ban per message, slow mode, clear, blocked
// words, and the pledge feed (hiding a donation's name) with the totals.
import { $, el, clock } from './dom.js';
import { t } from './i18n.js';
import { formatFen } from './money.js';
import { act } from './host_actions.js';

let client = null;

export function setChatClient(c) {
  client = c;
}

function messageItem(m) {
  const buttons = [
    ['host.delete', () => act(client, { type: 'mod.delete', id: m.id })],
    ['host.mute', () => act(client, { type: 'mod.mute', id: m.id, minutes: 10 })],
    ['host.ban', () => confirm(t('host.ban_confirm', { name: m.nickname })) && act(client, { type: 'mod.ban', id: m.id })],
  ].map(([key, fn]) => {
    const b = el('button', { type: 'button', class: `mod ${key.split('.')[1]}`, text: t(key) });
    b.addEventListener('click', fn);
    return b;
  });
  return el('li', { class: 'host-msg', dataset: { id: m.id } },
    el('div', { class: 'line' },
      el('time', { class: 'at', text: clock(m.at) }),
      el('span', { class: 'nick', text: m.nickname }),
      el('span', { class: 'text', text: m.text })),
    el('div', { class: 'mod-buttons' }, ...buttons));
}

export function addChat(m) {
  const list = $('#host-chat');
  if (list.querySelector(`li[data-id="${Number(m.id)}"]`)) return;
  list.append(messageItem(m));
  while (list.children.length > 300) list.firstElementChild.remove();
  list.scrollTop = list.scrollHeight;
}

export function removeChat(id) {
  list().querySelector(`li[data-id="${Number(id)}"]`)?.remove();
}

function list() {
  return $('#host-chat');
}

export function clearChat() {
  list().replaceChildren();
}

// A donation in the feed, with 隐藏 to take its name and message off the room and the video.
export function addPledge(d) {
  const feed = $('#pledge-feed');
  const hide = el('button', { type: 'button', class: 'mod hide', text: t('host.hide_donation') });
  hide.addEventListener('click', () => act(client, { type: 'mod.hide_donation', pledge: d.pledge }));
  feed.prepend(el('li', { dataset: { pledge: d.pledge ?? '' } },
    el('time', { text: clock(d.at) }),
    el('strong', { text: d.display_name || '爱心人士' }),
    el('span', { class: 'amount', text: formatFen(d.amount_fen ?? 0) }),
    d.fund ? el('span', { class: 'muted', text: d.fund }) : null,
    d.message ? el('span', { class: 'message', text: d.message }) : null,
    d.pledge ? hide : null));
  while (feed.children.length > 100) feed.lastElementChild.remove();
}

// donation.hidden: the feed shows what the room now shows.
export function hidePledge(pledge) {
  const item = $('#pledge-feed').querySelector(`li[data-pledge="${Number(pledge)}"]`);
  if (!item) return;
  item.querySelector('strong').textContent = '爱心人士';
  item.querySelector('.message')?.remove();
  item.querySelector('button.hide')?.remove();
}

export function showTotals(totals) {
  if (!totals) return;
  $('#host-totals').textContent =
    `${t('goal.pledged')} ${formatFen(totals.pledged_fen ?? 0)} · ${t('goal.received')} ${formatFen(totals.received_fen ?? 0)} · ` +
    `${t('goal.target')} ${formatFen(totals.goal_fen ?? 0, { short: true })} · ${t('goal.count', { n: totals.pledge_count ?? 0 })}`;
}

export function showSlow(seconds) {
  const select = $('#slow-seconds');
  const value = String(seconds ?? 0);
  if (![...select.options].some((o) => o.value === value)) select.append(el('option', { value, text: `${value} s` }));
  select.value = value;
}

export function wireModeration() {
  $('#slow-apply').addEventListener('click', (e) =>
    act(client, { type: 'mod.slow', seconds: Number($('#slow-seconds').value) }, e.currentTarget));
  $('#clear-room').addEventListener('click', (e) => {
    if (confirm(t('host.clear_confirm'))) act(client, { type: 'mod.clear' }, e.currentTarget);
  });
  $('#blocked-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const words = $('#blocked-words').value.split(/[,，\s]+/).map((w) => w.trim()).filter(Boolean);
    act(client, { type: 'mod.blocked_words', words }, e.submitter);
  });
}
