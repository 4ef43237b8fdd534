// The finance desk in Chromium against a real boai serve: only finance and admin staff get in (the
// server refuses the rest too); pledges and payments are listed newest first, searched by
// reference, name, contact, status, provider and "matches no pledge", a page at a time; donors'
// markup stays text; a refund above the limit waits for a second finance member.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSite, launchBrowser, phone, screenshot, signIn, HOST_NAME, HOST_PASSWORD } from './support.mjs';
import { runBoai } from '../ws/support.mjs';

const XSS_IMG = '<img src=x onerror=__xss=1>';
let site;
let browser;
let desk;
const refs = {};

async function must(args) {
  const r = await runBoai([...args, '--data-dir', site.dataDir]);
  assert.equal(r.code, 0, r.output);
  return r.output;
}

async function pledgeAdd(key, yuan, extra) {
  const out = await must(['pledge', 'add', '--campaign', site.room, '--amount', yuan,
    '--idempotency-key', `desk-test-${key}`, ...extra]);
  return out.match(/reference: (\w+)/)[1];
}

before(async () => {
  site = await startSite({ serveArgs: ['--no-studio', '--limits', 'refund_approval_above_yuan=50'] });
  await runBoai(['user', 'add', '赵会计', '--role', 'finance', '--data-dir', site.dataDir],
    { input: 'second-finance-2026\n' });
  refs.paid = await pledgeAdd('paid', '100', ['--name', '张三', '--contact', '13900000001']);
  refs.anonymous = await pledgeAdd('anon', '50', ['--name', '李四', '--anonymous',
    '--contact', 'wx-lisi']);
  refs.markup = await pledgeAdd('markup', '8.80', ['--name', XSS_IMG]);
  await must(['payment', 'add', '--provider', 'wechat', '--txn', 'wx-desk-001', '--amount', '100',
    '--fee', '0.60', '--reference', refs.paid]);
  await must(['payment', 'add', '--provider', 'bank', '--txn', 'bank-desk-9', '--amount', '20',
    '--remark', '捐款 无编号']);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await site?.stop();
});

async function signInAs(page, name, password) {
  await page.waitForSelector('#signin:not([hidden])');
  await page.fill('#signin-name', name);
  await page.fill('#signin-password', password);
  await page.click('#signin-submit');
}

const rows = (page, table) => page.$$eval(`#${table} tbody tr`,
  (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));

test('the desk is for finance and admin: a host is turned away, and so is an API call', async () => {
  const base = `http://127.0.0.1:${site.port}`;
  assert.equal((await fetch(`${base}/api/finance/pledges`)).status, 401);
  const hostCookie = await signIn(site.port, HOST_NAME, HOST_PASSWORD);
  const refused = await fetch(`${base}/api/finance/payments`, { headers: { Cookie: hostCookie } });
  assert.equal(refused.status, 403);
  assert.equal((await refused.json()).error, 'not_allowed');

  const page = await phone(browser, `${site.base}/finance`);
  await signInAs(page, HOST_NAME, HOST_PASSWORD);
  await page.waitForSelector('#signin-error:not([hidden])');
  assert.equal(await page.textContent('#signin-error'), '财务台只对财务和管理员开放');
  assert.equal(await page.isHidden('#console'), true);
  await page.context().close();
});

