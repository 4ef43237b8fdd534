// A donor's own gift (gift.html): the reference from the address, GET /api/gift/REF, its entries,
// and for a paid gift the acknowledgement to print. Nothing here shows more than the public books.
import { $, el, show } from './dom.js';
import { applyWords, wireLangSwitch, t, errorText } from './i18n.js';
import { api } from './api.js';
import { formatFen } from './money.js';
import { loadStation } from './station.js';
import { table, entryRows, ENTRY_COLUMNS, day } from './ledger_tables.js';

const PAID = ['paid', 'reconciled', 'part_paid'];

function facts(gift) {
  const rows = [
    ['gift.reference', gift.reference, 'reference'],
    ['gift.amount', formatFen(gift.amount_fen), 'amount'],
    ['gift.paid', formatFen(gift.paid_fen), 'paid'],
    ['gift.status', t(`gift.status.${gift.status}`), 'status'],
    ['gift.fund', gift.fund.name, 'fund'],
    ['gift.campaign', gift.campaign.title, 'campaign'],
    ['gift.name', gift.public_name, 'name'],
  ];
  if (gift.refunded_fen > 0) rows.push(['gift.refunded', formatFen(gift.refunded_fen), 'refunded']);
  if (gift.receipt) rows.push(['gift.receipt', gift.receipt.number, 'receipt']);
  return rows.flatMap(([word, value, name]) => [el('dt', { text: t(word) }),
    el('dd', { dataset: { fact: name }, text: value })]);
}

function acknowledgement(gift, station) {
  const payment = gift.entries.find((e) => e.kind === 'payment' || e.kind === 'sale_payment');
  if (!PAID.includes(gift.status) || !payment || gift.kind === 'sale_order') return;
  $('#ack-station').textContent = station.name ?? '';
  $('#ack-text').textContent = t('gift.ack_text', { name: gift.public_name,
    amount: formatFen(gift.paid_fen), fund: gift.fund.name, date: day(payment.recorded_us),
    seq: payment.seq });
  $('#ack-receipt').textContent = gift.receipt
    ? `${t('gift.receipt')} ${gift.receipt.number} · ${payment.entry_hash}` : payment.entry_hash;
  $('#ack-print').addEventListener('click', () => window.print());
  show($('#ack'));
}

async function main() {
  applyWords(document);
  wireLangSwitch($('#lang-switch'));
  $('#lang-switch').addEventListener('click', () => window.location.reload());
  const station = await loadStation();
  const reference = decodeURIComponent(window.location.pathname.split('/')[2] ?? '');
  try {
    const gift = await api(`/api/gift/${encodeURIComponent(reference)}`);
    $('#gift-facts').replaceChildren(...facts(gift));
    if (gift.wish) {
      $('#gift-wish').textContent = t('gift.wish_became', { title: gift.wish.title,
        status: t(`wish.status.${gift.wish.status}`) });
    } else if (gift.sale) {
      $('#gift-wish').textContent = t('gift.sale', gift.sale);
    }
    table($('#gift-entries'), ENTRY_COLUMNS, entryRows(gift.entries));
    show($('#gift'));
    acknowledgement(gift, station);
  } catch (error) {
    const box = $('#gift-error');
    box.dataset.code = error.code;
    box.textContent = error.code === 'rate_limited' ? t('gift.rate_limited') : errorText(error);
    show(box);
  }
}

main();
