// Red wishes in the pages, in Chromium against a real boai serve (no studio here): a viewer posts
// a wish with markup in it, a host vets it in the console, the viewer sees it as inert text and
// gives to it (in parts, past what it needs), the host features it on the video; the requester's
// contact reaches the console and nowhere in the viewer's page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSite, launchBrowser, phone, screenshot, joined, pageRequest, HOST_NAME,
  HOST_PASSWORD } from './support.mjs';

const XSS_IMG = '<img src=x onerror=window.__xss=1>';
const XSS_SCRIPT = '<script>window.__xss=1</script>';
const CONTACT = '13800001234';

let site;
let browser;
let viewer;
let host;
const viewerFrames = []; // every WebSocket frame the viewer's page received
let wishId;

before(async () => {
  site = await startSite({ serveArgs: ['--no-studio', '--limits',
    'messages_per_second=20,message_burst=40'] });
  browser = await launchBrowser();
  viewer = await phone(browser);
  viewer.on('websocket',
    (ws) => ws.on('framereceived', (f) => viewerFrames.push(String(f.payload))));
  await viewer.goto(`${site.base}/r/${site.room}`);
  await joined(viewer);
});

after(async () => {
  await browser?.close();
  await site?.stop();
});

const card = (page, id) => page.locator(`#wish-list li.wish[data-id="${id}"]`);

async function openWishes(page) {
  await page.click('.tabs [data-tab=wishes]');
  await page.waitForSelector('#wish-browse:not([hidden])');
}

// Gives from the wish's card; amount: a preset's fen (number) or typed yuan (string).
async function startGift(page, id, amount) {
  if (await page.isVisible('#give-result')) {
    await page.click('#give-done');
  }
  await card(page, id).locator('button.give').click();
  await page.waitForSelector('#wish-give:not([hidden])');
  if (typeof amount === 'number') {
    await page.click(`#give-presets .preset[data-fen="${amount}"]`);
  } else {
    await page.fill('#give-amount', amount);
  }
  await page.click('#give-submit');
}

async function barOf(page, id) {
  return page.getAttribute(`#wish-list li.wish[data-id="${id}"] .wish-bar`, 'aria-valuenow');
}

test('a viewer posts a wish from the page; it waits for review under 我的心愿', async () => {
  await openWishes(viewer);
  assert.equal(await viewer.isVisible('#wishes-empty'), true);
  await viewer.click('#wish-new');
  await viewer.fill('#wish-title', XSS_IMG);
  await viewer.fill('#wish-story', `${XSS_SCRIPT}张奶奶耳背，想听清孙子的电话。`);
  await viewer.fill('#wish-amount', '300');
  await viewer.selectOption('#wish-category', 'elderly');
  await viewer.fill('#wish-name', '张秀英');
  await viewer.fill('#wish-contact', CONTACT);
  await viewer.click('#wish-submit');
  await viewer.waitForSelector('#wish-notice:not([hidden])');
  const mine = viewer.locator('#my-wishes li.my-wish');
  await mine.first().waitFor();
  assert.equal(await mine.count(), 1);
  assert.equal(await mine.first().getAttribute('data-status'), 'pending');
  assert.equal(await mine.first().locator('.wish-status').textContent(), '待审核');
  assert.equal(await mine.first().locator('.wish-title').textContent(), XSS_IMG);
  wishId = Number(await mine.first().getAttribute('data-id'));
  assert.ok(wishId > 0);
  // Only the id is kept on the phone; the form forgets what was typed.
  assert.deepEqual(await viewer.evaluate(() => JSON.parse(localStorage.getItem('boai.my_wishes'))),
    [wishId]);
  assert.equal(await viewer.inputValue('#wish-contact'), '');
  // Not public yet.
  assert.equal(await card(viewer, wishId).count(), 0);
});

test('the host approves it in the console, a smaller amount; staff see the contact', async () => {
  host = await phone(browser, `${site.base}/host`);
  await host.waitForSelector('#signin:not([hidden])');
  await host.fill('#signin-name', HOST_NAME);
  await host.fill('#signin-password', HOST_PASSWORD);
  await host.click('#signin-submit');
  await host.waitForFunction(() => window.boai?.client?.welcomed);
  const item = host.locator(`#pending-wishes li[data-id="${wishId}"]`);
  await item.waitFor();
  assert.equal(await item.locator('.wish-title').textContent(), XSS_IMG);
  assert.match(await item.locator('.contact').textContent(), new RegExp(CONTACT));
  assert.equal(await item.locator('.edit-amount').inputValue(), '300');
  assert.equal(await host.locator('#pending-wishes img, #pending-wishes script').count(), 0);
  await screenshot(host, 'host-wishes-pending');
  await item.locator('.edit-amount').fill('200');
  await item.locator('button.approve').click();
  await item.waitFor({ state: 'detached' });
  await host.locator(`#public-wishes li[data-id="${wishId}"]`).waitFor();
  assert.equal(await host.isVisible('#pending-none'), true);
});

