// Paying in one tap in Chromium against a real boai serve whose WeChat Pay and Alipay are the
// stand-in (tests/providers/standin.mjs, checking our signatures with the providers' Node SDKs):
// a laptop gets QR codes and sees "支付成功" when the notice lands; a phone browser goes to the
// provider's page; inside WeChat the page goes through WeChat's web authorization and pays
// through WeixinJSBridge with parameters we signed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createVerify, generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSite, launchBrowser, joined, pledge, screenshot, watchPolicy } from './support.mjs';
import { tempDir, until } from '../ws/support.mjs';
import { startStandin } from '../providers/standin.mjs';

const PUBLIC_URL = 'https://boai.example';
const UA = {
  laptop: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
  phone: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
  wechat: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN',
};

let site;
let browser;
let standin;
let keys;

function rsa() {
  return generateKeyPairSync('rsa', { modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
}

// WeChat Pay's platform certificate: self-signed with a serial of our choosing.
function platformCertificate(dir) {
  const serial = '1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C';
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'platform_key.pem'),
    '-out', join(dir, 'platform.pem'), '-subj', '/CN=Tenpay.com Root CA', '-days', '2', '-set_serial', `0x${serial}`],
  { stdio: 'ignore' });
  return { serial, privateKey: readFileSync(join(dir, 'platform_key.pem'), 'utf8') };
}

before(async () => {
  const dir = tempDir('pay-keys');
  keys = { merchant: rsa(), app: rsa(), alipay: rsa(), wrong: rsa(), platform: platformCertificate(dir) };
  const config = {
    port: 0,
    wrong_private_key_pem: keys.wrong.privateKey,
    wechat: { mchid: '1900000109', appid: 'wxd678efh567hg6787', app_secret: 'standin-app-secret',
      merchant_serial: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1', merchant_public_key_pem: keys.merchant.publicKey,
      platform_private_key_pem: keys.platform.privateKey, platform_serial: keys.platform.serial,
      apiv3_key: '0123456789abcdefghijklmnopqrstuv' },
    alipay: { app_id: '2021000000000001', seller_id: '2088101117955611', app_public_key_pem: keys.app.publicKey,
      alipay_private_key_pem: keys.alipay.privateKey, alipay_public_key_pem: keys.alipay.publicKey },
    oauth_codes: { 'code-of-donor': 'oDonorOpenid0001' },
  };
  standin = await startStandin(config);
  const files = { 'apiv3.key': config.wechat.apiv3_key, 'merchant_key.pem': keys.merchant.privateKey,
    app_secret: `${config.wechat.app_secret}\n`, 'alipay_public.pem': keys.alipay.publicKey,
    'app_key.pem': keys.app.privateKey };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const base = `http://127.0.0.1:${standin.port}`;
  site = await startSite({ serveArgs: ['--no-studio', '--public-url', PUBLIC_URL,
    '--wechatpay-mchid', config.wechat.mchid, '--wechatpay-apiv3-key-file', join(dir, 'apiv3.key'),
    '--wechatpay-platform-cert', join(dir, 'platform.pem'), '--wechatpay-serial', config.wechat.merchant_serial,
    '--wechatpay-private-key', join(dir, 'merchant_key.pem'), '--wechatpay-appid', config.wechat.appid,
    '--wechatpay-app-secret-file', join(dir, 'app_secret'), '--wechatpay-api-base', base,
    '--wechat-oauth-base', base, '--alipay-app-id', config.alipay.app_id,
    '--alipay-seller-id', config.alipay.seller_id, '--alipay-public-key', join(dir, 'alipay_public.pem'),
    '--alipay-private-key', join(dir, 'app_key.pem'), '--alipay-gateway', `${base}/gateway.do`] });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await site?.stop();
  standin?.close();
});

async function viewer(userAgent, { mobile = true } = {}) {
  const context = await browser.newContext({ userAgent, locale: 'zh-CN', timezoneId: 'Asia/Shanghai',
    viewport: mobile ? { width: 375, height: 740 } : { width: 1280, height: 900 }, isMobile: mobile, hasTouch: mobile });
  const page = await context.newPage();
  page.pageErrors = [];
  page.on('pageerror', (e) => page.pageErrors.push(e.message));
  watchPolicy(page);
  await page.goto(`${site.base}/r/${site.room}`);
  await joined(page);
  return page;
}