test('finance signs in and sees pledges newest first, with names, contacts and what arrived', async () => {
  desk = await phone(browser, `${site.base}/finance`);
  await desk.setViewportSize({ width: 1280, height: 900 });
  await signInAs(desk, '李会计', 'finance-pass-2026');
  await desk.waitForSelector('#pledge-table tbody tr');
  const listed = await rows(desk, 'pledge-table');
  assert.deepEqual(listed.map((r) => r[1]), [refs.markup, refs.anonymous, refs.paid]);
  const paid = listed[2];
  assert.equal(paid[4], '¥100.00');
  assert.equal(paid[5], '¥100.00');
  assert.equal(paid[6], '已到账');
  assert.deepEqual(paid.slice(7), ['张三', '13900000001', '退款']);
  assert.deepEqual(listed[1].slice(6), ['待付款', '李四（匿名捐赠）', 'wx-lisi', ''], 'nothing to refund');
  assert.equal(listed[0][7], XSS_IMG);
  assert.equal(await desk.locator('#pledge-table img').count(), 0);
  assert.equal(await desk.evaluate(() => window.__xss), undefined);
  assert.equal(await desk.isHidden('#pledge-more'), true, 'one page holds them all');
  await screenshot(desk, 'finance-pledges');
});

test('pledges are found by reference, by part of a contact and by status', async () => {
  await desk.fill('#pledge-q', refs.anonymous.toLowerCase());
  await desk.click('#pledge-filter button[type=submit]');
  await desk.waitForFunction((ref) => document.querySelectorAll('#pledge-table tbody tr').length === 1
    && document.querySelector('#pledge-table tbody tr').dataset.reference === ref, refs.anonymous);
  await desk.fill('#pledge-q', '0000000');
  await desk.click('#pledge-filter button[type=submit]');
  await desk.waitForFunction((ref) => document.querySelectorAll('#pledge-table tbody tr').length === 1
    && document.querySelector('#pledge-table tbody tr').dataset.reference === ref, refs.paid);
  await desk.fill('#pledge-q', '');
  await desk.selectOption('#pledge-status', 'pledged');
  await desk.click('#pledge-filter button[type=submit]');
  await desk.waitForFunction(() => [...document.querySelectorAll('#pledge-table tbody tr')]
    .every((tr) => tr.dataset.status === 'pledged')
    && document.querySelectorAll('#pledge-table tbody tr').length === 2);
  await desk.fill('#pledge-q', 'nobody-has-this');
  await desk.click('#pledge-filter button[type=submit]');
  await desk.waitForSelector('#pledge-none:not([hidden])');
});

test('payments: the bank transfer that matches no pledge stands out', async () => {
  await desk.click('.desk-tabs [data-tab=payments]');
  await desk.waitForSelector('#payment-table tbody tr');
  const listed = await rows(desk, 'payment-table');
  assert.deepEqual(listed.map((r) => r[2]), ['bank-desk-9', 'wx-desk-001']);
  assert.deepEqual(listed[1].slice(1, 6), ['微信支付', 'wx-desk-001', '¥100.00', '¥0.60', refs.paid]);
  assert.deepEqual([listed[0][5], listed[0][6]], ['未对上', '捐款 无编号']);
  await desk.check('#payment-unmatched');
  await desk.click('#payment-filter button[type=submit]');
  await desk.waitForFunction(() => document.querySelectorAll('#payment-table tbody tr').length === 1);
  assert.equal(await desk.getAttribute('#payment-table tbody tr', 'data-txn'), 'bank-desk-9');
  await screenshot(desk, 'finance-payments');
});

test('the API pages by id and refuses a bad page or filter', async () => {
  const get = (path) => desk.evaluate(async (p) => {
    const r = await fetch(p);
    return { status: r.status, body: await r.json() };
  }, path);
  const first = await get('/api/finance/pledges?limit=2');
  assert.equal(first.status, 200);
  assert.deepEqual(first.body.pledges.map((p) => p.reference), [refs.markup, refs.anonymous]);
  assert.equal(first.body.next_before_id, first.body.pledges[1].id);
  const second = await get(`/api/finance/pledges?limit=2&before_id=${first.body.next_before_id}`);
  assert.deepEqual(second.body.pledges.map((p) => p.reference), [refs.paid]);
  assert.equal(second.body.next_before_id, null);
  for (const bad of ['limit=0', 'limit=201', 'limit=x', 'before_id=-1', 'status=lost']) {
    const r = await get(`/api/finance/pledges?${bad}`);
    assert.equal(r.status, 400, bad);
    assert.equal(r.body.error, 'bad_request', bad);
  }
  assert.equal((await get('/api/finance/payments?provider=paypal')).status, 400);
  const like = await get(`/api/finance/payments?q=${encodeURIComponent('%')}`);
  assert.deepEqual(like.body.payments, [], 'a % is looked for as written, not as a wildcard');
});

