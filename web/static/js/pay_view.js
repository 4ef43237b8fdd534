// How to pay for a pledge, shown after a gift to the campaign or to a wish: the reference, the
// station's account and QR image, a button that copies the reference for the payment remark,
// and the one-tap payment when the station takes one (pay_online.js).
import { copyText } from './dom.js';
import { t } from './i18n.js';
import { formatFen } from './money.js';
import { showOnlinePay } from './pay_online.js';

const part = (root, name) => root.querySelector(`[data-pay="${name}"]`);

// Fills root's [data-pay] parts from the pledge of an ack; fen is the amount asked for, in case
// the ack leaves it out.
export function showPayInstructions(root, pledge, fen) {
  const pay = pledge.pay ?? {};
  const reference = pledge.reference ?? pay.reference ?? '';
  part(root, 'reference').textContent = reference;
  part(root, 'amount').textContent = formatFen(pledge.amount_fen ?? fen);
  part(root, 'remark').textContent = pay.remark ?? reference;
  part(root, 'account').textContent = pay.account ?? '';
  part(root, 'account-line').hidden = !pay.account;
  if (pay.qr_url) {
    part(root, 'qr').src = pay.qr_url;
  }
  part(root, 'qr-box').hidden = !pay.qr_url;
  part(root, 'copy').dataset.reference = pay.remark ?? reference;
  if (reference) showOnlinePay(root, reference);
}

// The copy button of root: copies the reference, says so for two seconds.
export function wireCopyButton(root) {
  const button = part(root, 'copy');
  button.addEventListener('click', async () => {
    if (await copyText(button.dataset.reference ?? '')) {
      button.textContent = t('donate.copied');
      setTimeout(() => (button.textContent = t('donate.copy')), 2000);
    }
  });
}
