// The desk's 对账 tab in Chromium against a real boai serve: a WeChat Pay bill uploaded with its
// progress and its report shown, the same file again adding nothing, a broken one refused in
// words; the exception queue lists what did not match with the best candidate first; staff give a
// stray payment to its pledge and keep another as a general gift; an overdue pledge is written
// off at once below the limit, and above it only when a second finance member approves. Every
// resolution is in the public ledger with who and why. Long lists come 50 at a time (更多).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSite, launchBrowser, phone, screenshot, signIn } from './support.mjs';
import { runBoai } from '../ws/support.mjs';

const MCHID = '1900000109';
let site;
let browser;
let desk;
const refs = {};

async function pledgeAdd(key, yuan, name, contact) {
  const r = await runBoai(['pledge', 'add', '--campaign', site.room, '--amount', yuan, '--name', name,
    '--contact', contact, '--idempotency-key', `reconcile-test-${key}`, '--data-dir', site.dataDir]);
  assert.equal(r.code, 0, r.output);
  return r.output.match(/reference: (\w+)/)[1];
}

// A WeChat Pay trade bill (交易账单) as the merchant platform writes it: BOM, 27 columns, every
// value after a backtick, the fee with five decimals, then the summary that must add up.
function wechatBill(rows) {
  const tick = (v) => `\`${v}`;
  const yuan = (fen) => (fen / 100).toFixed(2);
  const now = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 19).replace('T', ' ');
  const header = '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,'
    + '交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,'
    + '充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注';
  const lines = rows.map(({ txn, ref, fen }) => [now, 'wx2421b1c4370ec43b', MCHID, '0', '', txn, ref,
    'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o', 'JSAPI', 'SUCCESS', 'CMB_CREDIT', 'CNY', yuan(fen), '0.00', '0',
    '0', '0.00', '0.00', '', '', '捐款', '', (fen * 6 / 100000).toFixed(5), '0.60%', yuan(fen),
    '0.00', ''].map(tick).join(','));
  const total = rows.reduce((s, r) => s + r.fen, 0);
  const summary = [String(rows.length), yuan(total), '0.00', '0.00', (total * 6 / 100000).toFixed(5),
    yuan(total), '0.00'].map(tick).join(',');
  return `\uFEFF${header}\r\n${lines.join('\r\n')}\r\n总交易单数,应结订单总金额,退款总金额,充值券退款总金额,`
    + `手续费总金额,订单总金额,申请退款总金额\r\n${summary}\r\n`;
}

before(async () => {
  site = await startSite({ serveArgs: ['--no-studio', '--wechatpay-mchid', MCHID,
    '--limits', 'refund_approval_above_yuan=50,overdue_days=0'] });
  await runBoai(['user', 'add', '赵会计', '--role', 'finance', '--data-dir', site.dataDir],
    { input: 'second-finance-2026\n' });
  refs.billed = await pledgeAdd('billed', '50', '钱七', '13900000007');
  refs.candidate = await pledgeAdd('candidate', '66', '张三', '13900000001');
  refs.small = await pledgeAdd('small', '20', '王五', '13900000005');
  refs.big = await pledgeAdd('big', '80', '赵六', '13900000006');
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await site?.stop();
});

const bill = () => wechatBill([{ txn: '4200000101', ref: refs.billed, fen: 5000 },
  { txn: '4200000102', ref: 'ZZZZZZZZ', fen: 6600 }, { txn: '4200000103', ref: 'ZZZZZZZY', fen: 1234 }]);

async function upload(name, text) {
  await desk.setInputFiles('#import-file', { name, mimeType: 'text/csv', buffer: Buffer.from(text) });
  await desk.click('#import-submit');
}