test('a refund up to the limit is made at once; above it a second member must approve it', async () => {
  await desk.click('.desk-tabs [data-tab=pledges]');
  await desk.fill('#pledge-q', refs.paid);
  await desk.selectOption('#pledge-status', '');
  await desk.click('#pledge-filter button[type=submit]');
  const row = desk.locator(`#pledge-table tr[data-reference="${refs.paid}"]`);
  await desk.waitForFunction(() => document.querySelectorAll('#pledge-table tbody tr').length === 1);
  const refund = async (yuan, reason) => {
    await row.locator('button.refund-open').click();
    const form = desk.locator('#pledge-table .refund-form');
    await form.locator('.refund-amount').fill(yuan);
    await form.locator('.refund-reason').fill(reason);
    await form.locator('button[type=submit]').click();
  };
  await refund('10', '重复扫码');
  await desk.waitForFunction(() => document.querySelector('#desk-notice').textContent === '已退款');
  await desk.waitForFunction((ref) => document.querySelector(`#pledge-table tr[data-reference="${ref}"]`)
    ?.cells[5].textContent === '¥90.00', refs.paid);

  await refund('60', '捐错了活动');
  await desk.waitForFunction(() => /等待另一位财务批准/.test(document.querySelector('#desk-notice').textContent));
  assert.equal(await row.locator('td').nth(5).textContent(), '¥90.00', 'a proposal moves no money');
  await desk.click('.desk-tabs [data-tab=approvals]');
  const item = desk.locator('#approval-list li[data-status="proposed"]');
  await item.waitFor();
  assert.equal(await item.locator('button.approve').isDisabled(), true, 'not for the proposer');
  const id = await item.getAttribute('data-id');
  const self = await desk.evaluate(async (n) => (await fetch(`/api/finance/requests/${n}/approve`,
    { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).json(), id);
  assert.equal(self.error, 'same_person');

  const second = await signIn(site.port, '赵会计', 'second-finance-2026');
  const approved = await fetch(`${site.base}/api/finance/requests/${id}/approve`,
    { method: 'POST', headers: { Cookie: second, 'Content-Type': 'application/json' },
      body: JSON.stringify({ note: '核对无误' }) });
  assert.equal(approved.status, 200);
  assert.equal((await approved.json()).request.status, 'approved');
  const twice = await fetch(`${site.base}/api/finance/requests/${id}/approve`,
    { method: 'POST', headers: { Cookie: second, 'Content-Type': 'application/json' } });
  assert.equal(twice.status, 409);

  await desk.click('.desk-tabs [data-tab=approvals]');
  await desk.locator(`#approval-list li[data-id="${id}"][data-status="approved"]`).waitFor();
  await screenshot(desk, 'finance-approvals');
  await desk.click('.desk-tabs [data-tab=pledges]');
  await desk.click('#pledge-filter button[type=submit]');
  await desk.waitForFunction((ref) => document.querySelector(`#pledge-table tr[data-reference="${ref}"]`)
    ?.cells[5].textContent === '¥30.00', refs.paid);
});

test('English on request', async () => {
  await desk.click('#lang-switch');
  await desk.waitForFunction(() => document.querySelector('[data-tab=payments]').textContent === 'Payments');
  await desk.waitForFunction(() => [...document.querySelectorAll('#payment-table tbody td')]
    .some((td) => td.textContent === 'Bank transfer'));
  assert.deepEqual([...desk.pageErrors], []);
});
