// Charity sales in the pages, in Chromium against a real boai serve (no studio here): the desk adds
// items with `boai sale add`; a phone opens 特卖, buys, and gets the reference, how to pay and the
// time left; a second phone sees the stock drop without a reload; a sold-out item cannot be bought;
// markup in a title stays text; the host puts an item on the video from the console and viewers see
// it highlighted; an unpaid order placed on a node with a short hold shows 已过期 once asked about.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runBoai, startBoai, tempDir } from '../ws/support.mjs';
import { startSite, launchBrowser, phone, screenshot, joined, pageRequest, moduleUrl, HOST_NAME,
  HOST_PASSWORD } from './support.mjs';

const XSS = '<img src=x onerror=window.pwned=1>';
const CONTACT = '138 0000 1111';
const PAY_ACCOUNT = '柯桥区红十字会 · 绍兴银行 1234 5678 9012';
// A 1×1 PNG: the scarf's photo.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64');

let site;
let quick; // a second node on the same database whose unpaid orders expire after about a second
let browser;
let viewer;
let other;
let host;
const viewerFrames = []; // every WebSocket frame the viewer's page received
const ids = {};
let reference;

async function addItem(title, price, quantity, extra = []) {
  const r = await runBoai(['sale', 'add', '--title', title, '--price', String(price), '--quantity',
    String(quantity), '--fund', 'general', ...extra, '--data-dir', site.dataDir]);
  assert.equal(r.code, 0, r.output);
  return Number(/^#(\d+)/.exec(r.output)[1]);
}

before(async () => {
  site = await startSite({ serveArgs: ['--no-studio', '--limits',
    'messages_per_second=20,message_burst=40'] });
  const photo = join(tempDir('sale-photo'), 'scarf.png');
  writeFileSync(photo, PNG);
  ids.scarf = await addItem('手工围巾', 25, 5,
    ['--per-buyer', '2', '--donated-by', '李阿姨', '--photo', photo]);
  ids.xss = await addItem(XSS, 10, 3, ['--donated-by', '<b>王</b>']);
  ids.kit = await addItem('红十字急救包', 68, 1);
  ids.cup = await addItem('保温杯', 30, 2);
  quick = await startBoai(['--listen', '127.0.0.1:0', '--data-dir', site.dataDir, '--no-studio',
    '--pay-account', PAY_ACCOUNT, '--limits', 'sale_hold_minutes=0.02']);
  browser = await launchBrowser();
  viewer = await phone(browser);
  viewer.on('websocket',
    (ws) => ws.on('framereceived', (f) => viewerFrames.push(String(f.payload))));
  await viewer.goto(`${site.base}/r/${site.room}`);
  await joined(viewer);
});

after(async () => {
  await browser?.close();
  await Promise.all([site?.stop(), quick?.stop()]);
});

const card = (page, id) => page.locator(`#sale-list li.sale[data-id="${id}"]`);

async function openSales(page) {
  await page.click('.tabs [data-tab=sales]');
  await page.waitForSelector('#sale-browse:not([hidden])');
}

// Buys from the item's card: quantity by the + button, then the name and contact.
async function buy(page, id, { quantity = 1, name = '王五', contact = CONTACT } = {}) {
  if (await page.isVisible('#buy-result')) {
    await page.click('#buy-done');
  }
  await card(page, id).locator('button.buy').click();
  await page.waitForSelector('#sale-buy:not([hidden])');
  for (let n = 1; n < quantity; ++n) {
    await page.click('#buy-more');
  }
  await page.fill('#buy-name', name);
  await page.fill('#buy-contact', contact);
  await page.click('#buy-submit');
}

test('the 特卖 tab lists the desk\'s items: photo, donor, price, what is left, the limit', async () => {
  await openSales(viewer);
  await viewer.locator('#sale-list li.sale').nth(3).waitFor();
  assert.deepEqual(await viewer.locator('#sale-list li.sale').evaluateAll(
    (lis) => lis.map((li) => Number(li.dataset.id))), [ids.scarf, ids.xss, ids.kit, ids.cup],
  'oldest first');
  assert.equal(await viewer.isVisible('#sales-empty'), false);
  const c = card(viewer, ids.scarf);
  assert.equal(await c.locator('.sale-title').textContent(), '手工围巾');
  assert.equal(await c.locator('.sale-donor').textContent(), '李阿姨 捐赠');
  assert.equal(await c.locator('.sale-price').textContent(), '¥25');
  assert.equal(await c.locator('.sale-stock').textContent(), '还剩 5 件 · 每人限购 2 件');
  assert.equal(await c.locator('button.buy').textContent(), '购买');
  assert.match(await c.locator('img.sale-photo').getAttribute('src'), /^\/proofs\/[A-Za-z0-9._-]+$/);
  await viewer.waitForFunction((id) => document.querySelector(
    `#sale-list li[data-id="${id}"] img.sale-photo`)?.naturalWidth === 1, ids.scarf);
  assert.equal(await card(viewer, ids.kit).locator('.sale-stock').textContent(), '还剩 1 件');
  assert.equal(await card(viewer, ids.kit).locator('.sale-donor').count(), 0);
  // Phone first: five tabs and the cards fit 375 px.
  assert.ok(await viewer.evaluate(() => document.documentElement.scrollWidth <= 375));
});

test('markup in a title and a donor\'s name is shown as text, never run', async () => {
  const c = card(viewer, ids.xss);
  assert.equal(await c.locator('.sale-title').textContent(), XSS);
  assert.equal(await c.locator('.sale-title').evaluate((n) => n.childElementCount), 0);
  assert.equal(await c.locator('.sale-donor').textContent(), '<b>王</b> 捐赠');
  assert.equal(await viewer.locator('img[src="x"], #sale-list b').count(), 0);
  assert.equal(await viewer.evaluate(() => window.pwned), undefined);
});

test('a phone buys two: reference, how to pay, time left; another phone sees the stock drop', async () => {
  other = await phone(browser, `${site.base}/r/${site.room}`);
  await joined(other);
  await openSales(other);
  await other.locator(`#sale-list li.sale[data-id="${ids.scarf}"][data-available="5"]`).waitFor();

  await card(viewer, ids.scarf).locator('button.buy').click();
  await viewer.waitForSelector('#sale-buy:not([hidden])');
  assert.equal(await viewer.textContent('#buy-title'), '手工围巾');
  assert.equal(await viewer.inputValue('#buy-quantity'), '1');
  assert.equal(await viewer.isDisabled('#buy-less'), true);
  await viewer.click('#buy-more');
  assert.equal(await viewer.inputValue('#buy-quantity'), '2');
  assert.equal(await viewer.isDisabled('#buy-more'), true, 'two a buyer');
  assert.equal(await viewer.textContent('#buy-max'), '最多可买 2 件');
  assert.equal(await viewer.textContent('#buy-submit'), '购买 2 件 · ¥50');
  // A name and a contact are needed for pickup.
  await viewer.click('#buy-submit');
  assert.equal(await viewer.textContent('#buy-error'), '请填写姓名');
  await viewer.fill('#buy-name', '王五');
  assert.equal(await viewer.isVisible('#buy-error'), false);
  await viewer.fill('#buy-contact', CONTACT);
  await screenshot(viewer, 'viewer-sale-buy');
  await viewer.click('#buy-submit');
  await viewer.waitForSelector('#buy-result:not([hidden])');

  reference = (await viewer.textContent('#buy-result [data-pay=reference]')).trim();
  assert.match(reference, /^[A-Z0-9-]{6,}$/);
  assert.equal((await viewer.textContent('#buy-result [data-pay=remark]')).trim(), reference);
  assert.equal((await viewer.textContent('#buy-result [data-pay=amount]')).trim(), '¥50.00');
  assert.match(await viewer.textContent('#buy-result [data-pay=account]'), /绍兴银行/);
  assert.equal(await viewer.textContent('#buy-order-line'), '手工围巾 × 2');
  const expiry = viewer.locator('#buy-result .sale-expiry');
  const first = await expiry.textContent();
  assert.match(first, /^请在 \d\d:\d\d 前付款，剩余 (30:00|29:\d\d)$/);
  await viewer.waitForFunction((before) => {
    const now = document.querySelector('#buy-result .sale-expiry').textContent;
    return now !== before && /剩余 29:\d\d$/.test(now);
  }, first);
  await screenshot(viewer, 'viewer-sale-order');

  // The other phone's card follows the room's event; so do the buyer's own and the totals.
  await other.locator(`#sale-list li.sale[data-id="${ids.scarf}"][data-available="3"]`).waitFor();
  assert.equal(await card(other, ids.scarf).locator('.sale-stock').textContent(),
    '还剩 3 件 · 每人限购 2 件');
  assert.equal(await other.evaluate(() => performance.getEntriesByType('navigation').length), 1);
  await viewer.locator(`#sale-list li.sale[data-id="${ids.scarf}"][data-available="3"]`)
    .waitFor({ state: 'attached' });
  await other.waitForFunction(() => document.querySelector('#sale-totals').textContent
    === '已售 ¥50 · 1 单');

  // 我的订单 keeps the reference (and only that) on the phone.
  await viewer.click('#buy-done');
  const mine = viewer.locator(`#my-orders li.my-order[data-reference="${reference}"]`);
  await mine.waitFor();
  assert.equal(await mine.getAttribute('data-stage'), 'awaiting_payment');
  assert.equal(await mine.locator('.sale-stage').textContent(), '待付款');
  assert.equal(await mine.locator('.order-amount').textContent(), '¥50.00');
  assert.deepEqual(await viewer.evaluate(() => JSON.parse(localStorage.getItem('boai.my_orders'))),
    [reference]);
  assert.ok(!(await viewer.evaluate(() => JSON.stringify({ ...localStorage }))).includes('0000 1111'));
  // Its pay instructions again, from the list.
  await mine.locator('button.show-pay').click();
  await viewer.waitForSelector('#buy-result:not([hidden])');
  assert.equal((await viewer.textContent('#buy-result [data-pay=reference]')).trim(), reference);
  await viewer.click('#buy-done');
});

test('refusals are told in Chinese with their figures; the form follows the stock live', async () => {
  // The same contact once more: the per-buyer limit is reached.
  await buy(viewer, ids.scarf);
  await viewer.waitForSelector('#buy-error:not([hidden])');
  assert.equal(await viewer.getAttribute('#buy-error', 'data-code'), 'over_limit');
  assert.equal(await viewer.textContent('#buy-error'), '您已买满这件物品的限购数量');
  assert.equal(await viewer.isVisible('#buy-result'), false);
  await viewer.click('#sale-buy .sale-back');

  // Three in the form; another phone takes two meanwhile: the form comes down to what is left.
  await card(viewer, ids.xss).locator('button.buy').click();
  await viewer.click('#buy-more');
  await viewer.click('#buy-more');
  assert.equal(await viewer.inputValue('#buy-quantity'), '3');
  const taken = await pageRequest(other, { type: 'sale.buy', idempotency_key: 'e2e-take-two-xss',
    item_id: ids.xss, quantity: 2, buyer_name: '李四', contact: '13900000000' });
  assert.ok(taken.ack, JSON.stringify(taken));
  await viewer.waitForFunction(() => document.querySelector('#buy-quantity').value === '1');
  assert.equal(await viewer.textContent('#buy-stock'), '还剩 1 件');
  assert.equal(await viewer.textContent('#buy-submit'), '购买 1 件 · ¥10');
  await viewer.click('#sale-buy .sale-back');

  // Every sales error code has its words (figures from the error frame where it has them).
  const words = await viewer.evaluate(async (saleParts) => {
    const { saleErrorText } = await import(saleParts);
    const say = (code, details = {}) => saleErrorText({ code, details });
    return [say('sold_out', { available: 1 }), say('sold_out', { available: 0 }),
      say('over_limit', { allowed: 1 }), say('sale_closed'), say('item_not_found'),
      say('quantity_invalid'), say('rate_limited'), say('order_not_found')];
  }, await moduleUrl(viewer, 'sale_parts'));
  assert.deepEqual(words, ['库存不够了，只剩 1 件', '已售罄', '超过限购了，您最多还能买 1 件',
    '这件物品已下架或本场特卖已结束', '找不到这件物品', '购买数量需在 1 到 1,000 件之间',
    '发送太快了，请稍等一会儿再试', '查不到这个订单']);
});

test('a sold-out item shows 已售罄 and cannot be bought', async () => {
  await buy(other, ids.kit, { name: '赵六', contact: '13700000000' });
  await other.waitForSelector('#buy-result:not([hidden])');
  const c = card(viewer, ids.kit);
  await viewer.locator(`#sale-list li.sale[data-id="${ids.kit}"][data-sold-out="1"]`).waitFor();
  assert.equal(await c.locator('.sale-stock').textContent(), '已售罄');
  assert.equal(await c.locator('button.buy').textContent(), '已售罄');
  assert.equal(await c.locator('button.buy').isDisabled(), true);
  await screenshot(viewer, 'viewer-sales');
});

test('an order whose answer was lost is sent again with its key: one order, not two', async () => {
  // The connection drops just as the order's ack arrives: the page never sees it.
  await other.evaluate(() => {
    const ws = window.boai.client.ws;
    const deliver = ws.onmessage;
    ws.onmessage = (m) => {
      const f = JSON.parse(m.data);
      if (f.type === 'ack' && f.order) {
        window.lostAck = f.order.reference;
        ws.close();
        return;
      }
      deliver(m);
    };
  });
  await buy(other, ids.scarf, { name: '孙八', contact: '13500000000' });
  await other.waitForSelector('#buy-result:not([hidden])');
  const shown = (await other.textContent('#buy-result [data-pay=reference]')).trim();
  assert.equal(shown, await other.evaluate(() => window.lostAck), 'the first order, replayed');
  await viewer.locator(`#sale-list li.sale[data-id="${ids.scarf}"][data-available="2"]`)
    .waitFor({ state: 'attached' });
  const r = await runBoai(['sale', 'orders', '--item', String(ids.scarf), '--data-dir', site.dataDir]);
  assert.equal(r.output.trim().split('\n').length, 2, r.output);
  assert.equal(await card(other, ids.scarf).getAttribute('data-available'), '2');
});

test('the host puts an item on the video and takes it off; viewers see it first, highlighted', async () => {
  host = await phone(browser, `${site.base}/host`);
  await host.setViewportSize({ width: 1100, height: 900 });
  await host.waitForSelector('#signin:not([hidden])');
  await host.fill('#signin-name', HOST_NAME);
  await host.fill('#signin-password', HOST_PASSWORD);
  await host.click('#signin-submit');
  await host.waitForFunction(() => window.boai?.client?.welcomed);
  const item = (id) => host.locator(`#host-sales li[data-id="${id}"]`);
  await host.locator(`#host-sales li[data-id="${ids.scarf}"][data-available="2"]`).waitFor();
  assert.equal(await item(ids.scarf).locator('.sale-stock').textContent(), '剩 2 / 共 5 件');
  assert.equal(await item(ids.kit).locator('.sale-stock').textContent(), '已售罄');
  assert.equal(await item(ids.xss).locator('.sale-title').textContent(), XSS);
  assert.equal(await host.locator('#host-sales img, #host-sales b').count(), 0);
  assert.equal(await host.isVisible('#sale-off-air'), false);

  await item(ids.cup).locator('button.on-air').click();
  await viewer.locator(`#sale-list li.sale[data-id="${ids.cup}"][data-featured="1"]`).waitFor();
  assert.equal(await viewer.locator('#sale-list li.sale').first().getAttribute('data-id'),
    String(ids.cup), 'the featured item comes first');
  assert.equal(await card(viewer, ids.cup).locator('.sale-featured').textContent(), '正在直播推荐');
  assert.match(await viewer.getAttribute('.tabs [data-tab=sales]', 'class'), /on-air/);
  await host.locator(`#host-sales li[data-id="${ids.cup}"][data-featured="1"]`).waitFor();
  assert.equal(await item(ids.cup).locator('button.on-air').count(), 0);
  await screenshot(viewer, 'viewer-sale-featured');
  await screenshot(host, 'host-sales');
  // A phone that opens the page now finds it featured from its welcome.
  const late = await phone(browser);
  await late.goto(`${site.base}/r/${site.room}`);
  await joined(late);
  await openSales(late);
  await late.locator(`#sale-list li.sale[data-id="${ids.cup}"][data-featured="1"]`).waitFor();
  await late.close();

  // Another one replaces it; 下屏 takes it off.
  await item(ids.scarf).locator('button.on-air').click();
  await viewer.locator(`#sale-list li.sale[data-id="${ids.scarf}"][data-featured="1"]`).waitFor();
  assert.equal(await viewer.locator('#sale-list li.sale[data-featured="1"]').count(), 1);
  await host.click('#sale-off-air');
  await viewer.locator('#sale-list li.sale[data-featured="1"]').waitFor({ state: 'detached' });
  assert.doesNotMatch(await viewer.getAttribute('.tabs [data-tab=sales]', 'class') ?? '', /on-air/);
  await host.waitForSelector('#sale-off-air', { state: 'hidden' });
  assert.deepEqual(await viewer.locator('#sale-list li.sale').evaluateAll(
    (lis) => lis.map((li) => Number(li.dataset.id))), [ids.scarf, ids.xss, ids.kit, ids.cup]);

  // An item added in the console, with its photo, reaches the phone without a reload; 下架 takes
  // it away.
  const jpeg = Buffer.concat([Buffer.from('ffd8ffe0', 'hex'), Buffer.alloc(128, 3)]);
  await host.fill('#sale-add-title', '爱心笔记本');
  await host.fill('#sale-add-price', '12.5');
  await host.fill('#sale-add-quantity', '6');
  await host.fill('#sale-add-donor', '文具店');
  await host.setInputFiles('#sale-add-photo', { name: 'book.jpg', mimeType: 'image/jpeg',
    buffer: jpeg });
  await host.click('#sale-add-form button[type=submit]');
  const added = viewer.locator('#sale-list li.sale', { hasText: '爱心笔记本' });
  await added.waitFor();
  assert.match(await added.textContent(), /12\.50/);
  const photo = await added.locator('img').getAttribute('src');
  assert.match(photo, /^\/proofs\/item-[0-9a-f]{16}\.jpg$/);
  const served = await fetch(`${site.base}${photo}`);
  assert.deepEqual(Buffer.from(await served.arrayBuffer()), jpeg);
  assert.equal(await host.inputValue('#sale-add-title'), '', 'the form is cleared once added');
  await host.locator('#host-sales li', { hasText: '爱心笔记本' }).locator('button.withdraw').click();
  await added.waitFor({ state: 'detached' });
});

test('an item withdrawn at the desk: buying it says so and it leaves the list', async () => {
  const r = await runBoai(['sale', 'withdraw', String(ids.xss), '--data-dir', site.dataDir]);
  assert.equal(r.code, 0, r.output);
  await buy(viewer, ids.xss);
  await viewer.waitForSelector('#buy-error:not([hidden])');
  assert.equal(await viewer.getAttribute('#buy-error', 'data-code'), 'sale_closed');
  assert.equal(await viewer.textContent('#buy-error'), '这件物品已下架或本场特卖已结束');
  assert.equal(await viewer.textContent('#buy-submit'), '已下架');
  assert.equal(await viewer.isDisabled('#buy-submit'), true);
  await viewer.click('#sale-buy .sale-back');
  assert.equal(await card(viewer, ids.xss).count(), 0);
});

test('an unpaid order past its hold shows 已过期 once the phone asks; the stock comes back', async () => {
  const buyer = await phone(browser, `http://127.0.0.1:${quick.port}/r/${site.room}`);
  await joined(buyer);
  await openSales(buyer);
  await card(buyer, ids.cup).waitFor();
  await buy(buyer, ids.cup, { name: '钱七', contact: '13600000000' });
  await buyer.waitForSelector('#buy-result:not([hidden])');
  const ref = (await buyer.textContent('#buy-result [data-pay=reference]')).trim();
  await viewer.locator(`#sale-list li.sale[data-id="${ids.cup}"][data-available="1"]`)
    .waitFor({ state: 'attached' });
  await buyer.click('#buy-done');
  const mine = buyer.locator(`#my-orders li.my-order[data-reference="${ref}"]`);
  await mine.waitFor();
  // Its time runs out: the phone asks how it stands and the server has expired it.
  await buyer.locator(`#my-orders li.my-order[data-reference="${ref}"][data-stage="expired"]`)
    .waitFor({ timeout: 30000 });
  assert.equal(await mine.locator('.sale-stage').textContent(), '已过期');
  assert.equal(await mine.locator('.sale-expiry').count(), 0);
  assert.equal(await mine.locator('button.show-pay').count(), 0);
  await viewer.locator(`#sale-list li.sale[data-id="${ids.cup}"][data-available="2"]`)
    .waitFor({ state: 'attached' });
  // After a reload the phone still knows the order and asks again.
  await buyer.reload();
  await joined(buyer);
  await openSales(buyer);
  await buyer.locator(`#my-orders li.my-order[data-reference="${ref}"][data-stage="expired"]`)
    .waitFor();
  // The viewer's order is still held (its node keeps the default 30 minutes).
  await viewer.click('#orders-refresh');
  await viewer.locator(`#my-orders li[data-reference="${reference}"][data-stage="awaiting_payment"]`)
    .waitFor();
  assert.deepEqual(buyer.pageErrors, []);
  await buyer.context().close();
});

test('paid, then picked up: 我的订单 says 待取货, then 已取货, as the phone asks', async () => {
  let r = await runBoai(['payment', 'add', '--provider', 'wechat', '--txn', 'wx-e2e-sale-1',
    '--amount', '50', '--reference', reference, '--data-dir', site.dataDir]);
  assert.equal(r.code, 0, r.output);
  const mine = viewer.locator(`#my-orders li[data-reference="${reference}"]`);
  await viewer.click('#orders-refresh');
  await viewer.locator(`#my-orders li[data-reference="${reference}"][data-stage="to_fulfil"]`).waitFor();
  assert.equal(await mine.locator('.sale-stage').textContent(), '待取货');
  assert.equal(await mine.locator('.sale-expiry').count(), 0, 'paid: no time left to pay');
  assert.equal(await mine.locator('button.show-pay').count(), 0);
  r = await runBoai(['sale', 'hand-over', reference, '--picked-up', '--data-dir', site.dataDir]);
  assert.equal(r.code, 0, r.output);
  // Opening the tab again asks too.
  await viewer.click('.tabs [data-tab=chat]');
  await openSales(viewer);
  await viewer.locator(`#my-orders li[data-reference="${reference}"][data-stage="picked_up"]`).waitFor();
  assert.equal(await mine.locator('.sale-stage').textContent(), '已取货');
});

test('English on request; the buyer\'s contact is nowhere in a viewer\'s page', async () => {
  await viewer.click('#lang-switch');
  assert.equal(await viewer.textContent('.tabs [data-tab=sales]'), 'Sales');
  assert.equal(await card(viewer, ids.kit).locator('.sale-stock').textContent(), 'Sold out');
  assert.equal(await viewer.locator(`#my-orders li[data-reference="${reference}"] .sale-stage`)
    .textContent(), 'Picked up');
  await viewer.click('#lang-switch');
  assert.ok(viewerFrames.some((f) => f.includes('sale.updated')), 'the frames are watched');
  assert.ok(!viewerFrames.some((f) => f.includes('0000 1111') || f.includes('13900000000')
    || f.includes('13700000000')));
  const html = await other.content();
  assert.ok(!html.includes('0000 1111'));
  assert.deepEqual([...viewer.pageErrors, ...other.pageErrors, ...host.pageErrors], []);
});
