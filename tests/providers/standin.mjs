// A local stand-in for WeChat Pay API v3 (Native/H5/JSAPI orders, query, close, web
// authorization's code exchange) and Alipay's gateway (precreate, wap.pay, query, close), for the
// tests: it checks every request's signature with the providers' published Node SDKs
// (wechatpay-axios-plugin's Rsa/Formatter, alipay-sdk's checkNotifySign), answers signed as the
// providers do (and checks those answers with the same SDKs before sending them), and sends
// notices like the real ones. /_standin/* lets a test pay, look and misbehave.
//
// node standin.mjs CONFIG.json   prints "standin listening on PORT" (PORT 0 in the config: any)
import { createServer } from 'node:http';
import { randomBytes, createPublicKey, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import wechatpay from 'wechatpay-axios-plugin';
import alipayModule from 'alipay-sdk';

const { Rsa, Formatter, Aes } = wechatpay;
const AlipaySdk = alipayModule.default ?? alipayModule;

export function startStandin(config) {
  const orders = new Map(); // `${provider}:${out_trade_no}` -> order
  const log = []; // every request: {provider, api, ok, error}
  const mode = { bad_signature: false };
  const wrongKey = createPrivateKey(config.wrong_private_key_pem);
  const w = config.wechat;
  const a = config.alipay;
  const merchantKey = createPublicKey(w.merchant_public_key_pem);
  const platformKey = createPrivateKey(w.platform_private_key_pem);
  // alipay-sdk as Alipay sees us: our app's public key verifies our requests.
  const verifyUs = new AlipaySdk({ appId: a.app_id, privateKey: a.alipay_private_key_pem,
    alipayPublicKey: a.app_public_key_pem, signType: 'RSA2' });
  // alipay-sdk as we would be: Alipay's public key checks what we send back.
  const asClient = new AlipaySdk({ appId: a.app_id, privateKey: a.alipay_private_key_pem,
    alipayPublicKey: a.alipay_public_key_pem, signType: 'RSA2' });

  const key = (provider, ref) => `${provider}:${ref}`;
  const nonce = () => randomBytes(16).toString('hex').toUpperCase();
  const now = () => Math.floor(Date.now() / 1000);

  // ---- WeChat Pay ----
  function wechatHeaders(body) {
    const ts = String(now());
    const n = nonce();
    const signature = Rsa.sign(Formatter.response(ts, n, body), mode.bad_signature ? wrongKey : platformKey);
    if (!mode.bad_signature && !Rsa.verify(Formatter.response(ts, n, body), signature,
      createPublicKey(platformKey))) {
      throw new Error('the SDK does not verify our own answer');
    }
    return { 'Wechatpay-Timestamp': ts, 'Wechatpay-Nonce': n, 'Wechatpay-Signature': signature,
      'Wechatpay-Serial': w.platform_serial, 'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
      'Request-ID': nonce() };
  }

  function wechatReply(res, status, object) {
    const body = object === undefined ? '' : JSON.stringify(object);
    res.writeHead(status, { 'Content-Type': 'application/json', ...wechatHeaders(body) });
    res.end(body);
  }

  // Our Authorization header, checked as WeChat Pay does.
  function wechatAuthorized(req, uri, body) {
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('WECHATPAY2-SHA256-RSA2048 ')) return 'no WECHATPAY2-SHA256-RSA2048 scheme';
    const fields = Object.fromEntries([...auth.slice(26).matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (fields.mchid !== w.mchid) return `mchid ${fields.mchid}`;
    if (fields.serial_no !== w.merchant_serial) return `serial_no ${fields.serial_no}`;
    if (Math.abs(now() - Number(fields.timestamp)) > 300) return 'timestamp stale';
    const message = Formatter.request(req.method, uri, fields.timestamp, fields.nonce_str, body);
    return Rsa.verify(message, fields.signature, merchantKey) ? null : 'signature does not verify';
  }

  function wechatTransaction(o) {
    const t = { appid: w.appid, mchid: w.mchid, out_trade_no: o.out_trade_no,
      trade_state: o.state, trade_state_desc: o.state, trade_type: o.method.toUpperCase(),
      amount: { total: o.amount_fen, currency: 'CNY' } };
    if (o.state === 'SUCCESS') {
      Object.assign(t, { transaction_id: o.txn, success_time: new Date().toISOString().replace(/\.\d+Z$/, '+00:00'),
        bank_type: 'OTHERS', payer: { openid: o.openid || 'oStandinPayer' },
        amount: { total: o.amount_fen, payer_total: o.amount_fen, currency: 'CNY', payer_currency: 'CNY' } });
    }
    return t;
  }

  function wechat(req, res, url, body) {
    const uri = url.pathname + url.search;
    const denied = wechatAuthorized(req, uri, body);
    const m = url.pathname.match(/^\/v3\/pay\/transactions\/(native|h5|jsapi)$/);
    const q = url.pathname.match(/^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)(\/close)?$/);
    log.push({ provider: 'wechat', api: m ? m[1] : q ? (q[2] ? 'close' : 'query') : url.pathname, ok: !denied, error: denied });
    if (denied) return wechatReply(res, 401, { code: 'SIGN_ERROR', message: denied });
    if (m && req.method === 'POST') {
      const j = JSON.parse(body);
      if (j.mchid !== w.mchid || j.appid !== w.appid || !Number.isInteger(j.amount?.total)) {
        return wechatReply(res, 400, { code: 'PARAM_ERROR', message: 'mchid, appid or amount' });
      }
      if (m[1] === 'jsapi' && !j.payer?.openid) return wechatReply(res, 400, { code: 'PARAM_ERROR', message: 'payer.openid' });
      let o = orders.get(key('wechat', j.out_trade_no));
      if (o && (o.amount_fen !== j.amount.total || o.method !== m[1])) {
        return wechatReply(res, 400, { code: 'INVALID_REQUEST', message: 'out_trade_no used with other parameters' });
      }
      if (o && o.state !== 'NOTPAY') return wechatReply(res, 400, { code: o.state === 'SUCCESS' ? 'ORDERPAID' : 'ORDERCLOSED', message: o.state });
      if (!o) {
        o = { provider: 'wechat', out_trade_no: j.out_trade_no, method: m[1], amount_fen: j.amount.total,
          state: 'NOTPAY', notify_url: j.notify_url, openid: j.payer?.openid ?? '', description: j.description,
          prepay_id: `wx${nonce()}`, creates: 0, closes: 0, queries: 0 };
        orders.set(key('wechat', j.out_trade_no), o);
      }
      o.creates += 1;
      const answer = m[1] === 'native' ? { code_url: `weixin://wxpay/bizpayurl?pr=${o.prepay_id}` }
        : m[1] === 'h5' ? { h5_url: `https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=${o.prepay_id}` }
          : { prepay_id: o.prepay_id };
      return wechatReply(res, 200, answer);
    }
    if (q) {
      const o = orders.get(key('wechat', decodeURIComponent(q[1])));
      if (!o) return wechatReply(res, 404, { code: 'ORDER_NOT_EXIST', message: 'no such order' });
      if (q[2]) {
        if (JSON.parse(body).mchid !== w.mchid) return wechatReply(res, 400, { code: 'PARAM_ERROR', message: 'mchid' });
        o.closes += 1;
        if (o.state === 'SUCCESS') return wechatReply(res, 400, { code: 'ORDERPAID', message: 'paid' });
        o.state = 'CLOSED';
        return wechatReply(res, 204);
      }
      if (url.searchParams.get('mchid') !== w.mchid) return wechatReply(res, 400, { code: 'PARAM_ERROR', message: 'mchid' });
      o.queries += 1;
      return wechatReply(res, 200, wechatTransaction(o));
    }
    return wechatReply(res, 404, { code: 'NOT_FOUND', message: url.pathname });
  }

  function wechatNotice(o) {
    const transaction = JSON.stringify(wechatTransaction(o));
    const iv = nonce().slice(0, 12);
    const body = JSON.stringify({ id: nonce(), create_time: new Date().toISOString(), resource_type: 'encrypt-resource',
      event_type: 'TRANSACTION.SUCCESS', summary: '支付成功',
      resource: { original_type: 'transaction', algorithm: 'AEAD_AES_256_GCM',
        ciphertext: Aes.AesGcm.encrypt(transaction, w.apiv3_key, iv, 'transaction'), associated_data: 'transaction', nonce: iv } });
    return { headers: { 'Content-Type': 'application/json', ...wechatHeaders(body) }, body };
  }

  // ---- Alipay ----
  function alipaySigned(responseKey, inner) {
    const text = JSON.stringify(inner);
    const sign = Rsa.sign(text, mode.bad_signature ? wrongKey : createPrivateKey(a.alipay_private_key_pem));
    const body = `{"${responseKey}":${text},"sign":"${sign}"}`;
    if (!mode.bad_signature && !asClient.checkResponseSign(body, responseKey)) {
      throw new Error('alipay-sdk does not verify our own answer');
    }
    return body;
  }

  function alipayTrade(o) {
    const t = { code: '10000', msg: 'Success', out_trade_no: o.out_trade_no, trade_status: o.state,
      total_amount: (o.amount_fen / 100).toFixed(2) };
    if (o.txn) Object.assign(t, { trade_no: o.txn, buyer_logon_id: 'don***@example.com', send_pay_date: beijingNow() });
    return t;
  }

  function alipayParams(req, url, body) {
    const params = Object.fromEntries(new URLSearchParams(req.method === 'GET' ? url.search : body));
    let error = null;
    if (params.app_id !== a.app_id) error = `app_id ${params.app_id}`;
    else if (params.sign_type !== 'RSA2' || params.charset !== 'utf-8') error = 'sign_type or charset';
    else if (!verifyUs.checkNotifySign(params, true)) error = 'sign does not verify';
    return { params, error };
  }

  function alipay(req, res, url, body) {
    const { params, error } = alipayParams(req, url, body);
    const method = params.method ?? '';
    log.push({ provider: 'alipay', api: method, ok: !error, error });
    const responseKey = `${method.replaceAll('.', '_')}_response`;
    const send = (inner) => {
      res.writeHead(200, { 'Content-Type': 'application/json;charset=utf-8' });
      res.end(alipaySigned(responseKey, inner));
    };
    const refuse = (sub_code, sub_msg, code = '40004') => send({ code, msg: 'Business Failed', sub_code, sub_msg });
    if (error) return refuse('isv.invalid-signature', error, '40002');
    const biz = JSON.parse(params.biz_content ?? '{}');
    let o = orders.get(key('alipay', biz.out_trade_no));
    if (method === 'alipay.trade.precreate' || method === 'alipay.trade.wap.pay') {
      const fen = Math.round(Number(biz.total_amount) * 100);
      if (!/^\d+(\.\d{1,2})?$/.test(biz.total_amount ?? '')) return refuse('ACQ.INVALID_PARAMETER', 'total_amount');
      if (o && o.amount_fen !== fen) return refuse('ACQ.CONTEXT_INCONSISTENT', 'out_trade_no used with another amount');
      if (!o) {
        o = { provider: 'alipay', out_trade_no: biz.out_trade_no, method: method === 'alipay.trade.wap.pay' ? 'wap' : 'precreate',
          amount_fen: fen, state: 'WAIT_BUYER_PAY', notify_url: params.notify_url, creates: 0, closes: 0, queries: 0 };
        orders.set(key('alipay', biz.out_trade_no), o);
      }
      o.creates += 1;
      if (method === 'alipay.trade.wap.pay') {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        return res.end(`<!doctype html><title>支付宝</title><p id="cashier">支付宝收银台 ${o.out_trade_no} ¥${biz.total_amount}</p>`);
      }
      return send({ code: '10000', msg: 'Success', out_trade_no: o.out_trade_no, qr_code: `https://qr.alipay.com/standin${o.out_trade_no}` });
    }
    if (!o) return refuse('ACQ.TRADE_NOT_EXIST', 'no such trade');
    if (method === 'alipay.trade.query') {
      o.queries += 1;
      return send(alipayTrade(o));
    }
    if (method === 'alipay.trade.close') {
      o.closes += 1;
      if (o.state !== 'WAIT_BUYER_PAY') return refuse('ACQ.TRADE_STATUS_ERROR', o.state);
      o.state = 'TRADE_CLOSED';
      return send({ code: '10000', msg: 'Success', out_trade_no: o.out_trade_no });
    }
    return refuse('isv.invalid-method', method, '40002');
  }

  function alipayNotice(o) {
    const params = { notify_time: beijingNow(), notify_type: 'trade_status_sync', notify_id: nonce(),
      app_id: a.app_id, charset: 'utf-8', version: '1.0', sign_type: 'RSA2', trade_no: o.txn,
      out_trade_no: o.out_trade_no, total_amount: (o.amount_fen / 100).toFixed(2), receipt_amount: (o.amount_fen / 100).toFixed(2),
      trade_status: 'TRADE_SUCCESS', seller_id: a.seller_id, buyer_id: '2088102177846880', gmt_payment: beijingNow() };
    const content = Object.keys(params).filter((k) => k !== 'sign_type').sort().map((k) => `${k}=${params[k]}`).join('&');
    params.sign = Rsa.sign(content, createPrivateKey(a.alipay_private_key_pem));
    const check = new AlipaySdk({ appId: a.app_id, privateKey: a.alipay_private_key_pem, alipayPublicKey: a.alipay_public_key_pem });
    if (!check.checkNotifySign(params, true)) throw new Error('alipay-sdk does not verify our notice');
    return { headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: new URLSearchParams(params).toString() };
  }

  // ---- the test's handles ----
  function pay(provider, ref) {
    const o = orders.get(key(provider, ref));
    if (!o) throw new Error(`no ${provider} order ${ref}`);
    o.txn = o.txn ?? (provider === 'wechat' ? `42000${Date.now()}${Math.floor(Math.random() * 1000)}` : `2026${Date.now()}`);
    o.state = provider === 'wechat' ? 'SUCCESS' : 'TRADE_SUCCESS';
    return o;
  }

  async function deliver(o, notifyBase) {
    const notice = o.provider === 'wechat' ? wechatNotice(o) : alipayNotice(o);
    let target = o.notify_url;
    if (notifyBase) target = notifyBase + new URL(o.notify_url).pathname;
    const r = await fetch(target, { method: 'POST', headers: notice.headers, body: notice.body });
    return { status: r.status, text: await r.text() };
  }

  async function control(req, res, url, body) {
    const reply = (status, object) => { res.writeHead(status, { 'Content-Type': 'application/json' }); res.end(JSON.stringify(object)); };
    try {
      if (url.pathname === '/_standin/orders') return reply(200, { orders: [...orders.values()], log });
      const j = body ? JSON.parse(body) : {};
      if (url.pathname === '/_standin/mode') { Object.assign(mode, j); return reply(200, mode); }
      if (url.pathname === '/_standin/pay') {
        const o = pay(j.provider, j.reference);
        const delivered = j.notify ? await deliver(o, j.notify_base ?? config.notify_base) : null;
        return reply(200, { order: o, delivered });
      }
      if (url.pathname === '/_standin/notice') {
        // A notice for the order as it stands, paid or not, for a test to deliver itself.
        const o = orders.get(key(j.provider, j.reference));
        if (j.pay) pay(j.provider, j.reference);
        const notice = o.provider === 'wechat' ? wechatNotice(o) : alipayNotice(o);
        return reply(200, notice);
      }
    } catch (e) {
      return reply(500, { error: String(e?.message ?? e) });
    }
    return reply(404, { error: url.pathname });
  }

  function oauth(req, res, url) {
    const ok = url.searchParams.get('appid') === w.appid && url.searchParams.get('secret') === w.app_secret &&
      url.searchParams.get('grant_type') === 'authorization_code';
    const openid = ok ? (config.oauth_codes ?? {})[url.searchParams.get('code')] : undefined;
    log.push({ provider: 'wechat', api: 'oauth', ok: Boolean(openid), error: openid ? null : 'bad code' });
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(openid ? { access_token: nonce(), expires_in: 7200, refresh_token: nonce(), openid, scope: 'snsapi_base' }
      : { errcode: 40029, errmsg: 'invalid code' }));
  }

  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url, 'http://standin');
      try {
        if (url.pathname.startsWith('/_standin/')) return control(req, res, url, body);
        if (url.pathname.startsWith('/v3/')) return wechat(req, res, url, body);
        if (url.pathname === '/gateway.do') return alipay(req, res, url, body);
        if (url.pathname === '/sns/oauth2/access_token') return oauth(req, res, url);
        res.writeHead(404).end();
      } catch (e) {
        res.writeHead(500, { 'Content-Type': 'text/plain' }).end(String(e?.stack ?? e));
      }
    });
  });
  return new Promise((resolve) => server.listen(config.port ?? 0, '127.0.0.1', () => {
    resolve({ port: server.address().port, orders, log, mode, pay, deliver, close: () => server.close() });
  }));
}

function beijingNow() {
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const standin = await startStandin(JSON.parse(readFileSync(process.argv[2], 'utf8')));
  console.log(`standin listening on ${standin.port}`);
  // Gone with the test that started it: standard input closing is the sign.
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
}
