// The host console in Chromium against a real boai serve (no studio here): only the sign-in form
// without a session, sign-in, delete and ban from the console reaching the viewers, XSS as text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSite, launchBrowser, phone, screenshot, joined, setNickname, sendChat, moduleUrl, HOST_NAME,
  HOST_PASSWORD } from './support.mjs';

const XSS_IMG = '<img src=x onerror=window.__xss=1>';
const XSS_SCRIPT = '<script>window.__xss=1</script>';

let site;
let browser;
let host;
let viewer;

before(async () => {
  site = await startSite({ serveArgs: ['--no-studio', '--limits', 'nickname_chars=64,messages_per_second=20,message_burst=40'] });
  browser = await launchBrowser();
  viewer = await phone(browser, `${site.base}/r/${site.room}`);
  await joined(viewer);
});

after(async () => {
  await browser?.close();
  await site?.stop();
});

async function signInAs(page, name, password) {
  await page.fill('#signin-name', name);
  await page.fill('#signin-password', password);
  await page.click('#signin-submit');
}

test('without signing in, /host shows the sign-in form only, and the server refuses staff requests', async () => {
  const page = await phone(browser, `${site.base}/host`);
  await page.waitForSelector('#signin:not([hidden])');
  assert.equal(await page.isHidden('#console'), true);
  await screenshot(page, 'host-signin');
  // Not the page's doing: the server itself refuses.
  assert.equal(await page.evaluate(async () => (await fetch('/api/studio/preview.png')).status), 401);
  const refused = await page.evaluate(async ({ room, liveClient }) => {
    const { LiveClient } = await import(liveClient);
    const c = new LiveClient({ room, sessionKey: 'probe' });
    window.boai = { client: c };
    c.connect();
    await new Promise((r) => c.on('welcome', r));
    const out = {};
    for (const type of ['mod.delete', 'mod.clear', 'mod.slow']) {
      try {
        await c.request({ type, id: 1, seconds: 5 });
        out[type] = 'ack';
      } catch (e) {
        out[type] = e.code;
      }
    }
    c.stop();
    return out;
  }, { room: site.room, liveClient: await moduleUrl(page, 'live_client') });
  assert.deepEqual(refused, { 'mod.delete': 'not_allowed', 'mod.clear': 'not_allowed', 'mod.slow': 'not_allowed' });
  await page.context().close();
});

test('a wrong password is turned away in words; finance gets the console to vet wishes only', async () => {
  const page = await phone(browser, `${site.base}/host`);
  await page.waitForSelector('#signin:not([hidden])');
  await signInAs(page, HOST_NAME, 'not the password');
  await page.waitForSelector('#signin-error:not([hidden])');
  assert.equal(await page.textContent('#signin-error'), '用户名或密码不正确');
  await signInAs(page, '李会计', 'finance-pass-2026');
  await page.waitForSelector('#console:not([hidden])');
  await page.waitForFunction(() => window.boai?.client?.welcomed);
  assert.equal(await page.isVisible('#wishes-card'), true);
  for (const hidden of ['#broadcast-card', '#sales-card', '.chat-card']) {
    assert.equal(await page.isHidden(hidden), true, `${hidden} is the hosts'`);
  }
  await page.context().close();
});

test('the host signs in and sees the room', async () => {
  host = await phone(browser, `${site.base}/host`);
  await host.waitForSelector('#signin:not([hidden])');
  await signInAs(host, HOST_NAME, HOST_PASSWORD);
  await host.waitForSelector('#console:not([hidden])');
  await host.waitForFunction(() => window.boai?.client?.welcomed);
  assert.equal(await host.textContent('#who'), HOST_NAME);
  assert.equal(await host.inputValue('#room-picker'), site.room);
  // Without a studio on this server the console says so and keeps chat moderation.
  assert.equal(await host.isVisible('#no-studio'), true);
  // A reload keeps the session (GET /api/me).
  await host.reload();
  await host.waitForSelector('#console:not([hidden])');
  await host.waitForFunction(() => window.boai?.client?.welcomed);
});