const offeredMethods = (page) => page.$$eval('#donate-result [data-pay="online"] button', (bs) => bs.map((b) => b.dataset.method));

// The stand-in takes the donor's money and sends its notice to our notify URL (on this site).
async function payWithNotice(provider, reference) {
  const order = standin.pay(provider, reference);
  const delivered = await standin.deliver(order, site.base);
  assert.equal(new URL(order.notify_url).origin, PUBLIC_URL);
  return delivered;
}

test('a laptop gets QR codes, and 支付成功 shows from the room\'s event when the notice lands', async () => {
  const page = await viewer(UA.laptop, { mobile: false });
  await page.evaluate(() => {
    window.roomEvents = [];
    window.boai.client.on('event', (e) => window.roomEvents.push(e));
  });
  // The panel asks for the pledge's state once as it opens; after that only the room's
  // donation.paid event can say it was paid (asks that follow are refused here).
  let asks = 0;
  await page.route(/\/api\/pay\/orders\/[A-Z0-9]+$/, (route) => (++asks === 1 ? route.continue()
    : route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":"db_unavailable"}' })));
  const reference = await pledge(page, { preset: 5000, name: '张三' });
  await page.waitForSelector('#donate-result [data-pay="online"] button');
  assert.deepEqual(await offeredMethods(page), ['wechat_native', 'alipay_qr']);
  assert.match(await page.textContent('#donate-result'), /银行转账/); // the fallback stays
  await page.click('#donate-result button[data-method="wechat_native"]');
  const qr = await page.waitForSelector('#donate-result img.pay-qr-online');
  assert.match(await qr.getAttribute('data-code-url'), /^weixin:\/\/wxpay\/bizpayurl\?pr=/);
  assert.equal(standin.orders.get(`wechat:${reference}`).amount_fen, 5000);
  const delivered = await payWithNotice('wechat', reference);
  assert.equal(delivered.status, 204);
  await page.waitForSelector('#donate-result [data-pay="paid"]');
  assert.equal(await page.textContent('#donate-result [data-pay="paid"]'), '支付成功，感谢您的爱心！');
  // The room's received_fen moved with it (the goal bar's 已到账).
  await page.waitForFunction(() => document.querySelector('#received').textContent === '¥50.00');
  // The feed's line for the gift says 已到账; the event names the pledge, never its reference.
  await page.waitForSelector('#donation-feed li.donation .paid');
  assert.equal(await page.textContent('#donation-feed li.donation .paid'), '已到账');
  const events = await page.evaluate(() => window.roomEvents);
  const paid = events.find((m) => m.type === 'donation.paid');
  assert.ok(paid, JSON.stringify(events));
  assert.equal(paid.amount_fen, 5000);
  assert.equal(paid.paid_in_full, true);
  assert.equal(paid.kind, 'gift');
  assert.equal(paid.display_name, '张*');
  assert.ok(!JSON.stringify(paid).includes(reference));
  assert.equal(asks, 1);
  await screenshot(page, 'pay-laptop-paid');
  assert.deepEqual(page.pageErrors, []);
  await page.context().close();
});

test('a phone browser goes to the provider page, and the Alipay notice settles pledge and order', async () => {
  const page = await viewer(UA.phone);
  const reference = await pledge(page, { preset: 1000, name: '李四' });
  await page.waitForSelector('#donate-result [data-pay="online"] button');
  assert.deepEqual(await offeredMethods(page), ['wechat_h5', 'alipay_wap']);
  await Promise.all([page.waitForURL(/\/gateway\.do\?/), page.click('#donate-result button[data-method="alipay_wap"]')]);
  assert.match(await page.textContent('#cashier'), new RegExp(`${reference} ¥10.00`));
  const delivered = await payWithNotice('alipay', reference);
  assert.equal(delivered.text, 'success');
  // The notice settles its order too (the poller's sweep it starts), not only the pledge.
  let status;
  await until(async () => {
    status = await (await fetch(`${site.base}/api/pay/orders/${reference}`)).json();
    return status.orders[0]?.status === 'paid';
  }, 'the order paid');
  assert.equal(status.paid, true);
  assert.deepEqual(status.orders, [{ provider: 'alipay', method: 'wap', status: 'paid' }]);
  await page.context().close();
});

test('inside WeChat the page authorizes, then pays through WeixinJSBridge with our signature', async () => {
  const page = await viewer(UA.wechat);
  await page.addInitScript(() => {
    window.WeixinJSBridge = { invoke(name, params, done) { window.wxpay = { name, params }; done({ err_msg: 'get_brand_wcpay_request:ok' }); } };
  });
  // WeChat's authorization page, played here: our redirect to it is taken (routes do not see
  // redirected requests), checked, and answered as WeChat would, with a code.
  let authorize = null;
  await page.route(`${site.base}/api/pay/wechat/oauth?*`, async (route) => {
    const ours = await route.fetch({ maxRedirects: 0 });
    authorize = new URL(ours.headers().location);
    const back = new URL(authorize.searchParams.get('redirect_uri'));
    const state = encodeURIComponent(authorize.searchParams.get('state'));
    return route.fulfill({ status: 302,
      headers: { Location: `${site.base}${back.pathname}?code=code-of-donor&state=${state}` } });
  });
  const reference = await pledge(page, { preset: 5000, name: '王五' });
  await page.waitForSelector('#donate-result [data-pay="online"] button');
  assert.deepEqual(await offeredMethods(page), ['wechat_jsapi']);
  await page.click('#donate-result button[data-method="wechat_jsapi"]');
  await page.waitForURL(new RegExp(`\\?pay=${reference}$`));
  assert.equal(`${authorize.origin}${authorize.pathname}`, 'https://open.weixin.qq.com/connect/oauth2/authorize');
  assert.equal(authorize.searchParams.get('appid'), 'wxd678efh567hg6787');
  assert.equal(authorize.searchParams.get('scope'), 'snsapi_base');
  assert.equal(authorize.searchParams.get('redirect_uri'), `${PUBLIC_URL}/api/pay/wechat/oauth/back`);
  await page.waitForFunction(() => window.wxpay);
  const { name, params } = await page.evaluate(() => window.wxpay);
  assert.equal(name, 'getBrandWCPayRequest');
  assert.equal(params.appId, 'wxd678efh567hg6787');
  assert.match(params.package, /^prepay_id=wx/);
  assert.equal(params.signType, 'RSA');
  const signed = `${params.appId}\n${params.timeStamp}\n${params.nonceStr}\n${params.package}\n`;
  assert.ok(createVerify('RSA-SHA256').update(signed).verify(keys.merchant.publicKey, params.paySign, 'base64'));
  assert.equal(standin.orders.get(`wechat:${reference}`).openid, 'oDonorOpenid0001');
  await payWithNotice('wechat', reference);
  await page.waitForSelector('#donate-result [data-pay="paid"]');
  await screenshot(page, 'pay-wechat-paid');
  assert.deepEqual(page.pageErrors, []);
  await page.context().close();
});

test('one address asking for orders by the hundred is slowed down with 429 rate_limited', async () => {
  // Orders and status asks, in turn: they share one limit (60 a minute, a burst of 15).
  const ask = (i) => (i % 2 === 0
    ? fetch(`${site.base}/api/pay/orders`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ reference: `NOSUCH${String(i).padStart(2, '0')}`, method: 'wechat_native' }) })
    : fetch(`${site.base}/api/pay/orders/NOSUCH${String(i).padStart(2, '0')}`));
  const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => ask(i)));
  const codes = await Promise.all(answers.map(async (r, i) => `${i % 2 ? 'GET' : 'POST'} ${r.status} ${(await r.json()).error}`));
  assert.ok(codes.includes('POST 429 rate_limited'), codes.join(', '));
  assert.ok(codes.includes('GET 429 rate_limited'), codes.join(', '));
  // The rest were answered as such asks are: no such pledge.
  assert.deepEqual([...new Set(codes.filter((c) => !c.includes(' 429 ')).map((c) => c.slice(c.indexOf(' ') + 1)))],
    ['404 pledge_not_found']);
});

test('every request the stand-in saw carried our valid signature', () => {
  assert.ok(standin.log.length >= 4);
  for (const call of standin.log) assert.equal(call.ok, true, JSON.stringify(call));
});
