// The viewer's chat: messages and donations as they come, removals, a nickname, sending, and
// one's own errors in words.
import { $, el, clock } from './dom.js';
import { t, errorText } from './i18n.js';
import { formatFen } from './money.js';

const MAX_LINES = 200;
const NICK_KEY = 'boai.nickname';

export function storedNickname() {
  try {
    return localStorage.getItem(NICK_KEY) ?? '';
  } catch {
    return '';
  }
}

function keepNickname(nick) {
  try {
    localStorage.setItem(NICK_KEY, nick);
  } catch {
    // not kept
  }
}

function append(node) {
  const list = $('#chat-list');
  const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  list.append(node);
  while (list.children.length > MAX_LINES) list.firstElementChild.remove();
  $('#chat-empty').hidden = list.children.length > 0;
  if (nearBottom) list.scrollTop = list.scrollHeight;
}

// The station's own people (staff: true): a badge no viewer's nickname can imitate.
function staffBadge(m) {
  if (!m.staff) return null;
  const host = m.role === 'host' || m.role === 'admin';
  return el('span', { class: 'badge', text: t(host ? 'chat.badge_host' : 'chat.badge_staff') });
}

export function addMessage(m) {
  if (document.querySelector(`#chat-list li[data-id="${Number(m.id)}"]`)) return;
  append(el('li', { class: m.staff ? 'msg staff' : 'msg', dataset: { id: m.id } },
    staffBadge(m),
    el('span', { class: 'nick', text: m.nickname }),
    el('span', { class: 'text', text: m.text }),
    el('time', { class: 'at', text: clock(m.at) })));
}

export function addDonationLine(d) {
  append(el('li', { class: 'msg gift', dataset: { pledge: d.pledge ?? '' } },
    el('span', { class: 'nick', text: d.display_name || '爱心人士' }),
    el('span', { class: 'text' }, `${t('chat.donated')} ${formatFen(d.amount_fen ?? 0, { short: true })}`,
      d.message ? el('span', { class: 'gift-message', text: ` “${d.message}”` }) : null),
    el('time', { class: 'at', text: clock(d.at) })));
}

// donation.hidden: the gift's line keeps its amount, without the name and message.
export function hideDonationLine(pledge) {
  const li = document.querySelector(`#chat-list li.gift[data-pledge="${Number(pledge)}"]`);
  if (!li) return;
  li.querySelector('.nick').textContent = '爱心人士';
  li.querySelector('.gift-message')?.remove();
}

function systemLine(key) {
  append(el('li', { class: 'msg system', text: t(key) }));
}

export function removeMessage(id) {
  const li = document.querySelector(`#chat-list li[data-id="${Number(id)}"]`);
  if (li) {
    li.remove();
    systemLine('chat.removed_note');
  }
}

export function clearChat({ announce = false } = {}) {
  $('#chat-list').replaceChildren();
  $('#chat-empty').hidden = false;
  if (announce) systemLine('chat.cleared');
}

export function showSlowMode(seconds) {
  const p = $('#slow-mode');
  p.hidden = !(seconds > 0);
  p.textContent = seconds > 0 ? t('chat.slow_mode', { n: seconds }) : '';
}

let errorTimer = null;
export function showChatError(error) {
  const p = $('#chat-error');
  p.textContent = errorText(error);
  p.hidden = false;
  p.dataset.code = error?.code ?? '';
  clearTimeout(errorTimer);
  errorTimer = setTimeout(() => (p.hidden = true), 8000);
}

export function showNickname(nick) {
  $('#nick-current').textContent = nick;
}

// Wires the chat form and the nickname form to the live client.
export function wireChat(client) {
  const form = $('#chat-form');
  const input = $('#chat-input');
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    $('#chat-send').disabled = true;
    try {
      await client.request({ type: 'chat.send', text });
      input.value = '';
      $('#chat-error').hidden = true;
    } catch (err) {
      showChatError(err);
    } finally {
      $('#chat-send').disabled = false;
      input.focus();
    }
  });

  const nickForm = $('#nick-form');
  const nickInput = $('#nick-input');
  const openNickForm = () => {
    nickInput.value = storedNickname();
    nickForm.hidden = false;
    $('#nick-line').hidden = true;
    nickInput.focus();
  };
  $('#nick-change').addEventListener('click', openNickForm);
  nickForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const nick = nickInput.value.trim();
    nickForm.hidden = true;
    $('#nick-line').hidden = false;
    if (!nick || nick === client.nickname) return;
    keepNickname(nick);
    showNickname(nick);
    client.rejoin(nick);
  });
  if (!storedNickname()) {
    nickForm.hidden = false;
    $('#nick-line').hidden = true;
  }
}
