// Payment notices against a real boai serve, signed and sealed by code nobody here wrote:
// wechatpay-axios-plugin's Rsa, Aes.AesGcm and Formatter for WeChat Pay (keys from node:crypto,
// the platform certificate from the openssl command), alipay-sdk's own notice check as the judge
// of the Alipay notices we sign, node:crypto's HMAC for the generic route. Genuine notices are
// recorded once however often they come; forged, stale, foreign and tampered ones are refused
// and counted; unknown references and differing amounts wait for finance.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHmac, createSign, generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AlipaySdk } from 'alipay-sdk';
import wechatpay from 'wechatpay-axios-plugin';
import { Client, runBoai, startBoai, tempDir, until } from './support.mjs';

const { Rsa, Aes, Formatter } = wechatpay;

const MCHID = '1900000109';
const APIV3_KEY = '0123456789abcdefghijklmnopqrstuv';
const SERIAL = '5157F09EFDC096DE15EBE81A47057A7232F1B8E1';
const APP_ID = '2021000000000001';
const SELLER_ID = '2088102177846880';
const HMAC_KEY = 'the bank system and the station share this key';

let dataDir;
let keysDir;
let boai;  // notices configured
let bare;  // none configured
const platform = generateKeyPairSync('rsa', { modulusLength: 2048 });
const impostor = generateKeyPairSync('rsa', { modulusLength: 2048 });
const alipayKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const alipaySdk = new AlipaySdk({
  appId: APP_ID,
  privateKey: alipayKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }),
  keyType: 'PKCS8',
  alipayPublicKey: alipayKeys.publicKey.export({ type: 'spki', format: 'pem' }),
});

function keyFile(name, text) {
  const path = join(keysDir, name);
  writeFileSync(path, text);
  return path;
}