test('a bill is uploaded with its progress, and the same file again adds nothing', async () => {
  desk = await phone(browser, `${site.base}/finance`);
  await desk.setViewportSize({ width: 1280, height: 900 });
  await desk.waitForSelector('#signin:not([hidden])');
  await desk.fill('#signin-name', '李会计');
  await desk.fill('#signin-password', 'finance-pass-2026');
  await desk.click('#signin-submit');
  await desk.waitForSelector('#console:not([hidden])');
  await desk.click('.desk-tabs [data-tab=exceptions]');

  const text = bill();
  await upload('交易账单-2026.csv', text);
  await desk.waitForFunction(() => document.querySelector('#import-status').textContent === '导入完成');
  const bar = await desk.$eval('#import-progress', (p) => ({ hidden: p.hidden, value: p.value, max: p.max }));
  assert.deepEqual(bar, { hidden: false, value: Buffer.byteLength(text), max: Buffer.byteLength(text) });
  assert.match(await desk.textContent('#import-report'),
    /^读取 3 行：新增 3，对上 1，异常 2，跳过 0；记入到账 3 笔/);

  await upload('交易账单-2026.csv', text);
  await desk.waitForFunction(() => /新增 0，对上 0，异常 0，跳过 3/.test(
    document.querySelector('#import-report').textContent));

  await upload('broken.csv', text.replace(/`66\.00/g, '`66.01'));
  await desk.waitForFunction(() => document.querySelector('#desk-notice').dataset.code === 'summary_mismatch');
  assert.equal(await desk.isHidden('#import-progress'), true);
  await desk.click('.desk-tabs [data-tab=payments]');
  await desk.waitForFunction(() => document.querySelectorAll('#payment-table tbody tr').length === 3);
});

test('the queue shows what did not match, with the best candidate and the donors to call', async () => {
  await desk.click('.desk-tabs [data-tab=exceptions]');
  await desk.waitForSelector('#exception-table tbody tr[data-id]');
  const rows = await desk.$$eval('#exception-table tbody tr[data-id]',
    (trs) => trs.map((tr) => ({ kind: tr.dataset.kind, source: tr.dataset.source,
      cells: [...tr.cells].map((c) => c.textContent) })));
  const stray = rows.find((r) => r.cells[3].endsWith('4200000102'));
  assert.equal(stray.kind, 'payment_without_pledge');
  assert.equal(stray.cells[1], '有款无认捐');
  assert.equal(stray.cells[2], '对账单');
  assert.equal(stray.cells[4], '¥66.00');
  assert.match(stray.cells[8], new RegExp(`可能是：${refs.candidate} \\(0\\.90\\)`));
  const overdue = rows.filter((r) => r.kind === 'pledge_without_payment');
  assert.deepEqual(overdue.map((r) => r.cells[6]).sort(), [refs.candidate, refs.small, refs.big].sort());
  assert.ok(overdue.some((r) => r.cells[7] === '王五 · 13900000005'), 'the contact for a call');
  await screenshot(desk, 'finance-reconcile');
});

async function resolve(id, { action, reason, reference }) {
  const row = desk.locator(`#exception-table tr[data-id="${id}"]`);
  await row.locator('button.resolve-open').click();
  const form = desk.locator('#exception-table .resolve-form');
  await form.locator('.resolve-action').selectOption(action);
  if (reference !== undefined) await form.locator('.resolve-reference').fill(reference);
  await form.locator('.resolve-reason').fill(reason);
  await form.locator('button[type=submit]').click();
}

const idOf = (txnOrRef) => desk.$eval('#exception-table tbody', (body, key) => [...body.rows]
  .find((tr) => tr.dataset.id && tr.textContent.includes(key))?.dataset.id, txnOrRef);

test('a stray payment goes to the pledge it pays; another stays a general gift', async () => {
  const stray = await idOf('4200000102');
  const row = desk.locator(`#exception-table tr[data-id="${stray}"]`);
  await row.locator('button.resolve-open').click();
  assert.equal(await desk.inputValue('#exception-table .resolve-reference'), refs.candidate,
    'the best candidate comes filled in');
  await desk.locator('#exception-table .resolve-reason').fill('付款备注写错了编号');
  await desk.locator('#exception-table .resolve-form button[type=submit]').click();
  await desk.waitForFunction(() => document.querySelector('#desk-notice').textContent === '已处理，已记入账本');
  await desk.waitForFunction((id) => !document.querySelector(`#exception-table tr[data-id="${id}"]`), stray);

  await resolve(await idOf('4200000103'), { action: 'keep', reason: '无备注的小额捐赠' });
  await desk.waitForFunction(() => !/4200000103/.test(document.querySelector('#exception-table').textContent));

  await desk.click('.desk-tabs [data-tab=pledges]');
  await desk.waitForFunction((ref) => {
    const tr = document.querySelector(`#pledge-table tr[data-reference="${ref}"]`);
    return tr?.dataset.status === 'paid' && tr.cells[5].textContent === '¥66.00';
  }, refs.candidate);
  await desk.click('.desk-tabs [data-tab=exceptions]');
  await desk.waitForFunction((ref) => ![...document.querySelectorAll('#exception-table tbody tr[data-id]')]
    .some((tr) => tr.textContent.includes(ref)), refs.candidate);
});

test('an overdue pledge is written off; above the limit a second member must approve', async () => {
  await resolve(await idOf(refs.small), { action: 'write_off', reason: '多次联系未果' });
  await desk.waitForFunction((ref) => !document.querySelector('#exception-table').textContent.includes(ref),
    refs.small);

  const big = await idOf(refs.big);
  await resolve(big, { action: 'write_off', reason: '捐赠人已搬走' });
  await desk.waitForFunction(() => /等待另一位财务批准/.test(document.querySelector('#desk-notice').textContent));
  await desk.waitForFunction((id) => document.querySelector(`#exception-table tr[data-id="${id}"]`)
    ?.dataset.status === 'proposed', big);
  assert.match(await desk.textContent(`#exception-table tr[data-id="${big}"]`), /等待审批（李会计 提出）/);

  await desk.click('.desk-tabs [data-tab=approvals]');
  const item = desk.locator('#approval-list li[data-status="proposed"]');
  await item.waitFor();
  assert.match(await item.textContent(), /核销/);
  assert.equal(await item.locator('button.approve').textContent(), '批准核销');
  assert.equal(await item.locator('button.approve').isDisabled(), true, 'not for the proposer');
  const id = await item.getAttribute('data-id');
  const second = await signIn(site.port, '赵会计', 'second-finance-2026');
  const approved = await fetch(`${site.base}/api/finance/requests/${id}/approve`,
    { method: 'POST', headers: { Cookie: second, 'Content-Type': 'application/json' },
      body: JSON.stringify({ note: '核对无误' }) });
  assert.equal(approved.status, 200);
  assert.equal((await approved.json()).request.exception_id, Number(big));

  await desk.click('.desk-tabs [data-tab=exceptions]');
  await desk.waitForSelector('#exception-none:not([hidden])');
  await desk.click('.desk-tabs [data-tab=pledges]');
  await desk.click('#pledge-filter button[type=submit]');  // approved elsewhere: read again
  await desk.waitForFunction((ref) => document.querySelector(`#pledge-table tr[data-reference="${ref}"]`)
    ?.dataset.status === 'cancelled', refs.big);
});

test('the API refuses what does not fit, and the ledger shows each resolution', async () => {
  const call = (path, body) => desk.evaluate(async ([p, b]) => {
    const r = await fetch(p, b === undefined ? {} : { method: 'POST',
      headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(b) });
    return { status: r.status, body: await r.json() };
  }, [path, body]);
  assert.equal((await call('/api/finance/exceptions?kind=lost')).body.error, 'kind_invalid');
  assert.equal((await call('/api/finance/exceptions/999999/resolve', { action: 'keep', reason: 'x' })).status, 404);
  assert.equal((await call('/api/finance/exceptions/1/resolve', { action: 7 })).body.error, 'bad_json');
  assert.equal((await fetch(`${site.base}/api/finance/exceptions`)).status, 401);
  const upload = await fetch(`${site.base}/api/finance/statements?provider=wechat`,
    { method: 'POST', body: 'x' });
  assert.equal(upload.status, 401);

  const { entries } = await (await fetch(`${site.base}/api/ledger/entries?limit=500`)).json();
  const resolutions = entries.filter((e) => e.kind === 'resolution').map((e) => e.memo);
  assert.equal(resolutions.length, 4);
  assert.ok(resolutions.some((m) => / assign: 付款备注写错了编号 \(李会计\)$/.test(m)), resolutions.join('\n'));
  assert.ok(resolutions.some((m) => / write_off: 捐赠人已搬走 \(李会计 \/ 赵会计\)$/.test(m)));
});

test('long lists come a page at a time: 更多 brings the rest', async () => {
  const strays = Array.from({ length: 55 }, (_, i) => ({ txn: `42000002${String(i).padStart(2, '0')}`,
    ref: 'ZZZZZZZX', fen: 100 + i }));
  await desk.click('.desk-tabs [data-tab=exceptions]');
  await upload('many.csv', wechatBill(strays));
  await desk.waitForFunction(() => /^读取 55 行：新增 55/.test(document.querySelector('#import-report').textContent));
  await desk.waitForFunction(() => document.querySelectorAll('#exception-table tbody tr[data-id]').length === 50);
  assert.equal(await desk.isVisible('#exception-more'), true);
  await desk.click('#exception-more');
  await desk.waitForFunction(() => document.querySelectorAll('#exception-table tbody tr[data-id]').length === 55);
  assert.equal(await desk.isHidden('#exception-more'), true);
  const txns = await desk.$$eval('#exception-table tbody tr[data-id]', (trs) => trs.map((tr) => tr.cells[3].textContent));
  assert.equal(new Set(txns).size, 55, 'no row twice, none missing');

  await desk.click('.desk-tabs [data-tab=payments]');
  await desk.click('#payment-filter button[type=submit]');
  await desk.waitForFunction(() => document.querySelectorAll('#payment-table tbody tr').length === 50);
  await desk.click('#payment-more');
  await desk.waitForFunction(() => document.querySelectorAll('#payment-table tbody tr').length === 58);
  assert.equal(await desk.isHidden('#payment-more'), true);
});

test('English on request', async () => {
  await desk.click('.desk-tabs [data-tab=exceptions]');
  await desk.click('#lang-switch');
  await desk.waitForFunction(() => document.querySelector('[data-tab=exceptions]').textContent === 'Reconcile');
  assert.equal(await desk.textContent('#import-submit'), 'Upload and reconcile');
  assert.equal(await desk.textContent('#exception-none'), 'Nothing waits to be resolved');
  await desk.waitForFunction(() => document.querySelector('#exception-table tbody tr[data-id] td:nth-child(2)')
    ?.textContent === 'Payment without pledge');
  assert.deepEqual([...desk.pageErrors], []);
});
