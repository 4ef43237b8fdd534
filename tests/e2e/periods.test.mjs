// Closing and reports at the finance desk in Chromium against a real boai serve: finance closes a
// day that has ended (then it is closed, once), opens the printable reconciliation and the live
// close-out and finds the fixture's figures there, downloads the CSV (UTF-8 with a BOM, as an
// attachment), records a correction that the next report shows, and reads it all in English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSite, launchBrowser, phone, screenshot } from './support.mjs';
import { runBoai } from '../ws/support.mjs';

let site;
let browser;
let desk;
const refs = {};

// Days and months of Asia/Shanghai, as the server names them.
const shanghaiDay = (ms) => new Date(ms).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
const today = () => shanghaiDay(Date.now());
const yesterday = () => shanghaiDay(Date.parse(`${today()}T00:00:00+08:00`) - 1);

async function must(args) {
  const r = await runBoai([...args, '--data-dir', site.dataDir]);
  assert.equal(r.code, 0, r.output);
  return r.output;
}

async function pledgeAdd(key, yuan, name, contact) {
  const out = await must(['pledge', 'add', '--campaign', site.room, '--amount', yuan, '--channel',
    'live', '--name', name, '--contact', contact, '--idempotency-key', `periods-test-${key}`]);
  return out.match(/reference: (\w+)/)[1];
}

before(async () => {
  site = await startSite({ serveArgs: ['--no-studio'] });
  refs.paid = await pledgeAdd('paid', '100', '张三', '13900000001');
  refs.owing = await pledgeAdd('owing', '30', '李四', '13900000002');
  await must(['payment', 'add', '--provider', 'wechat', '--txn', 'wx-periods-1', '--amount', '100',
    '--fee', '0.60', '--reference', refs.paid]);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await site?.stop();
});

// The cells of the total row of a report's table of a group.
const totals = (page, group) => page.$$eval(`section[data-group=${group}] tr.total td`,
  (tds) => tds.map((td) => td.textContent));

async function openReport(link) {
  const [page] = await Promise.all([desk.context().waitForEvent('page'), desk.click(link)]);
  await page.waitForSelector('body[data-ready="1"]');
  return page;
}

test('finance closes a day that has ended, once', async () => {
  desk = await phone(browser, `${site.base}/finance`);
  await desk.setViewportSize({ width: 1280, height: 900 });
  await desk.waitForSelector('#signin:not([hidden])');
  await desk.fill('#signin-name', '李会计');
  await desk.fill('#signin-password', 'finance-pass-2026');
  await desk.click('#signin-submit');
  await desk.waitForSelector('#console:not([hidden])');
  await desk.click('.desk-tabs [data-tab=periods]');
  await desk.waitForSelector(`#period-closable option[value="${yesterday()}"]`, { state: 'attached' });
  assert.equal(await desk.locator('#period-closable option[value^="' + today().slice(0, 7) + '"]')
    .filter({ hasText: '月' }).count(), 0, 'the current month has not ended');
  await desk.selectOption('#period-closable', yesterday());
  await desk.click('#period-close');
  await desk.waitForSelector(`#period-table tr[data-period="${yesterday()}"]`);
  assert.equal(await desk.textContent('#desk-notice'), `${yesterday()} 已结账`);
  const row = await desk.$$eval(`#period-table tr[data-period="${yesterday()}"] td`,
    (tds) => tds.map((td) => td.textContent));
  assert.deepEqual(row.slice(0, 3), [yesterday(), '日', '李会计']);
  assert.equal(await desk.locator(`#period-closable option[value="${yesterday()}"]`).count(), 0);

  const again = await desk.evaluate(async (period) => {
    const r = await fetch('/api/finance/periods/close', { method: 'POST',
      headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ period }) });
    return { status: r.status, body: await r.json() };
  }, yesterday());
  assert.equal(again.status, 409);
  assert.equal(again.body.error, 'period_closed');
  await screenshot(desk, 'finance-periods');
});

test('a back-dated payment into the closed day is refused and writes nothing', async () => {
  const r = await runBoai(['payment', 'add', '--provider', 'bank', '--txn', 'bank-late-1',
    '--amount', '30', '--reference', refs.owing, '--paid-at', `${yesterday()} 20:00`,
    '--data-dir', site.dataDir]);
  assert.equal(r.code, 1);
  assert.match(r.output, new RegExp(`period_closed: ${yesterday()} is closed`));
});

