// The viewer page in Chromium, two phones at 375 px against a real boai serve (no studio here):
// chat between them, a pledge moving the other's goal bar, XSS shown as text, host functions
// refused by the server, screenshots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSite, launchBrowser, phone, screenshot, joined, setNickname, sendChat, pledge, pageRequest, HOST_NAME,
  HOST_PASSWORD } from './support.mjs';
import { Client, runBoai, signIn, tempDir } from '../ws/support.mjs';

const XSS_IMG = '<img src=x onerror=window.__xss=1>';
const XSS_SCRIPT = '<script>window.__xss=1</script>';

let site;
let browser;

// The ledger's pledge entries, oldest first, as the public export has them.
async function ledgerPledges() {
  const out = tempDir('export');
  const r = await runBoai(['ledger', 'export', '--public', '--out', out, '--data-dir', site.dataDir]);
  assert.equal(r.code, 0, r.output);
  return JSON.parse(readFileSync(join(out, 'ledger.json'), 'utf8')).entries.filter((e) => e.kind === 'pledge');
}
let a;
let b;

before(async () => {
  // Nicknames up to 64 characters, so the XSS attempts fit in a nickname too; a quick rate limit
  // so the tests need not wait between requests.
  site = await startSite({ goalYuan: 1000, serveArgs: ['--no-studio', '--limits',
    'nickname_chars=64,messages_per_second=20,message_burst=40'] });
  browser = await launchBrowser();
  a = await phone(browser, `${site.base}/r/${site.room}`);
  b = await phone(browser, `${site.base}/r/${site.room}`);
  await joined(a);
  await joined(b);
});

after(async () => {
  await browser?.close();
  await site?.stop();
});

test('the front page finds the live room and shows the station in the footer', async () => {
  const page = await phone(browser, `${site.base}/`);
  await joined(page);
  assert.equal(await page.evaluate(() => window.boai.room), 'firstaid');
  assert.equal(await page.textContent('#campaign-title'), '急救知识直播课 · 博爱助学');
  assert.equal(await page.textContent('#footer-name'), '博爱家园 · 玉兰社区');
  assert.match(await page.textContent('#certificate'), /浙公募证字/);
  assert.equal(await page.textContent('#credit-code'), '51330621MJ0000000X');
  // Without a studio the stream is not there: a clear notice, no live badge.
  await page.waitForSelector('#offline:not([hidden])');
  assert.equal(await page.isHidden('#live-badge'), true);
  assert.deepEqual(page.pageErrors, []);
  await page.context().close();
});

test('an unknown room says so and lists the rooms there are', async () => {
  const page = await phone(browser, `${site.base}/r/no-such-room`);
  await page.waitForSelector('#lobby:not([hidden])');
  assert.equal(await page.textContent('#lobby-title'), '找不到这个直播间');
  await page.locator('#room-list a[href="/r/firstaid"]').waitFor();
  await page.context().close();
});

test('a chat message from one phone appears on the other', async () => {
  await setNickname(a, '小明');
  await sendChat(a, '大家好，第一次来学急救');
  const line = b.locator('#chat-list li.msg', { hasText: '大家好，第一次来学急救' });
  await line.waitFor();
  assert.equal(await line.locator('.nick').textContent(), '小明');
  await a.locator('#chat-list li.msg', { hasText: '大家好，第一次来学急救' }).waitFor();
  assert.match(await b.textContent('#viewer-count'), /\d+ 人在看/);
});

test('the host\'s chat carries a 主持 badge that a viewer\'s line does not', async () => {
  const host = await Client.open(site.port, { cookie: await signIn(site.port, HOST_NAME, HOST_PASSWORD) });
  await host.hello(site.room);
  const ack = await host.request({ type: 'chat.send', text: '欢迎大家来到急救课' });
  assert.equal(ack.type, 'ack', JSON.stringify(ack));
  const line = b.locator(`#chat-list li.msg[data-id="${ack.id}"]`);
  await line.waitFor();
  assert.equal(await line.locator('.badge').textContent(), '主持');
  assert.equal(await line.locator('.nick').textContent(), HOST_NAME);
  const viewerLine = b.locator('#chat-list li.msg', { hasText: '大家好，第一次来学急救' });
  assert.equal(await viewerLine.locator('.badge').count(), 0);
  // A viewer asking for the host's name is refused.
  const posing = await Client.open(site.port);
  assert.equal((await posing.hello(site.room, { nickname: HOST_NAME })).code, 'nickname_reserved');
  await posing.close();
  await host.close();
});

