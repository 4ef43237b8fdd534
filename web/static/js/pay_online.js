// Paying in one tap (web/PROTOCOL.md, "Paying online"): the ways this station takes, chosen by
// the browser (inside WeChat: JSAPI through WeixinJSBridge, after WeChat's web authorization;
// another phone: WeChat Pay H5 or Alipay's wap page; a computer: a QR code to scan), the order
// made by the server with the amount from its records, and "支付成功" once the payment landed.
// The bank transfer with the reference stays beside it, as the way that always works.
import { api } from './api.js';
import { el } from './dom.js';
import { t, errorText } from './i18n.js';

let offered = null; // the promise of GET /api/pay/methods

function methods() {
  offered ??= api('/api/pay/methods').then((r) => r?.methods ?? []).catch(() => []);
  return offered;
}

// What this browser gets, by provider: null when the station takes neither.
export function chooseMethods(userAgent, available) {
  const has = (m) => available.includes(m);
  const inWechat = /MicroMessenger/i.test(userAgent);
  const phone = /Android|iPhone|iPad|iPod|Mobile|HarmonyOS/i.test(userAgent);
  const out = [];
  if (inWechat) {
    // Inside WeChat only WeChat Pay opens; without JSAPI its QR (long-press to recognise).
    if (has('wechat_jsapi')) out.push('wechat_jsapi');
    else if (has('wechat_native')) out.push('wechat_native');
    return out;
  }
  if (phone) {
    if (has('wechat_h5')) out.push('wechat_h5');
    if (has('alipay_wap')) out.push('alipay_wap');
  } else {
    if (has('wechat_native')) out.push('wechat_native');
    if (has('alipay_qr')) out.push('alipay_qr');
  }
  return out;
}

function box(root) {
  let b = root.querySelector('[data-pay="online"]');
  if (!b) {
    b = el('div', { class: 'pay-online' });
    b.dataset.pay = 'online';
    const anchor = root.querySelector('.ref-line');
    if (anchor) anchor.after(b);
    else root.prepend(b);
  }
  return b;
}

const pollers = new WeakMap(); // root -> the interval of its waiting panel
const waiting = new Map(); // pledge id -> shows 支付成功 on the panel that waits for it

// The room's donation.paid event (web/PROTOCOL.md): the panel waiting for that pledge shows
// 支付成功 the moment the payment is recorded, on whichever node.
export function onPaidEvent(e) {
  if (e.paid_in_full) waiting.get(Number(e.pledge))?.();
}

// Waits for the room's event while root shows the pledge; asks the server once at the start (to
// learn the pledge's id, or that it is paid already) and every 15 s after, in case the room's
// connection was down when the event went by.
function waitForPayment(root, reference, status) {
  clearInterval(pollers.get(root));
  const started = Date.now();
  let pledge = 0;
  const stop = () => {
    clearInterval(timer);
    waiting.delete(pledge);
  };
  const paid = () => {
    stop();
    status.textContent = t('pay.success');
    status.className = 'pay-success';
    status.dataset.pay = 'paid';
  };
  const ask = async () => {
    if (root.hidden || Date.now() - started > 30 * 60 * 1000 || root.dataset.payRef !== reference) {
      stop();
      return;
    }
    try {
      const s = await api(`/api/pay/orders/${encodeURIComponent(reference)}`);
      if (s?.pledge && !pledge) {
        pledge = Number(s.pledge);
        waiting.set(pledge, paid);
      }
      if (s?.paid) paid();
    } catch {
      // the next tick asks again
    }
  };
  const timer = setInterval(ask, 15000);
  pollers.set(root, timer);
  ask();
}

function invokeBridge(params) {
  return new Promise((resolve) => {
    const go = () => window.WeixinJSBridge.invoke('getBrandWCPayRequest', params, resolve);
    if (window.WeixinJSBridge) go();
    else document.addEventListener('WeixinJSBridgeReady', go, { once: true });
  });
}

async function openOrder(root, reference, method, area, status) {
  status.textContent = t('pay.opening');
  status.className = 'muted';
  try {
    const { order } = await api('/api/pay/orders', { method: 'POST', body: { reference, method } });
    status.textContent = t('pay.waiting');
    if (order.status === 'paid') status.textContent = t('pay.success');
    if (order.qr_svg) {
      const img = el('img', { class: 'pay-qr-online', alt: t(`pay.scan_${order.provider}`) });
      img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(order.qr_svg)}`;
      img.dataset.codeUrl = order.code_url;
      area.replaceChildren(img, el('p', { text: t(`pay.scan_${order.provider}`) }));
    } else if (order.jsapi) {
      await invokeBridge(order.jsapi);
    } else if (order.h5_url) {
      window.location.assign(order.h5_url);
    }
    waitForPayment(root, reference, status);
  } catch (e) {
    if (e.code === 'openid_required') {
      // WeChat's web authorization first; it brings the page back here with ?pay=REFERENCE.
      const back = `${location.pathname}?pay=${encodeURIComponent(reference)}`;
      window.location.assign(`/api/pay/wechat/oauth?back=${encodeURIComponent(back)}`);
      return;
    }
    status.textContent = errorText(e);
    status.className = 'error';
  }
}

// Adds the one-tap buttons to a pledge's "how to pay" panel (root), when the station takes any.
export async function showOnlinePay(root, reference) {
  const b = box(root);
  root.dataset.payRef = reference;
  b.replaceChildren();
  b.hidden = true;
  const chosen = chooseMethods(navigator.userAgent, await methods());
  if (!chosen.length || root.dataset.payRef !== reference) return;
  const area = el('div', { class: 'pay-area' });
  const status = el('p', { class: 'muted' });
  status.setAttribute('role', 'status');
  const buttons = chosen.map((m) => {
    const button = el('button', { type: 'button', class: `primary pay-${m.split('_')[0]}`,
      text: t(`pay.${m.split('_')[0]}`) });
    button.dataset.method = m;
    button.addEventListener('click', () => openOrder(root, reference, m, area, status));
    return button;
  });
  b.replaceChildren(el('h3', { text: t('pay.online') }), el('div', { class: 'pay-buttons' }, ...buttons),
    area, status, el('p', { class: 'muted', text: t('pay.or_bank') }));
  b.hidden = false;
  if (chosen.length === 1 && chosen[0] === 'wechat_jsapi' && resumeReference() === reference) {
    openOrder(root, reference, 'wechat_jsapi', area, status); // back from WeChat's authorization
  }
}

// The reference the page came back with from WeChat's web authorization, if any.
export function resumeReference() {
  return new URLSearchParams(location.search).get('pay');
}
