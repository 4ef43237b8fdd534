// How the host console runs an action: the button waits, then a short "done" or the reason it
// failed, in words with the server's own sentence.
import { $ } from './dom.js';
import { t, errorDetail } from './i18n.js';

let toastTimer = null;

export function toast(text, kind = 'ok') {
  const p = $('#toast');
  p.textContent = text;
  p.className = `toast ${kind}`;
  p.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (p.hidden = true), kind === 'error' ? 10000 : 2500);
}

export function toastError(err) {
  const p = $('#toast');
  toast(t('error.prefix') + errorDetail(err), 'error');
  p.dataset.code = err?.code ?? '';
}

// Sends one request through the client; returns the ack, or null after saying why it failed.
export async function act(client, frame, button) {
  if (button) button.disabled = true;
  try {
    const ack = await client.request(frame);
    toast(t('host.done'));
    return ack;
  } catch (err) {
    toastError(err);
    return null;
  } finally {
    if (button) button.disabled = false;
  }
}
