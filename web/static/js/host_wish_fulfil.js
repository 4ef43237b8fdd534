// The console's "mark fulfilled" form under an approved or funded wish: a note the public reads, a
// proof photo (uploaded first, POST /api/photos) and, optionally, what was spent and to whom, which
// the ledger records as spending from the wish's fund (wish.fulfil).
import { el } from './dom.js';
import { t } from './i18n.js';
import { parseYuanToFen } from './money.js';
import { uploadPhoto } from './api.js';
import { act, toast, toastError } from './host_actions.js';

const MAX_PHOTO_BYTES = 5 * 1024 * 1024;

// The photo's saved name, '' without one, or null after saying why it was not taken.
export async function uploadChosen(input, options) {
  const file = input.files?.[0];
  if (!file) {
    return '';
  }
  if (file.size > MAX_PHOTO_BYTES) {
    toast(t('host.photo_too_large'), 'error');
    return null;
  }
  try {
    return (await uploadPhoto(file, options)).file;
  } catch (err) {
    toastError(err);
    return null;
  }
}

async function fulfil(client, w, form, button) {
  const value = (cls) => form.querySelector(cls).value.trim();
  const frame = { type: 'wish.fulfil', id: w.id, note: value('.fulfil-note') };
  if (value('.fulfil-spent')) {
    const fen = parseYuanToFen(value('.fulfil-spent'));
    if (fen === null) {
      return toastError({ code: 'bad_amount', message: t('donate.bad_amount') });
    }
    Object.assign(frame, { spent_fen: fen, payee: value('.fulfil-payee'),
      evidence: value('.fulfil-evidence') });
  }
  button.disabled = true;
  const proof = await uploadChosen(form.querySelector('.fulfil-proof'), { wish: w.id });
  button.disabled = false;
  if (proof === null) {
    return;
  }
  if (proof) {
    frame.proof = proof;
  }
  await act(client, frame, button);
}

export function fulfilForm(client, w) {
  const button = el('button', { type: 'submit', class: 'primary fulfil',
    text: t('host.wish_fulfil') });
  const form = el('form', { class: 'fulfil-form' },
    el('textarea', { class: 'fulfil-note', maxlength: 500, rows: 2, required: true,
      placeholder: t('host.wish_fulfil_note'), 'aria-label': 'note' }),
    el('label', { class: 'file-label', text: t('host.wish_fulfil_proof') },
      el('input', { type: 'file', class: 'fulfil-proof', accept: 'image/png,image/jpeg' })),
    el('div', { class: 'row' },
      el('input', { class: 'fulfil-spent', inputmode: 'decimal',
        placeholder: t('host.wish_fulfil_spent'), 'aria-label': 'spent' }),
      el('input', { class: 'fulfil-payee', maxlength: 200,
        placeholder: t('host.wish_fulfil_payee'), 'aria-label': 'payee' })),
    el('input', { class: 'fulfil-evidence', maxlength: 200,
      placeholder: t('host.wish_fulfil_evidence'), 'aria-label': 'evidence' }),
    button);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    fulfil(client, w, form, button);
  });
  return el('details', { class: 'fulfil' },
    el('summary', { text: t('host.wish_fulfil_open') }), form);
}