// A self-signed platform certificate with WeChat Pay's kind of serial, for a node:crypto key.
function platformCertificate(privateKey, serial) {
  const keyPath = keyFile(`${serial}.key`, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const certPath = join(keysDir, `${serial}.pem`);
  execFileSync('openssl', ['req', '-x509', '-new', '-key', keyPath, '-subj', '/CN=Tenpay.com Root CA test',
    '-days', '2', '-set_serial', `0x${serial}`, '-out', certPath]);
  return certPath;
}

const flags = () => [
  '--wechatpay-mchid', MCHID,
  '--wechatpay-apiv3-key-file', keyFile('apiv3.key', `${APIV3_KEY}\n`),
  '--wechatpay-platform-cert', [platformCertificate(impostor.privateKey, '0A0B0C'),
    platformCertificate(platform.privateKey, SERIAL)].join(','),
  '--alipay-app-id', APP_ID,
  '--alipay-seller-id', SELLER_ID,
  '--alipay-public-key', keyFile('alipay.pem', alipayKeys.publicKey.export({ type: 'spki', format: 'pem' })),
  '--pay-notify-hmac-key-file', keyFile('hmac.key', HMAC_KEY),
];

before(async () => {
  dataDir = tempDir('notices');
  keysDir = tempDir('notice-keys');
  const r = await runBoai(['campaign', 'add', 'firstaid', '--title', '急救课', '--goal', '50000', '--live',
    '--data-dir', dataDir]);
  assert.equal(r.code, 0, r.output);
  boai = await startBoai(['--listen', '127.0.0.1:0', '--data-dir', dataDir, '--no-studio', ...flags()]);
  bare = await startBoai(['--listen', '127.0.0.1:0', '--data-dir', dataDir, '--no-studio']);
});

after(async () => {
  await Promise.all([boai?.stop(), bare?.stop()]);
});

let serial = 0;
const unique = (name) => `${name}${Date.now()}${++serial}`;

async function pledge(yuan) {
  const r = await runBoai(['pledge', 'add', '--campaign', 'firstaid', '--amount', String(yuan), '--name', '张三',
    '--idempotency-key', unique('key-'), '--data-dir', dataDir]);
  assert.equal(r.code, 0, r.output);
  return /reference: (\S+)/.exec(r.output)[1];
}

async function show(reference) {
  const r = await runBoai(['pledge', 'show', reference, '--data-dir', dataDir]);
  assert.equal(r.code, 0, r.output);
  return r.output;
}

// --- WeChat Pay ---------------------------------------------------------------------------------

function transaction({ reference, txn, fen, mchid = MCHID, state = 'SUCCESS' }) {
  return JSON.stringify({ mchid, appid: 'wxd678efh567hg6787', out_trade_no: reference, transaction_id: txn,
    trade_type: 'NATIVE', trade_state: state, trade_state_desc: '支付成功', bank_type: 'OTHERS',
    success_time: '2024-06-01T10:00:00+08:00', payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
    amount: { total: fen, payer_total: fen, currency: 'CNY', payer_currency: 'CNY' } });
}

function envelope(plaintext, { nonce = Formatter.nonce(12), aad = 'transaction', key = APIV3_KEY } = {}) {
  return JSON.stringify({ id: unique('EV-'), create_time: '2024-06-01T10:00:01+08:00',
    resource_type: 'encrypt-resource', event_type: 'TRANSACTION.SUCCESS', summary: '支付成功',
    resource: { original_type: 'transaction', algorithm: 'AEAD_AES_256_GCM',
      ciphertext: Aes.AesGcm.encrypt(plaintext, key, nonce, aad), associated_data: aad, nonce } });
}

// Headers as WeChat Pay sends them: its signature over timestamp, nonce and body.
function signWechat(body, { key = platform.privateKey, timestamp = Formatter.timestamp(), serial: s = SERIAL } = {}) {
  const nonce = Formatter.nonce();
  return {
    'Wechatpay-Timestamp': String(timestamp),
    'Wechatpay-Nonce': nonce,
    'Wechatpay-Signature': Rsa.sign(Formatter.response(timestamp, nonce, body), key),
    'Wechatpay-Serial': s,
    'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
  };
}

async function post(port, provider, body, headers) {
  const res = await fetch(`http://127.0.0.1:${port}/api/pay/notify/${provider}`, { method: 'POST', headers, body });
  return { status: res.status, text: await res.text() };
}

const postWechat = (body, headers, port = boai.port) =>
  post(port, 'wechat', body, { 'Content-Type': 'application/json', ...headers });

function assertWechatRefused(answer, status, code) {
  assert.equal(answer.status, status, answer.text);
  const json = JSON.parse(answer.text);
  assert.equal(json.code, 'FAIL');
  assert.match(json.message, new RegExp(`^${code}:`));
}

test('a genuine WeChat Pay notice sent three times is one payment, and the room sees it', async () => {
  const reference = await pledge(100);
  const viewer = await Client.open(boai.port);
  assert.equal((await viewer.hello('firstaid')).type, 'welcome');
  const body = envelope(transaction({ reference, txn: unique('4200'), fen: 10000 }));
  for (let i = 0; i < 3; ++i) {
    const answer = await postWechat(body, signWechat(body));
    assert.equal(answer.status, 204, answer.text);
  }
  // The same captured request replayed within the window: still success, nothing changes.
  const headers = signWechat(body);
  assert.equal((await postWechat(body, headers)).status, 204);
  assert.equal((await postWechat(body, headers)).status, 204);
  const shown = await show(reference);
  assert.match(shown, /status: paid/);
  assert.match(shown, /payments: 1\n/);
  assert.match(shown, /receipt: \d{4}-\d{6}/);
  assert.match(shown, /payment notices: 1\n.*applied \(5 deliveries/);
  const totals = await viewer.next((f) => f.type === 'totals' && f.totals.received_fen >= 10000, 30000);
  assert.equal(totals.totals.received_fen, 10000);
  await viewer.close();
});

test('WeChat Pay: forged, unknown serial, stale, foreign and tampered notices are refused', async () => {
  const reference = await pledge(20);
  const body = envelope(transaction({ reference, txn: unique('4200'), fen: 2000 }));
  assertWechatRefused(await postWechat(body, signWechat(body, { key: impostor.privateKey })), 401,
    'signature_invalid');
  assertWechatRefused(await postWechat(body, signWechat(body, { serial: 'DEADBEEF' })), 401, 'serial_unknown');
  // A genuine notice captured and replayed after the five minutes.
  assertWechatRefused(await postWechat(body, signWechat(body, { timestamp: Formatter.timestamp() - 301 })), 401,
    'timestamp_stale');
  const foreign = envelope(transaction({ reference, txn: unique('4200'), fen: 2000, mchid: '1900000999' }));
  assertWechatRefused(await postWechat(foreign, signWechat(foreign)), 403, 'merchant_mismatch');

  const headers = signWechat(body);
  assertWechatRefused(await postWechat(body.replace('TRANSACTION.SUCCESS', 'TRANSACTION.SUCCESs'), headers), 401,
    'signature_invalid');
  assertWechatRefused(await postWechat(body, { ...headers,
    'Wechatpay-Timestamp': String(Number(headers['Wechatpay-Timestamp']) + 1) }), 401, 'signature_invalid');
  assertWechatRefused(await postWechat(body, { ...headers, 'Wechatpay-Nonce': Formatter.nonce() }), 401,
    'signature_invalid');
  const { 'Wechatpay-Signature': _, ...unsigned } = headers;
  assertWechatRefused(await postWechat(body, unsigned), 401, 'signature_missing');

  // The GCM tag flipped under a fresh platform signature: the resource does not decrypt.
  const json = JSON.parse(body);
  const sealed = Buffer.from(json.resource.ciphertext, 'base64');
  sealed[sealed.length - 1] ^= 1;
  json.resource.ciphertext = sealed.toString('base64');
  const tampered = JSON.stringify(json);
  assertWechatRefused(await postWechat(tampered, signWechat(tampered)), 400, 'decrypt_failed');
  const wrongKey = envelope(transaction({ reference, txn: unique('4200'), fen: 2000 }),
    { key: 'vutsrqponmlkjihgfedcba9876543210' });
  assertWechatRefused(await postWechat(wrongKey, signWechat(wrongKey)), 400, 'decrypt_failed');
  const malformed = '{"resource": {"algorithm": ';
  assertWechatRefused(await postWechat(malformed, signWechat(malformed)), 400, 'notice_malformed');

  const shown = await show(reference);
  assert.match(shown, /status: pledged/);
  assert.match(shown, /payments: 0\n/);
  assert.match(shown, /payment notices: 0\n/);
});

test('WeChat Pay: an unknown reference and a differing amount wait for finance, not applied', async () => {
  const reference = await pledge(30);
  const differs = envelope(transaction({ reference, txn: unique('4200'), fen: 2999 }));
  assert.equal((await postWechat(differs, signWechat(differs))).status, 204);
  assert.equal((await postWechat(differs, signWechat(differs))).status, 204);
  const unknown = envelope(transaction({ reference: 'NOSUCHREF', txn: unique('4200'), fen: 3000 }));
  assert.equal((await postWechat(unknown, signWechat(unknown))).status, 204);
  const shown = await show(reference);
  assert.match(shown, /status: pledged/);
  assert.match(shown, /payments: 0\n/);
  assert.match(shown, /¥29\.99: amount_differs, waits for finance \(2 deliveries/);
  assert.match(boai.output(), /waits for finance: unknown_reference/);
  const none = await runBoai(['pledge', 'show', 'NOSUCHREF', '--data-dir', dataDir]);
  assert.equal(none.code, 1, none.output);
  assert.match(none.output, /boai: pledge_not_found: /);
});

test('a provider not configured here refuses its notices clearly', async () => {
  const body = envelope(transaction({ reference: 'X', txn: unique('4200'), fen: 1 }));
  assertWechatRefused(await postWechat(body, signWechat(body), bare.port), 503, 'notices_not_configured');
  const alipay = await post(bare.port, 'alipay', 'a=1', { 'Content-Type': 'application/x-www-form-urlencoded' });
  assert.deepEqual(alipay, { status: 200, text: 'fail' });
  const generic = await post(bare.port, 'generic', '{}', { 'Content-Type': 'application/json' });
  assert.equal(generic.status, 503);
  assert.equal(JSON.parse(generic.text).error, 'notices_not_configured');
  assertWechatRefused(await fetch(`http://127.0.0.1:${boai.port}/api/pay/notify/wechat`)
    .then(async (r) => ({ status: r.status, text: await r.text() })), 405, 'method_not_allowed');
});

// --- Alipay -------------------------------------------------------------------------------------

function alipayParams(reference, amount, extra = {}) {
  return { notify_time: '2024-06-01 10:00:02', notify_type: 'trade_status_sync', notify_id: unique('ac05'),
    charset: 'utf-8', version: '1.0', sign_type: 'RSA2', app_id: APP_ID, seller_id: SELLER_ID,
    buyer_id: '2088102116773037', trade_no: unique('2024060122'), out_trade_no: reference,
    trade_status: 'TRADE_SUCCESS', total_amount: amount, receipt_amount: amount, subject: '爱心 捐赠',
    gmt_payment: '2024-06-01 10:00:00', ...extra };
}

// Signed as Alipay signs a notice; alipay-sdk's own check must agree before we send it.
function signAlipay(params, key = alipayKeys.privateKey) {
  const content = Object.keys(params).filter((k) => k !== 'sign' && k !== 'sign_type').sort()
    .map((k) => `${k}=${params[k]}`).join('&');
  const signed = { ...params, sign: createSign('RSA-SHA256').update(content, 'utf8').sign(key, 'base64') };
  if (key === alipayKeys.privateKey) assert.ok(alipaySdk.checkNotifySignV2(signed), 'alipay-sdk accepts it');
  return new URLSearchParams(signed).toString();
}

const postAlipay = (form) => post(boai.port, 'alipay', form, { 'Content-Type': 'application/x-www-form-urlencoded' });

test('a genuine Alipay notice sent three times is one payment; TRADE_FINISHED adds nothing', async () => {
  const reference = await pledge(88.8);
  const params = alipayParams(reference, '88.80');
  const form = signAlipay(params);
  for (let i = 0; i < 3; ++i) assert.deepEqual(await postAlipay(form), { status: 200, text: 'success' });
  const finished = signAlipay({ ...params, trade_status: 'TRADE_FINISHED' });
  assert.deepEqual(await postAlipay(finished), { status: 200, text: 'success' });
  const shown = await show(reference);
  assert.match(shown, /status: paid/);
  assert.match(shown, /payments: 1\n/);
  assert.match(shown, /alipay \S+ ¥88\.80/);
});

test('Alipay: forged, tampered, foreign, malformed and odd amounts are refused with fail', async () => {
  const reference = await pledge(10);
  const fail = { status: 200, text: 'fail' };
  assert.deepEqual(await postAlipay(signAlipay(alipayParams(reference, '10.00'), impostor.privateKey)), fail);
  const genuine = signAlipay(alipayParams(reference, '10.00'));
  assert.deepEqual(await postAlipay(genuine.replace('total_amount=10.00', 'total_amount=1.00')), fail);
  assert.deepEqual(await postAlipay(signAlipay(alipayParams(reference, '10.00', { app_id: '2021000000000002' }))), fail);
  assert.deepEqual(await postAlipay(signAlipay(alipayParams(reference, '10.00', { seller_id: '2088000000000000' }))),
    fail);
  for (const amount of ['1,000.00', '-5', 'abc']) {
    assert.deepEqual(await postAlipay(signAlipay(alipayParams(reference, amount))), fail);
  }
  assert.deepEqual(await postAlipay('out_trade_no=%zz&sign=abc'), fail);
  // Waiting for the buyer is genuine but not money: answered, kept, not applied.
  assert.deepEqual(await postAlipay(signAlipay(alipayParams(reference, '10.00', { trade_status: 'WAIT_BUYER_PAY' }))),
    { status: 200, text: 'success' });
  const shown = await show(reference);
  assert.match(shown, /status: pledged/);
  assert.match(shown, /payments: 0\n/);
  assert.match(shown, /WAIT_BUYER_PAY ¥10\.00: not_paid/);
});

// --- generic ------------------------------------------------------------------------------------

function signGeneric(body, t = Math.floor(Date.now() / 1000), key = HMAC_KEY) {
  return `t=${t},v1=${createHmac('sha256', key).update(`${t}\n${body}`).digest('hex')}`;
}

const postGeneric = (body, signature) =>
  post(boai.port, 'generic', body, { 'Content-Type': 'application/json', 'X-Boai-Signature': signature })
    .then(({ status, text }) => ({ status, json: JSON.parse(text) }));

test('a genuine generic notice sent three times is one payment, the retries marked repeated', async () => {
  const reference = await pledge(50);
  const body = JSON.stringify({ provider: 'bank', transaction_id: unique('CMB-'), amount_fen: 5000,
    status: 'paid', paid_at: '2024-06-01T10:00:00+08:00', remark: `捐款 ${reference}` });
  const first = await postGeneric(body, signGeneric(body));
  assert.equal(first.status, 200);
  assert.equal(first.json.outcome, 'applied');
  assert.equal(first.json.repeated, false);
  for (let i = 0; i < 2; ++i) {
    const again = await postGeneric(body, signGeneric(body));
    assert.equal(again.json.outcome, 'applied');
    assert.equal(again.json.repeated, true);
    assert.equal(again.json.notice_id, first.json.notice_id);
  }
  const shown = await show(reference);
  assert.match(shown, /status: paid/);
  assert.match(shown, /payments: 1\n\s+#\d+ bank CMB-/);
});

test('generic: forged, stale, tampered and malformed notices are refused with stable codes', async () => {
  const body = JSON.stringify({ transaction_id: unique('CMB-'), reference: 'X', amount_fen: 100, status: 'paid' });
  const refused = async (b, signature, status, code) => {
    const answer = await postGeneric(b, signature);
    assert.equal(answer.status, status);
    assert.equal(answer.json.error, code);
  };
  await refused(body, signGeneric(body, undefined, 'another key'), 401, 'signature_invalid');
  await refused(body, signGeneric(body, Math.floor(Date.now() / 1000) - 301), 401, 'timestamp_stale');
  await refused(`${body} `, signGeneric(body), 401, 'signature_invalid');
  await refused(body, '', 401, 'signature_missing');
  await refused('{"transaction_id":', signGeneric('{"transaction_id":'), 400, 'notice_malformed');
  const bad = JSON.stringify({ transaction_id: 'T', amount_fen: '100', status: 'paid' });
  await refused(bad, signGeneric(bad), 400, 'amount_invalid');
});

// --- what the station sees ----------------------------------------------------------------------

test('/metrics counts notices by provider and outcome, refusals by provider and reason', async () => {
  const metrics = await (await fetch(`http://127.0.0.1:${boai.port}/metrics`)).text();
  const value = (series) => {
    const line = metrics.split('\n').find((l) => l.startsWith(`${series} `));
    return line ? Number(line.split(' ')[1]) : 0;
  };
  const refused = (provider, reason) =>
    value(`boai_pay_notices_refused_total{provider="${provider}",reason="${reason}"}`);
  const kept = (provider, outcome) => value(`boai_pay_notices_total{provider="${provider}",outcome="${outcome}"}`);
  assert.equal(metrics.split('\n').filter((l) => l === '# TYPE boai_pay_notices_refused_total counter').length, 1);
  assert.equal(refused('wechat', 'serial_unknown'), 1);
  assert.equal(refused('wechat', 'timestamp_stale'), 1);
  assert.equal(refused('wechat', 'merchant_mismatch'), 1);
  assert.equal(refused('wechat', 'decrypt_failed'), 2);
  assert.equal(refused('wechat', 'signature_invalid'), 4);
  assert.equal(refused('wechat', 'method_not_allowed'), 1);
  assert.equal(refused('alipay', 'signature_invalid'), 2);
  assert.equal(refused('alipay', 'merchant_mismatch'), 2);
  assert.equal(refused('alipay', 'amount_invalid'), 3);
  assert.equal(refused('generic', 'timestamp_stale'), 1);
  assert.equal(kept('wechat', 'applied'), 1);
  assert.equal(kept('wechat', 'repeated'), 5);
  assert.equal(kept('wechat', 'amount_differs'), 1);
  assert.equal(kept('wechat', 'unknown_reference'), 1);
  assert.equal(kept('alipay', 'applied'), 2);
  assert.equal(kept('generic', 'repeated'), 2);
});

test('keys that cannot be read stop boai serve at once, with the flag named', async () => {
  const missing = await runBoai(['serve', '--listen', '127.0.0.1:0', '--data-dir', dataDir, '--no-studio',
    '--wechatpay-mchid', MCHID, '--wechatpay-apiv3-key-file', join(keysDir, 'nothing-here'),
    '--wechatpay-platform-cert', join(keysDir, `${SERIAL}.pem`)]);
  assert.equal(missing.code, 1, missing.output);
  assert.match(missing.output, /--wechatpay-apiv3-key-file: cannot read/);
  const badCert = await runBoai(['serve', '--listen', '127.0.0.1:0', '--data-dir', dataDir, '--no-studio',
    '--wechatpay-mchid', MCHID, '--wechatpay-apiv3-key-file', join(keysDir, 'apiv3.key'),
    '--wechatpay-platform-cert', join(keysDir, 'hmac.key')]);
  assert.equal(badCert.code, 1, badCert.output);
  assert.match(badCert.output, /--wechatpay-platform-cert: .*hmac\.key: not a PEM X\.509 certificate/);
  const half = await runBoai(['serve', '--listen', '127.0.0.1:0', '--data-dir', dataDir, '--no-studio',
    '--alipay-app-id', APP_ID]);
  assert.equal(half.code, 1, half.output);
  assert.match(half.output, /Alipay notices need --alipay-app-id, --alipay-seller-id and --alipay-public-key/);
});
