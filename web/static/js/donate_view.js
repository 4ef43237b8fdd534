// The donation form: preset or typed amount, fund, name or anonymous, message; one idempotency key
// per pledge, kept while the same pledge is retried; then the reference and how to pay.
import { $, el } from './dom.js';
import { t, errorText } from './i18n.js';
import { formatFen, parseYuanToFen } from './money.js';
import { newIdempotencyKey } from './live_client.js';
import { showPayInstructions, wireCopyButton } from './pay_view.js';

let selectedFen = null; // a preset, or null when the custom field is used
let attempt = null; // {key, signature} of a pledge not yet acknowledged
let campaignOpen = true;
let campaignStatus = 'live';

function amountFen() {
  const typed = $('#custom-amount').value.trim();
  if (typed) return parseYuanToFen(typed);
  return selectedFen;
}

function refreshButton() {
  const button = $('#donate-submit');

  if (button.dataset.sending === '1') return;
  const fen = amountFen();
  const typed = $('#custom-amount').value.trim();
  button.disabled = !campaignOpen || fen === null || fen <= 0;
  if (!campaignOpen) button.textContent = campaignStatus === 'draft' ? errorText({ code: 'campaign_not_open' }) : t('donate.closed');
  else if (fen) button.textContent = t('donate.submit', { amount: formatFen(fen, { short: true }) });
  else button.textContent = typed ? t('donate.bad_amount') : t('donate.submit_none');
}

// A new amount makes an old complaint about the amount moot.
function clearAmountError() {
  const p = $('#donate-error');
  if (['amount_out_of_range', 'bad_amount', 'bad_request'].includes(p.dataset.code)) p.hidden = true;
}

function showError(error) {
  const p = $('#donate-error');
  p.textContent = errorText(error);
  p.dataset.code = error?.code ?? '';
  p.hidden = false;
}

export function setFunds(funds) {
  const select = $('#fund');
  const current = select.value;
  select.replaceChildren(...(funds ?? []).map((f) => el('option', { value: f.slug, text: f.name || f.slug })));
  if (current && [...select.options].some((o) => o.value === current)) select.value = current;
  $('#fund-row').hidden = !(funds && funds.length > 1);
}

export function setCampaignOpen(open, status = open ? 'live' : 'closed') {
  campaignOpen = open;
  campaignStatus = status;
  refreshButton();
}

// A pledge made before, to pay now (back from WeChat's web authorization with ?pay=REF).
export function showPledgeToPay(pledge) {
  showResult(pledge, pledge.amount_fen);
}

function showResult(pledge, amount) {
  showPayInstructions($('#donate-result'), pledge, amount);
  $('#donate-form').hidden = true;
  $('#donate-result').hidden = false;
}

export function wireDonate(client) {
  for (const b of document.querySelectorAll('#presets .preset')) {
    b.addEventListener('click', () => {
      selectedFen = Number(b.dataset.fen);
      clearAmountError();
      $('#custom-amount').value = '';
      for (const o of document.querySelectorAll('#presets .preset')) o.setAttribute('aria-pressed', String(o === b));
      refreshButton();
    });
  }
  $('#custom-amount').addEventListener('input', () => {
    clearAmountError();
    if ($('#custom-amount').value.trim()) {
      selectedFen = null;
      for (const o of document.querySelectorAll('#presets .preset')) o.setAttribute('aria-pressed', 'false');
    }
    refreshButton();
  });
  $('#anonymous').addEventListener('change', () => {
    $('#donor-name').disabled = $('#anonymous').checked;
  });
  document.addEventListener('boai:lang', refreshButton);

  $('#donate-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const fen = amountFen();
    if (fen === null || fen <= 0) return showError({ code: 'bad_amount', message: t('donate.bad_amount') });
    const anonymous = $('#anonymous').checked;
    const frame = { type: 'pledge.create', amount_fen: fen, anonymous };
    const name = $('#donor-name').value.trim();
    if (!anonymous && name) frame.display_name = name;
    const message = $('#donate-message').value.trim();
    if (message) frame.message = message;
    if (!$('#fund-row').hidden && $('#fund').value) frame.fund = $('#fund').value;
    // The same pledge pressed again (after a dropped connection or a busy server) keeps its key.
    const signature = JSON.stringify(frame);
    if (!attempt || attempt.signature !== signature) attempt = { key: newIdempotencyKey(), signature };
    frame.idempotency_key = attempt.key;

    const button = $('#donate-submit');
    button.disabled = true;
    button.dataset.sending = '1';
    button.textContent = t('donate.sending');
    $('#donate-error').hidden = true;
    try {
      const ack = await client.request(frame, { resend: true });
      attempt = null;
      showResult(ack.pledge ?? {}, fen);
    } catch (err) {
      if (!['db_unavailable', 'disconnected', 'timeout', 'rate_limited'].includes(err.code)) attempt = null;
      showError(err);
    } finally {
      delete button.dataset.sending;
      refreshButton();
    }
  });

  wireCopyButton($('#donate-result'));
  $('#donate-again').addEventListener('click', () => {
    $('#donate-result').hidden = true;
    $('#donate-form').hidden = false;
    $('#donate-message').value = '';
    refreshButton();
  });
  refreshButton();
}