test('the viewer sees the approved wish as inert text, masked, with its progress', async () => {
  const c = card(viewer, wishId);
  await c.waitFor();
  const title = c.locator('.wish-title');
  assert.equal(await title.textContent(), XSS_IMG);
  assert.equal(await title.evaluate((n) => n.childElementCount), 0);
  assert.match(await c.locator('.wish-story').textContent(), /^<script>/);
  assert.equal(await c.locator('.wish-story').evaluate((n) => n.childElementCount), 0);
  assert.equal(await viewer.locator('#wish-list img, #wish-list script').count(), 0);
  assert.equal(await viewer.locator('#my-wishes img, #my-wishes script').count(), 0);
  assert.equal(await viewer.locator('img[src="x"]').count(), 0);
  assert.equal(await viewer.evaluate(() => window.__xss), undefined);
  assert.equal(await c.locator('.wish-requester').textContent(), '求助人：张**');
  assert.equal(await c.locator('.wish-category').textContent(), '助老');
  assert.equal(await barOf(viewer, wishId), '0');
  assert.match(await c.locator('.wish-figures').textContent(), /已筹 ¥0 \/ ¥200 · 还差 ¥200/);
  // 我的心愿 follows the room's event.
  await viewer.locator(`#my-wishes li[data-id="${wishId}"][data-status="approved"]`).waitFor();
});

test('a gift moves the progress; the pay instructions are those of a pledge', async () => {
  await startGift(viewer, wishId, 5000);
  await viewer.waitForSelector('#give-result:not([hidden])');
  const reference = (await viewer.textContent('#give-result [data-pay=reference]')).trim();
  assert.match(reference, /^[A-Z0-9]{6,}$/);
  assert.equal((await viewer.textContent('#give-result [data-pay=remark]')).trim(), reference);
  assert.match(await viewer.textContent('#give-result [data-pay=account]'), /绍兴银行/);
  assert.equal((await viewer.textContent('#give-result [data-pay=amount]')).trim(), '¥50.00');
  assert.match(await viewer.textContent('#give-progress'), /¥50 \/ ¥200/);
  await viewer.waitForFunction((id) => document.querySelector(
    `#wish-list li.wish[data-id="${id}"] .wish-bar`)?.getAttribute('aria-valuenow') === '250',
  wishId);
  assert.match(await card(viewer, wishId).locator('.wish-figures').textContent(),
    /已筹 ¥50 \/ ¥200 · 还差 ¥150 · 1 人捐助/);
  // The host's console follows too.
  await host.waitForFunction((id) => document.querySelector(
    `#public-wishes li[data-id="${id}"] .wish-bar`)?.getAttribute('aria-valuenow') === '250',
  wishId);
});

test('a gift above what is left offers the rest to the fund: the wish is then funded', async () => {
  await startGift(viewer, wishId, '200');
  await viewer.waitForSelector('#give-over:not([hidden])');
  assert.match(await viewer.textContent('#give-over-text'), /只差 ¥150/);
  assert.match(await viewer.textContent('#give-rest-fund'), /捐 ¥200：¥150 给这个心愿/);
  assert.equal(await viewer.isVisible('#give-result'), false);
  await viewer.click('#give-rest-fund');
  await viewer.waitForSelector('#give-result:not([hidden])');
  assert.equal((await viewer.textContent('#give-result [data-pay=amount]')).trim(), '¥200.00');
  const c = card(viewer, wishId);
  await viewer.locator(`#wish-list li.wish[data-id="${wishId}"][data-status="funded"]`)
    .waitFor({ state: 'attached' });
  assert.equal(await barOf(viewer, wishId), '1000');
  assert.equal(await c.locator('button.give').count(), 0);
  assert.equal(await c.locator('.wish-status').textContent(), '已筹满');
  await viewer.locator(`#my-wishes li[data-id="${wishId}"][data-status="funded"]`)
    .waitFor({ state: 'attached' });
  await viewer.click('#give-done');
  await screenshot(viewer, 'viewer-wishes');
});

test('a gift above what is left may give just what is left', async () => {
  // A second wish, posted by another phone and approved as posted from the console.
  const other = await phone(browser, `${site.base}/r/${site.room}`);
  await joined(other);
  const posted = await pageRequest(other, { type: 'wish.post', title: '给小学生买书包',
    story: '开学了，旧书包破了。', amount_fen: 8000, category: 'study', requester_name: '李明',
    contact: 'wx-liming' });
  assert.ok(posted.ack, JSON.stringify(posted));
  const id = posted.ack.wish.id;
  await other.context().close();
  // The console hears of it without a refresh (wish.pending).
  const item = host.locator(`#pending-wishes li[data-id="${id}"]`);
  await item.waitFor();
  await item.locator('button.approve').click();
  await card(viewer, id).waitFor();
  assert.equal(await viewer.locator('#wish-list li.wish').first().getAttribute('data-id'),
    String(id), 'newest first');

  await startGift(viewer, id, 10000);
  await viewer.waitForSelector('#give-over:not([hidden])');
  assert.match(await viewer.textContent('#give-left-only'), /只捐剩下的 ¥80/);
  await viewer.click('#give-left-only');
  await viewer.waitForSelector('#give-result:not([hidden])');
  assert.equal((await viewer.textContent('#give-result [data-pay=amount]')).trim(), '¥80.00');
  await viewer.locator(`#wish-list li.wish[data-id="${id}"][data-status="funded"]`)
    .waitFor({ state: 'attached' });
  await viewer.click('#give-done');
});

