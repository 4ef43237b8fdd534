// Giving to a wish (pledge.create with wish_id): an amount, a name or anonymous, a message; one
// idempotency key per gift, kept while the same gift is retried. A gift above what the wish still
// needs is refused with what is left: then the giver may give just that, or the whole amount with
// the rest to the wishes' fund (rest_to_fund). Then the reference and how to pay.
import { $ } from './dom.js';
import { t, errorText } from './i18n.js';
import { formatFen, parseYuanToFen } from './money.js';
import { newIdempotencyKey } from './live_client.js';
import { showPayInstructions, wireCopyButton } from './pay_view.js';
import { wishById, onWishChanged } from './wish_list_view.js';

const RETRYABLE = ['db_unavailable', 'disconnected', 'timeout', 'rate_limited'];

let client = null;
let wish = null; // the wish being given to
let presetFen = null; // a preset, or null when the typed amount is used
let attempt = null; // {key, signature} of a gift not yet acknowledged
let showView = () => {};

function amountFen() {
  const typed = $('#give-amount').value.trim();
  return typed ? parseYuanToFen(typed) : presetFen;
}

function refresh() {
  if (!wish) {
    return;
  }
  const left = wish.left_fen ?? 0;
  $('#give-title').textContent = wish.title ?? '';
  $('#give-left').textContent = t('give.left', { left: formatFen(left, { short: true }) });
  $('#give-all').dataset.fen = String(left);
  $('#give-all').textContent = t('give.all_amount', { amount: formatFen(left, { short: true }) });
  const button = $('#give-submit');
  if (button.dataset.sending === '1') {
    return;
  }
  const fen = amountFen();
  const open = wish.status === 'approved';
  button.disabled = !open || fen === null || fen <= 0;
  if (!open) {
    button.textContent = errorText({ code: 'wish_not_open' });
  } else if (fen) {
    button.textContent = t('give.submit', { amount: formatFen(fen, { short: true }) });
  } else {
    button.textContent = $('#give-amount').value.trim() ? t('donate.bad_amount')
      : t('donate.submit_none');
  }
}

function showError(error) {
  const p = $('#give-error');
  p.textContent = errorText(error);
  p.dataset.code = error?.code ?? '';
  p.hidden = false;
}

function pickPreset(button) {
  presetFen = Number(button.dataset.fen);
  $('#give-amount').value = '';
  for (const b of document.querySelectorAll('#give-presets .preset')) {
    b.setAttribute('aria-pressed', String(b === button));
  }
  hideChoice();
  refresh();
}

function hideChoice() {
  $('#give-over').hidden = true;
  $('#give-error').hidden = true;
}

// wish_overfunded: what the wish still needs, and the two ways on.
function offerChoice(fen, leftFen) {
  const left = formatFen(leftFen, { short: true });
  $('#give-over-text').textContent = t('give.over', { left });
  $('#give-left-only').textContent = t('give.left_only', { left });
  $('#give-left-only').dataset.fen = String(leftFen);
  $('#give-rest-fund').textContent = t('give.rest_to_fund',
    { amount: formatFen(fen, { short: true }), left });
  $('#give-rest-fund').dataset.fen = String(fen);
  $('#give-over').hidden = false;
  $('#give-error').hidden = true;
}

function giftFrame(fen, restToFund) {
  const anonymous = $('#give-anonymous').checked;
  const frame = { type: 'pledge.create', wish_id: wish.id, amount_fen: fen, anonymous };
  const name = $('#give-name').value.trim();
  if (!anonymous && name) {
    frame.display_name = name;
  }
  const message = $('#give-message').value.trim();
  if (message) {
    frame.message = message;
  }
  if (restToFund) {
    frame.rest_to_fund = true;
  }
  return frame;
}

async function give(fen, restToFund = false) {
  if (fen === null || fen <= 0) {
    return showError({ code: 'bad_amount', message: t('donate.bad_amount') });
  }
  const frame = giftFrame(fen, restToFund);
  // The same gift pressed again (after a dropped connection or a busy server) keeps its key.
  const signature = JSON.stringify(frame);
  if (!attempt || attempt.signature !== signature) {
    attempt = { key: newIdempotencyKey(), signature };
  }
  frame.idempotency_key = attempt.key;
  const button = $('#give-submit');
  button.disabled = true;
  button.dataset.sending = '1';
  button.textContent = t('donate.sending');
  for (const b of [$('#give-left-only'), $('#give-rest-fund')]) {
    b.disabled = true;
  }
  hideChoice();
  try {
    const ack = await client.request(frame, { resend: true });
    attempt = null;
    showResult(ack.pledge ?? {}, fen);
  } catch (err) {
    if (!RETRYABLE.includes(err.code)) {
      attempt = null;
    }
    if (err.code === 'wish_overfunded' && Number.isInteger(err.details?.left_fen)) {
      offerChoice(fen, err.details.left_fen);
    } else {
      showError(err);
    }
  } finally {
    delete button.dataset.sending;
    for (const b of [$('#give-left-only'), $('#give-rest-fund')]) {
      b.disabled = false;
    }
    refresh();
  }
}

function showResult(pledge, fen) {
  const root = $('#give-result');
  showPayInstructions(root, pledge, fen);
  const w = pledge.wish;
  $('#give-progress').textContent = w ? t('give.progress', {
    pledged: formatFen(w.pledged_fen ?? 0, { short: true }),
    amount: formatFen(w.amount_fen ?? 0, { short: true }) }) : '';
  showView('result');
}

// Opens the form for wish id (the 捐助 button of its card).
export function openGive(id) {
  wish = wishById(id);
  if (!wish) {
    return;
  }
  presetFen = null;
  attempt = null;
  $('#give-amount').value = '';
  $('#give-message').value = '';
  for (const b of document.querySelectorAll('#give-presets .preset')) {
    b.setAttribute('aria-pressed', 'false');
  }
  hideChoice();
  refresh();
  showView('give');
}

// show(view): shows one of the tab's views ('browse', 'give', 'result', 'post').
export function wireGive(liveClient, show) {
  client = liveClient;
  showView = show;
  for (const b of document.querySelectorAll('#give-presets .preset')) {
    b.addEventListener('click', () => pickPreset(b));
  }
  $('#give-amount').addEventListener('input', () => {
    presetFen = null;
    for (const b of document.querySelectorAll('#give-presets .preset')) {
      b.setAttribute('aria-pressed', 'false');
    }
    hideChoice();
    refresh();
  });
  $('#give-anonymous').addEventListener('change', () => {
    $('#give-name').disabled = $('#give-anonymous').checked;
  });
  $('#wish-give').addEventListener('submit', (e) => {
    e.preventDefault();
    give(amountFen());
  });
  $('#give-left-only').addEventListener('click', (e) => give(Number(e.currentTarget.dataset.fen)));
  $('#give-rest-fund').addEventListener('click',
    (e) => give(Number(e.currentTarget.dataset.fen), true));
  wireCopyButton($('#give-result'));
  onWishChanged((w) => {
    if (wish && Number(w.id) === wish.id) {
      wish = wishById(w.id) ?? { ...wish, status: w.status };
      refresh();
    }
  });
  document.addEventListener('boai:lang', refresh);
}