test('XSS attempts from a viewer render as text in the console', async () => {
  const c = await phone(browser, `${site.base}/r/${site.room}`);
  await joined(c);
  await c.evaluate(() => document.querySelector('#nick-input').removeAttribute('maxlength'));
  await setNickname(c, XSS_IMG);
  await sendChat(c, XSS_SCRIPT);
  await host.locator('#host-chat .text', { hasText: XSS_SCRIPT }).waitFor();
  await host.locator('#host-chat .nick', { hasText: XSS_IMG }).first().waitFor();
  assert.equal(await host.locator('#host-chat img, #host-chat script').count(), 0);
  assert.equal(await host.evaluate(() => window.__xss), undefined);
  await c.context().close();
});

test('the host deletes a message: it disappears for the viewer', async () => {
  await setNickname(viewer, '路人甲');
  await sendChat(viewer, '这条消息会被删除');
  const line = host.locator('#host-chat li', { hasText: '这条消息会被删除' });
  await line.waitFor();
  const id = await line.getAttribute('data-id');
  await viewer.locator(`#chat-list li.msg[data-id="${id}"]`).waitFor();
  await line.locator('button.delete').click();
  await viewer.locator(`#chat-list li.msg[data-id="${id}"]`).waitFor({ state: 'detached' });
  await host.locator(`#host-chat li[data-id="${id}"]`).waitFor({ state: 'detached' });
  await viewer.locator('#chat-list li.system').first().waitFor();
});

test('slow mode from the console reaches the viewer; a failed action says why', async () => {
  await host.selectOption('#slow-seconds', '10');
  await host.click('#slow-apply');
  await viewer.waitForSelector('#slow-mode:not([hidden])');
  assert.match(await viewer.textContent('#slow-mode'), /10 秒/);
  await host.selectOption('#slow-seconds', '0');
  await host.click('#slow-apply');
  await viewer.waitForSelector('#slow-mode', { state: 'hidden' });
  // A failed action says why: "go live" where no studio runs (the button is off; turn it on).
  assert.equal(await host.isDisabled('#go-live'), true);
  await host.evaluate(() => (document.querySelector('#go-live').disabled = false));
  await host.click('#go-live');
  await host.waitForSelector('#toast.error:not([hidden])');
  assert.equal(await host.getAttribute('#toast', 'data-code'), 'studio_unavailable');
  assert.match(await host.textContent('#toast'), /操作失败：这台服务器上没有运行演播室/);
  await screenshot(host, 'host-console');
});

test('blocked words set from the console refuse a viewer\'s message in words', async () => {
  await host.fill('#blocked-words', '骗子, 转账到私人账户');
  await host.click('#blocked-form button[type=submit]');
  await host.waitForSelector('#toast.ok:not([hidden])');
  await viewer.fill('#chat-input', '主播是骗子');
  await viewer.click('#chat-send');
  await viewer.waitForSelector('#chat-error:not([hidden])');
  assert.equal(await viewer.getAttribute('#chat-error', 'data-code'), 'blocked_word');
  assert.equal(await viewer.textContent('#chat-error'), '消息含有不允许的词语，未发送');
  assert.equal(await host.locator('#host-chat li', { hasText: '主播是骗子' }).count(), 0);
  await viewer.fill('#chat-input', '');
});

test('the host bans a viewer: the viewer is removed and kept out', async () => {
  await sendChat(viewer, '我要捣乱');
  const line = host.locator('#host-chat li', { hasText: '我要捣乱' });
  await line.waitFor();
  await line.locator('button.ban').click(); // the confirm dialog is accepted by the test's phone
  await viewer.waitForFunction(() => window.boai.client.refused?.code === 'banned', null, { timeout: 15000 });
  await viewer.waitForSelector('#connection:not([hidden])');
  assert.match(await viewer.textContent('#connection'), /移出/);
  assert.equal(await viewer.isDisabled('#chat-send'), true);
  // Coming back does not help: the next hello is refused too.
  await viewer.reload();
  await viewer.waitForFunction(() => window.boai?.client?.refused?.code === 'banned', null, { timeout: 15000 });
  await screenshot(viewer, 'viewer-banned');
  assert.deepEqual([...viewer.pageErrors, ...host.pageErrors], []);
});

// A ban covers the viewer's address; a host on the same Wi-Fi as the viewer they banned (the
// station's hall) must still get into their own console.
test('the host who banned a viewer on the same address still gets in', async () => {
  await host.reload();
  await host.waitForFunction(() => window.boai?.client?.welcomed || window.boai?.client?.refused, null, { timeout: 15000 });
  assert.equal(await host.evaluate(() => window.boai.client.refused?.code ?? 'welcomed'), 'welcomed');
});
