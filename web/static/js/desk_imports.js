// Statement upload on the 对账 tab: the day's bill from WeChat Pay, Alipay or the bank, sent as
// it is (POST /api/finance/statements), with the bytes' progress, then what the import found.
// The same import as `boai reconcile import`: idempotent, so sending a file twice adds nothing.
import { $ } from './dom.js';
import { t } from './i18n.js';
import { uploadWithProgress } from './api.js';

let onChange = () => {};
let say = () => {};

function showProgress(sent, total) {
  const bar = $('#import-progress');
  bar.hidden = false;
  bar.max = total || 1;
  bar.value = sent;
  $('#import-status').textContent = sent < total
    ? t('desk.import.sending', { percent: Math.floor((100 * sent) / (total || 1)) })
    : t('desk.import.matching');
}

async function upload(button) {
  const file = $('#import-file').files[0];
  if (!file) return say(t('desk.import.choose'), 'error');
  const query = new URLSearchParams({ provider: $('#import-provider').value, name: file.name });
  if (query.get('provider') === 'bank') query.set('bank_profile', $('#import-profile').value.trim());
  button.disabled = true;
  $('#import-report').textContent = '';
  showProgress(0, file.size);
  try {
    const { report } = await uploadWithProgress(`/api/finance/statements?${query}`, file,
      showProgress);
    $('#import-status').textContent = t('desk.import.done');
    $('#import-report').textContent = t('desk.import.report', report);
    onChange();
  } catch (err) {
    $('#import-status').textContent = '';
    $('#import-progress').hidden = true;
    say(err, 'error');
  } finally {
    button.disabled = false;
  }
}

// changed(): the lists to read again once the import is in; tell(text, kind): a notice.
export function wireImports({ changed, tell }) {
  onChange = changed;
  say = tell;
  const provider = $('#import-provider');
  const showProfile = () => { $('#import-profile').hidden = provider.value !== 'bank'; };
  provider.addEventListener('change', showProfile);
  showProfile();
  $('#import-form').addEventListener('submit', (e) => {
    e.preventDefault();
    upload(e.submitter ?? $('#import-submit'));
  });
}