test('the host features a wish on the video and takes it off; the viewer sees which', async () => {
  const item = host.locator(`#public-wishes li[data-id="${wishId}"]`);
  await item.locator('button.feature').click();
  await viewer.locator(`#wish-list li.wish[data-id="${wishId}"][data-featured="1"]`).waitFor();
  assert.equal(await card(viewer, wishId).locator('.wish-featured').textContent(), '正在直播推荐');
  await host.locator(`#public-wishes li[data-id="${wishId}"][data-featured="1"]`).waitFor();
  await host.click('#wish-unfeature');
  await viewer.locator(`#wish-list li.wish[data-featured="1"]`).waitFor({ state: 'detached' });
  await host.waitForSelector('#wish-unfeature', { state: 'hidden' });
});

test('English on request; a rejection tells its poster why', async () => {
  await viewer.click('#lang-switch');
  assert.equal(await viewer.textContent('.tabs [data-tab=wishes]'), 'Wishes');
  assert.equal(await card(viewer, wishId).locator('.wish-status').textContent(), 'Fully pledged');
  await viewer.click('#lang-switch');
  const posted = await pageRequest(viewer, { type: 'wish.post', title: '买一部新手机',
    story: '想要最新款。', amount_fen: 500000, category: 'other', requester_name: '王五',
    contact: 'wx-wangwu' });
  const id = posted.ack.wish.id;
  await viewer.evaluate((x) => localStorage.setItem('boai.my_wishes',
    JSON.stringify([...JSON.parse(localStorage.getItem('boai.my_wishes')), x])), id);
  // The console hears of it without a refresh (wish.pending).
  const item = host.locator(`#pending-wishes li[data-id="${id}"]`);
  await item.waitFor();
  await item.locator('.reason').fill('不符合救助范围');
  await item.locator('button.reject').click();
  await item.waitFor({ state: 'detached' });
  // The poster learns it when the tab opens again.
  await viewer.click('.tabs [data-tab=chat]');
  await openWishes(viewer);
  const mine = viewer.locator(`#my-wishes li[data-id="${id}"][data-status="rejected"]`);
  await mine.waitFor();
  assert.equal(await mine.locator('.wish-reason').textContent(), '未通过的原因：不符合救助范围');
  assert.equal(await card(viewer, id).count(), 0);
});

test('the host marks the wish fulfilled with a proof photo and the spending; viewers see the proof', async () => {
  const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(256, 7)]);
  const item = host.locator(`#public-wishes li[data-id="${wishId}"]`);
  await item.locator('details.fulfil summary').click();
  // A file that is not an image is refused in words, and the wish stays as it was.
  await item.locator('.fulfil-note').fill('助听器已送到张奶奶家');
  await item.locator('.fulfil-proof').setInputFiles({ name: 'proof.png', mimeType: 'image/png',
    buffer: Buffer.from('not a picture') });
  await item.locator('button.fulfil').click();
  await host.waitForSelector('#toast.error[data-code="proof_not_image"]');
  assert.equal(await item.getAttribute('data-status'), 'funded');

  await item.locator('.fulfil-proof').setInputFiles({ name: 'proof.png', mimeType: 'image/png',
    buffer: png });
  await item.locator('.fulfil-spent').fill('180');
  await item.locator('.fulfil-payee').fill('柯桥助听器店');
  await item.locator('button.fulfil').click();
  await host.locator(`#public-wishes li[data-id="${wishId}"][data-status="fulfilled"]`).waitFor();
  await screenshot(host, 'host-wish-fulfilled');

  const proof = card(viewer, wishId).locator('a.wish-proof');
  await proof.waitFor();
  const href = await proof.getAttribute('href');
  assert.match(href, new RegExp(`^/proofs/wish-${wishId}-[0-9a-f]{16}\\.png$`));
  const served = await fetch(`${site.base}${href}`);
  assert.equal(served.status, 200);
  assert.deepEqual(Buffer.from(await served.arrayBuffer()), png);
});

test('the requester\'s contact is in the console and nowhere in the viewer\'s page', async () => {
  const html = await viewer.content();
  assert.ok(!html.includes(CONTACT) && !html.includes('wx-liming'));
  const typed = await viewer.evaluate(() => [...document.querySelectorAll('input, textarea')]
    .map((n) => n.value).join('\n') + JSON.stringify({ ...localStorage }));
  assert.ok(!typed.includes(CONTACT));
  assert.ok(viewerFrames.some((f) => f.includes('给小学生买书包')), 'the frames are watched');
  assert.ok(!viewerFrames.some((f) => f.includes(CONTACT) || f.includes('wx-liming')));
  assert.deepEqual([...viewer.pageErrors, ...host.pageErrors], []);
});
