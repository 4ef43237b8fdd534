// What the browser tests share: a real `boai serve` with a private PostgreSQL (through
// ../ws/support.mjs), Debian's Chromium driven by playwright-core, phone-sized pages, screenshots.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { runBoai, startBoai, tempDir } from '../ws/support.mjs';

export { sleep, signIn } from '../ws/support.mjs';

export const CHROMIUM = process.env.BOAI_CHROMIUM ?? '/usr/bin/chromium';
export const HOST_NAME = '王主播';
export const HOST_PASSWORD = 'first-aid-2026';

// Where screenshots go: the build's test output folder.
export const OUTPUT = resolve(process.env.BOAI_TEST_OUTPUT ?? join(process.cwd(), 'test-output'), 'e2e');
mkdirSync(OUTPUT, { recursive: true });

async function must(args, input) {
  const r = await runBoai(args, { input });
  if (r.code !== 0) throw new Error(`boai ${args.join(' ')} failed: ${r.output}`);
  return r.output;
}

// A data directory with a live campaign (two funds), a host and, if asked, a finance account; then
// `boai serve` on a free port. serveArgs: extra flags (--no-studio, --limits ...).
export async function startSite({ room = 'firstaid', goalYuan = 50000, serveArgs = [] } = {}) {
  const dataDir = tempDir('e2e');
  const d = ['--data-dir', dataDir];
  await must(['fund', 'add', 'aed', '--name', 'AED 救命神器', ...d]);
  await must(['campaign', 'add', room, '--title', '急救知识直播课 · 博爱助学', '--goal', String(goalYuan),
    '--also-fund', 'aed', '--live', ...d]);
  await must(['user', 'add', HOST_NAME, '--role', 'host', ...d], `${HOST_PASSWORD}\n`);
  await must(['user', 'add', '李会计', '--role', 'finance', ...d], 'finance-pass-2026\n');
  const server = await startBoai(['--listen', '127.0.0.1:0', ...d,
    '--station-name', '博爱家园 · 玉兰社区', '--certificate', '浙公募证字第 0001 号',
    '--credit-code', '51330621MJ0000000X', '--pay-account', '柯桥区红十字会 · 绍兴银行 1234 5678 9012',
    ...serveArgs]);
  const base = `http://127.0.0.1:${server.port}`;
  return { ...server, base, room, dataDir };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--autoplay-policy=no-user-gesture-required'],
  });
}

// What the Content-Security-Policy blocked (Chromium says so on the console) counts as an error of
// the page: the pages must work under it.
export function watchPolicy(page) {
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) page.pageErrors.push(`csp: ${m.text()}`);
  });
}

// A phone: 375 px wide, its own storage (so its own session id), errors in the page collected.
export async function phone(browser, url) {
  const context = await browser.newContext({ viewport: { width: 375, height: 740 }, deviceScaleFactor: 2,
    isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  page.pageErrors = [];
  page.on('pageerror', (e) => page.pageErrors.push(e.message));
  watchPolicy(page);
  page.on('dialog', (d) => d.accept());
  if (url) await page.goto(url);
  return page;
}

export async function screenshot(page, name) {
  const path = join(OUTPUT, `${name}.png`);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path, fullPage: true });
  return path;
}

// The address a page loaded its module web/static/js/NAME.js from (the built tree names it by its
// hash), for a test that imports the same module into the page.
export async function moduleUrl(page, name) {
  const url = await page.evaluate((n) => performance.getEntriesByType('resource').map((e) => e.name)
    .find((u) => new RegExp(`/js/${n}\\.[0-9a-f]{10}\\.js$`).test(u)), name);
  if (!url) throw new Error(`the page did not load js/${name}.js`);
  return url;
}

// The viewer page is in its room: the welcome arrived.
export async function joined(page) {
  await page.waitForFunction(() => window.boai?.client?.welcomed
    && document.querySelector('#campaign-title').textContent.length > 0);
}

export async function setNickname(page, nick) {
  if (await page.locator('#nick-form').isHidden()) await page.click('#nick-change');
  await page.fill('#nick-input', nick);
  await page.click('#nick-form button[type=submit]');
  await page.waitForFunction((n) => document.querySelector('#nick-current').textContent === n
    && window.boai.client.welcomed && window.boai.client.nickname === n, nick);
}

export async function sendChat(page, text) {
  await page.fill('#chat-input', text);
  await page.click('#chat-send');
  await page.waitForFunction(() => document.querySelector('#chat-input').value === '');
}

// Pledges from the donate tab: amountYuan (a preset when one matches), name, message.
export async function pledge(page, { preset, custom, name, message, anonymous = false, fund } = {}) {
  await page.click('.tabs [data-tab=donate]');
  if (preset) await page.click(`#presets .preset[data-fen="${preset}"]`);
  if (custom) await page.fill('#custom-amount', custom);
  if (fund) await page.selectOption('#fund', fund);
  if (anonymous) await page.check('#anonymous');
  else {
    await page.uncheck('#anonymous');
    if (name) await page.fill('#donor-name', name);
  }
  if (message) await page.fill('#donate-message', message);
  await page.click('#donate-submit');
  await page.waitForSelector('#donate-result:not([hidden])');
  return (await page.textContent('#ref-code')).trim();
}

// Runs a boai.v1 request on the page's own WebSocket and returns {ack} or {code}.
export async function pageRequest(page, frame) {
  return page.evaluate(async (f) => {
    try {
      return { ack: await window.boai.client.request(f) };
    } catch (e) {
      return { code: e.code, message: e.message };
    }
  }, frame);
}