test('the printable reconciliation shows the month\'s figures, and its CSV opens in Excel', async () => {
  assert.equal(await desk.inputValue('#report-period'), today().slice(0, 7));
  const report = await openReport('#report-open');
  assert.equal(await report.textContent('#report-title'), `对账报表 · ${today().slice(0, 7)}`);
  const fund = await totals(report, 'fund');
  assert.equal(fund[0], '合计');
  assert.deepEqual([fund[1], fund[2], fund[4], fund[5], fund[7], fund[12]],
    ['¥130.00', '2', '¥100.00', '1', '¥0.60', '¥30.00']);
  const wechat = await report.$$eval('section[data-group=channel] tr[data-name="微信支付"] td',
    (tds) => tds.map((td) => td.textContent));
  assert.equal(wechat[4], '¥100.00');
  await screenshot(report, 'finance-report-reconciliation');

  const csv = await desk.evaluate(async (href) => {
    const r = await fetch(href);
    const bytes = new Uint8Array(await r.arrayBuffer());
    return { status: r.status, disposition: r.headers.get('content-disposition'),
      bom: [...bytes.slice(0, 3)], text: new TextDecoder().decode(bytes) };
  }, await desk.getAttribute('#report-csv', 'href'));
  assert.equal(csv.status, 200);
  assert.deepEqual(csv.bom, [0xef, 0xbb, 0xbf]);
  assert.equal(csv.disposition, `attachment; filename="reconciliation-${today().slice(0, 7)}.csv"`);
  assert.match(csv.text, new RegExp(`\r\n合计,${today().slice(0, 7)},,130\\.00,2,0\\.00,100\\.00,1,0\\.00,0\\.60,`));

  await report.click('#lang-switch');
  await report.waitForFunction(() => document.querySelector('#report-title').textContent
    .startsWith('Reconciliation'));
  assert.equal((await totals(report, 'fund'))[0], 'Total');
  assert.equal(await report.textContent('section[data-group=fund] h2'), 'By fund');
  await report.click('#lang-switch');
  await report.close();
});

test('the live close-out lists who still owes, with contacts', async () => {
  await desk.selectOption('#closeout-campaign', site.room);
  const report = await openReport('#closeout-open');
  const line = (name) => report.textContent(`tr[data-line=${name}] td.num`);
  assert.equal(await line('on_air'), '2 笔 · ¥130.00');
  assert.equal(await line('arrived'), '1 笔 · ¥100.00');
  assert.equal(await line('outstanding'), '1 笔 · ¥30.00');
  const owing = await report.$$eval('table.owing tbody tr', (trs) => trs.map((tr) =>
    [tr.dataset.reference, ...[...tr.cells].map((c) => c.textContent)]));
  assert.equal(owing.length, 1);
  assert.equal(owing[0][0], refs.owing);
  assert.deepEqual(owing[0].slice(3), ['¥30.00', '¥0.00', '¥30.00', '李四', '13900000002']);
  await screenshot(report, 'finance-report-closeout');
  await report.close();
});

test('a correction of the closed day is booked today and shows in the next report', async () => {
  await desk.fill('#correction-period', yesterday());
  await desk.fill('#correction-amount', '-12.50');
  await desk.fill('#correction-reason', '重复录入的现金');
  await desk.click('#correction-form button[type=submit]');
  await desk.waitForFunction(() => document.querySelector('#desk-notice').textContent
    .startsWith('已记更正'));
  assert.equal(await desk.textContent('#desk-notice'),
    `已记更正：更正 ${yesterday()}: 重复录入的现金 (李会计)`);
  const report = await openReport('#report-open');
  assert.equal((await totals(report, 'fund'))[9], '-¥12.50');
  await report.close();
});

test('the tab speaks English too', async () => {
  await desk.click('#lang-switch');
  await desk.waitForFunction(() => document.querySelector('.desk-tabs [data-tab=periods]')
    .textContent === 'Periods & reports');
  // The rows are read again in English.
  await desk.waitForFunction((day) => document
    .querySelector(`#period-table tr[data-period="${day}"] td:nth-child(2)`)?.textContent === 'day',
  yesterday());
  assert.equal(await desk.textContent('#report-open'), 'Open printable');
  const bad = await desk.evaluate(async () => {
    const r = await fetch('/api/finance/reports/reconciliation?period=2026-13');
    return r.status;
  });
  assert.equal(bad, 400);
  assert.deepEqual(desk.pageErrors, []);
});