test('a pledge from one phone moves the goal bar on the other and its masked name appears', async () => {
  const before = Number(await b.getAttribute('#goal-bar', 'data-pledged-fen'));
  const reference = await pledge(a, { preset: 10000, name: '张三', message: '为 AED 加油' });
  assert.match(reference, /^[A-Z0-9]{6,}$/);
  assert.equal((await a.textContent('#pay-remark')).trim(), reference);
  assert.match(await a.textContent('#pay-account'), /绍兴银行/);
  assert.equal(await a.isVisible('#copy-ref'), true);
  await b.waitForFunction((n) => Number(document.querySelector('#goal-bar').dataset.pledgedFen) === n, before + 10000);
  assert.equal(await b.textContent('#pledged'), '¥100.00');
  // ¥100 of a ¥1,000 goal: a tenth of the bar.
  assert.equal(await b.getAttribute('#goal-bar', 'aria-valuenow'), '100');
  const first = b.locator('#donation-feed li').first();
  assert.equal(await first.locator('.donor').textContent(), '张*');
  assert.equal(await first.locator('.amount').textContent(), '¥100');
  assert.equal(await first.locator('.message').textContent(), '为 AED 加油');
  await screenshot(a, 'viewer-pledged');
});

test('a custom amount is parsed exactly and a second fund can be chosen', async () => {
  await a.click('#donate-again');
  assert.equal(await a.isVisible('#fund'), true);
  const reference = await pledge(a, { custom: '12.30', anonymous: true, fund: 'aed' });
  assert.ok(reference);
  assert.equal((await a.textContent('#ref-amount')).trim(), '¥12.30');
  await b.waitForFunction(() => document.querySelector('#pledged').textContent === '¥112.30');
  // The new total and the gift's line are two messages: the line may come a moment later.
  await b.waitForFunction(() => document.querySelector('#donation-feed li .amount')?.textContent === '¥12.30');
  assert.equal(await b.locator('#donation-feed li .donor').first().textContent(), '爱心人士');
  await a.click('#donate-again');
});

test('a pledge whose connection drops before the ack is sent again with its key: one pledge', async () => {
  await a.click('.tabs [data-tab=donate]');
  const count = () => b.evaluate(() => document.querySelectorAll('#donation-feed li').length);
  const before = Number(await b.getAttribute('#goal-bar', 'data-pledged-fen'));
  const feedBefore = await count();
  const pledgesBefore = (await ledgerPledges()).length;
  await a.click('#presets .preset[data-fen="1000"]');
  await a.uncheck('#anonymous');
  await a.fill('#donor-name', '王五');
  // The pledge leaves, then the connection drops at once: closed, a socket delivers no answer.
  await a.evaluate(() => {
    const send = WebSocket.prototype.send;
    window.__frames = [];
    WebSocket.prototype.send = function (data) {
      const frame = JSON.parse(data);
      window.__frames.push(frame);
      send.call(this, data);
      if (frame.type === 'pledge.create' && window.__frames.filter((f) => f.type === 'pledge.create').length === 1) {
        this.close();
      }
    };
    document.querySelector('#donate-submit').click();
  });
  await a.waitForSelector('#donate-result:not([hidden])', { timeout: 20000 });
  // Sent, then sent again on the new connection, with the same key.
  const pledges = await a.evaluate(() => window.__frames.filter((f) => f.type === 'pledge.create'));
  assert.equal(pledges.length, 2, JSON.stringify(pledges));
  assert.equal(new Set(pledges.map((f) => f.idempotency_key)).size, 1);
  // The answer to the second came after both were in: the ledger holds that one pledge, once.
  const reference = (await a.textContent('#ref-code')).trim();
  const added = (await ledgerPledges()).slice(pledgesBefore);
  assert.deepEqual(added.map((e) => [e.reference, e.amount_fen]), [[reference, 1000]]);
  await b.waitForFunction((n) => Number(document.querySelector('#goal-bar').dataset.pledgedFen) === n, before + 1000);
  assert.equal(await count(), Math.min(feedBefore + 1, 8));
  await a.click('#donate-again');
});

test('an amount out of range is refused in words', async () => {
  await a.click('.tabs [data-tab=donate]');
  await a.fill('#custom-amount', '0.5');
  await a.click('#donate-submit');
  await a.waitForSelector('#donate-error:not([hidden])');
  assert.equal(await a.getAttribute('#donate-error', 'data-code'), 'amount_out_of_range');
  assert.match(await a.textContent('#donate-error'), /¥1 到 ¥50,000/);
  await a.fill('#custom-amount', '');
  await a.click('.tabs [data-tab=chat]');
});

test('XSS attempts in nickname, chat and donation message render as text on every page', async () => {
  const c = await phone(browser, `${site.base}/r/${site.room}`);
  await joined(c);
  // An attacker does not care for the form's maxlength; the server allows 64 here.
  await c.evaluate(() => document.querySelector('#nick-input').removeAttribute('maxlength'));
  await c.evaluate(() => document.querySelector('#donor-name').removeAttribute('maxlength'));
  await setNickname(c, XSS_IMG);
  await sendChat(c, XSS_SCRIPT);
  await sendChat(c, XSS_IMG);
  await pledge(c, { preset: 1000, name: XSS_SCRIPT, message: XSS_IMG });
  await c.click('.tabs [data-tab=chat]');
  for (const page of [a, b, c]) {
    await page.locator('#chat-list li.msg .text', { hasText: XSS_SCRIPT }).first().waitFor();
    await page.locator('#chat-list li.msg .nick', { hasText: XSS_IMG }).first().waitFor();
    await page.locator('#donation-feed .message', { hasText: XSS_IMG }).first().waitFor();
    assert.equal(await page.locator('#chat-list li.msg .text', { hasText: XSS_SCRIPT }).first().isVisible(), true);
    assert.equal(await page.locator('#chat-list img, #donation-feed img, #chat-list script').count(), 0);
    assert.equal(await page.evaluate(() => window.__xss), undefined);
  }
  await screenshot(c, 'viewer-xss');
  await c.context().close();
});

test('a viewer cannot use host functions: the server refuses on the page\'s own WebSocket', async () => {
  const id = await a.locator('#chat-list li.msg[data-id]').first().getAttribute('data-id');
  for (const frame of [
    { type: 'mod.delete', id: Number(id) },
    { type: 'mod.mute', id: Number(id) },
    { type: 'mod.ban', id: Number(id) },
    { type: 'mod.slow', seconds: 30 },
    { type: 'mod.clear' },
  ]) {
    const r = await pageRequest(a, frame);
    assert.equal(r.code, 'not_allowed', `${frame.type}: ${JSON.stringify(r)}`);
  }
  // Refused for who asks, before the server looks for a studio (there is none on this node).
  const studio = await pageRequest(a, { type: 'studio.go_live' });
  assert.equal(studio.code, 'not_allowed', JSON.stringify(studio));
  // The message is still there, and the preview is closed to viewers.
  assert.equal(await b.locator(`#chat-list li.msg[data-id="${id}"]`).count(), 1);
  assert.equal(await a.evaluate(async () => (await fetch('/api/studio/preview.png')).status), 401);
});

test('a dropped connection resumes silently with last_seq: nothing lost, nothing twice', async () => {
  await a.evaluate(() => window.boai.client.ws.close());
  await sendChat(b, '掉线时发的消息');
  await a.locator('#chat-list li.msg', { hasText: '掉线时发的消息' }).waitFor({ timeout: 15000 });
  await sendChat(a, '我回来了');
  await b.locator('#chat-list li.msg', { hasText: '我回来了' }).waitFor();
  const ids = await a.$$eval('#chat-list li.msg[data-id]', (lis) => lis.map((l) => l.dataset.id));
  assert.equal(new Set(ids).size, ids.length);
  assert.equal(await a.isHidden('#connection'), true);
});

test('chat errors are told in words: too long', async () => {
  const r = await a.evaluate(async () => {
    document.querySelector('#chat-input').removeAttribute('maxlength');
    document.querySelector('#chat-input').value = '长'.repeat(201);
    document.querySelector('#chat-send').click();
  });
  void r;
  await a.waitForSelector('#chat-error:not([hidden])');
  assert.equal(await a.getAttribute('#chat-error', 'data-code'), 'too_long');
  assert.match(await a.textContent('#chat-error'), /内容太长/);
  await a.fill('#chat-input', '');
});

test('English on request, kept across reloads', async () => {
  await b.click('#lang-switch');
  assert.equal(await b.textContent('.tabs [data-tab=donate]'), 'Donate');
  await b.reload();
  await joined(b);
  assert.equal(await b.textContent('.tabs [data-tab=chat]'), 'Chat');
  assert.match(await b.textContent('#viewer-count'), /watching/);
  await b.click('#lang-switch');
  assert.equal(await b.textContent('.tabs [data-tab=chat]'), '聊天');
});

test('the replay library pages through its recordings with 更多, newest first, none twice', async () => {
  // 45 past classes, one a day: more than two pages of the page's 20.
  const dir = join(site.dataDir, 'recordings');
  mkdirSync(dir, { recursive: true });
  const names = [];
  for (let day = 1; day <= 45; day++) {
    const date = new Date(Date.UTC(2026, 8, day, 11, 30, 0));
    const stamp = date.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
    names.push(`firstaid-${stamp}.mkv`);
    writeFileSync(join(dir, names.at(-1)), 'x'.repeat(day));
  }
  const newestFirst = [...names].reverse();
  const page = await phone(browser, `${site.base}/r/${site.room}`);
  await joined(page);
  await page.click('.tabs [data-tab=replays]');
  const listed = () => page.$$eval('#replay-list li', (items) => items.map((li) => li.dataset.name));
  await page.waitForFunction(() => document.querySelectorAll('#replay-list li').length === 20);
  assert.deepEqual(await listed(), newestFirst.slice(0, 20));
  assert.equal(await page.textContent('#replays-more'), '更多');
  await page.click('#replays-more');
  await page.waitForFunction(() => document.querySelectorAll('#replay-list li').length === 40);
  assert.equal(await page.isVisible('#replays-more'), true);
  await page.click('#replays-more');
  await page.waitForFunction(() => document.querySelectorAll('#replay-list li').length === 45);
  await page.waitForSelector('#replays-more', { state: 'hidden' });
  assert.deepEqual(await listed(), newestFirst);
  assert.equal(await page.isHidden('#replays-empty'), true);
  // Opening the tab again starts from the newest page.
  await page.click('.tabs [data-tab=chat]');
  await page.click('.tabs [data-tab=replays]');
  await page.waitForFunction(() => document.querySelectorAll('#replay-list li').length === 20);
  assert.equal(await page.isVisible('#replays-more'), true);
  assert.deepEqual(page.pageErrors, []);
  await page.context().close();
});

test('screenshots of the viewer page at 375 px', async () => {
  await a.click('.tabs [data-tab=chat]');
  await screenshot(a, 'viewer-chat');
  await a.click('.tabs [data-tab=donate]');
  await screenshot(a, 'viewer-donate');
  await a.click('.tabs [data-tab=replays]');
  await a.waitForSelector('#replays-empty:not([hidden]), #replay-list li');
  await screenshot(a, 'viewer-replays');
  assert.deepEqual([...a.pageErrors, ...b.pageErrors], []);
});
