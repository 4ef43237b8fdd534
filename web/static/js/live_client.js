// The boai.v1 client (web/PROTOCOL.md): hello with the phone's session id and last_seq, requests
// with a rid answered by a promise, room events in seq order without duplicates, and a silent
// reconnect with back-off after the phone sleeps or the network drops.

const PROTOCOL = 'boai.v1';

function randomToken(length = 24) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = new Uint8Array(length);
  crypto.getRandomValues(bytes);
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

// A fresh key for one pledge: reused when that same pledge is sent again.
export function newIdempotencyKey() {
  return `p-${randomToken(28)}`;
}

function storedSession(key) {
  try {
    let s = localStorage.getItem(key);
    if (!s || !/^[A-Za-z0-9_-]{8,64}$/.test(s)) {
      s = randomToken(24);
      localStorage.setItem(key, s);
    }
    return s;
  } catch {
    return randomToken(24);
  }
}

// A refused request: its code and sentence, and the error frame's other fields (wish_overfunded
// says what the wish still needs in left_fen).
export class RequestError extends Error {
  constructor(code, message, frame = {}) {
    super(message || code);
    this.code = code;
    this.details = frame;
  }
}

// Events: 'welcome' (detail: {welcome, fresh}), 'event' (a room event with seq, in order),
// 'state' (totals, viewers, room.settings, studio.*), 'status' ('connecting'|'open'|'closed'),
// 'refused' (an error to hello that ends the client: room_not_found, banned).
export class LiveClient extends EventTarget {
  constructor({ room, nickname = '', sessionKey = 'boai.session', url } = {}) {
    super();
    this.room = room;
    this.nickname = nickname;
    this.sessionKey = sessionKey;
    this.session = storedSession(sessionKey);
    this.url = url ?? `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
    this.lastSeq = null; // null until the first welcome: then the server replays after it
    this.ws = null;
    this.welcomed = false;
    this.stopped = false;
    this.pending = new Map(); // rid -> {frame, resolve, reject, resend, timer}
    this.queue = []; // rids waiting for the welcome
    this.ridCounter = 0;
    this.attempt = 0;
    this.retryTimer = null;
    this.needsRebuild = true;
    this.lastFrameAt = 0;
    const wake = () => {
      if (this.stopped) return;
      if (document.visibilityState === 'visible') this.checkAlive();
    };
    document.addEventListener('visibilitychange', wake);
    window.addEventListener('online', () => this.checkAlive());
    window.addEventListener('pageshow', () => this.checkAlive());
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  on(type, fn) {
    this.addEventListener(type, (e) => fn(e.detail));
    return this;
  }

  connect() {
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.welcomed = false;
    this.emit('status', 'connecting');
    let ws;
    try {
      ws = new WebSocket(this.url, PROTOCOL);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    ws.onopen = () => this.sendHello();
    ws.onmessage = (m) => {
      if (ws !== this.ws) return;
      this.lastFrameAt = Date.now();
      let frame;
      try {
        frame = JSON.parse(m.data);
      } catch {
        return;
      }
      this.onFrame(frame);
    };
    ws.onclose = (e) => {
      if (ws !== this.ws) return;
      this.ws = null;
      this.welcomed = false;
      this.emit('status', 'closed');
      this.failInFlight();
      if (e.code === 1008 && this.refused) return; // banned: do not knock again
      this.scheduleReconnect();
    };
    ws.onerror = () => {};
  }

  sendHello() {
    const hello = { type: 'hello', room: this.room, session: this.session };
    if (this.nickname) hello.nickname = this.nickname;
    if (this.lastSeq !== null) hello.last_seq = this.lastSeq;
    this.ws.send(JSON.stringify(hello));
  }

  // A socket that a sleeping phone left half-open: reconnect at once when the page wakes.
  checkAlive() {
    if (this.stopped) return;
    if (!this.ws || this.ws.readyState === WebSocket.CLOSED || this.ws.readyState === WebSocket.CLOSING) {
      this.attempt = 0;
      this.connect();
    }
  }

  scheduleReconnect() {
    if (this.stopped || this.retryTimer) return;
    const base = Math.min(10000, 500 * 2 ** this.attempt);
    const delay = base / 2 + Math.random() * (base / 2);
    this.attempt = Math.min(this.attempt + 1, 6);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }

  // Closes and joins again (a new nickname takes a new hello); replays from lastSeq.
  rejoin(nickname) {
    if (nickname !== undefined) this.nickname = nickname;
    const old = this.ws;
    this.ws = null;
    if (old) {
      old.onclose = null;
      old.close(1000);
    }
    this.failInFlight();
    this.attempt = 0;
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    if (this.ws) this.ws.close(1000);
  }

  onFrame(f) {
    if (f.type === 'welcome') return this.onWelcome(f);
    if (f.type === 'resync') {
      this.needsRebuild = true; // the welcome that follows is the whole state
      return;
    }
    if (f.type === 'ack' || f.type === 'error') {
      const p = f.rid !== undefined ? this.pending.get(String(f.rid)) : undefined;
      if (p) {
        this.pending.delete(String(f.rid));
        clearTimeout(p.timer);
        if (f.type === 'ack') p.resolve(f);
        else p.reject(new RequestError(f.code, f.message, f));
        return;
      }
      if (f.type === 'error' && (f.code === 'banned' || (f.code === 'room_not_found' && !this.welcomed))) {
        this.refused = f;
        this.stopped = true;
        this.emit('refused', f);
        return;
      }
      if (f.type === 'error' && !this.welcomed && this.nickname && this.ws) {
        // The hello was refused for its nickname (too long, say): join without one.
        this.nickname = '';
        this.emit('error', f);
        this.sendHello();
        return;
      }
      if (f.type === 'error') this.emit('error', f);
      return;
    }
    if (typeof f.seq === 'number') {
      if (this.lastSeq !== null && f.seq <= this.lastSeq) return; // seen already
      this.lastSeq = f.seq;
      this.emit('event', f);
      return;
    }
    this.emit('state', f);
  }

  onWelcome(w) {
    const fresh = this.needsRebuild;
    this.needsRebuild = false;
    this.welcomed = true;
    this.attempt = 0;
    if (w.session) {
      this.session = w.session;
      try {
        localStorage.setItem(this.sessionKey, w.session);
      } catch {
        // not kept
      }
    }
    if (w.nickname) this.nickname = w.nickname;
    if (fresh || this.lastSeq === null || w.seq > this.lastSeq) this.lastSeq = w.seq;
    this.emit('status', 'open');
    this.emit('welcome', { welcome: w, fresh });
    // Requests that waited for the room: first those sent again after a reconnect, in order.
    const waiting = this.queue;
    this.queue = [];
    for (const rid of waiting) this.transmit(rid);
  }

  // In-flight requests when the connection drops: pledges (resend) go again with the same
  // idempotency key after the next welcome; the others fail as 'disconnected'.
  failInFlight() {
    for (const [rid, p] of this.pending) {
      if (p.resend) {
        if (!this.queue.includes(rid)) this.queue.push(rid);
      } else if (p.sent) {
        this.pending.delete(rid);
        clearTimeout(p.timer);
        p.reject(new RequestError('disconnected', 'the connection dropped'));
      }
    }
  }

  transmit(rid) {
    const p = this.pending.get(rid);
    if (!p) return;
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN || !this.welcomed) {
      if (!this.queue.includes(rid)) this.queue.push(rid);
      return;
    }
    p.sent = true;
    this.ws.send(JSON.stringify({ ...p.frame, rid }));
  }

  // Sends {type, ...} with a fresh rid; resolves with the ack, rejects with a RequestError.
  // resend: keep it across reconnects (only for idempotent requests, such as pledges).
  request(frame, { resend = false, timeoutMs = 20000 } = {}) {
    const rid = `c${++this.ridCounter}`;
    return new Promise((resolve, reject) => {
      const p = { frame, resolve, reject, resend, sent: false, timer: null };
      if (!resend) {
        p.timer = setTimeout(() => {
          if (this.pending.delete(rid)) reject(new RequestError('timeout', 'no answer'));
        }, timeoutMs);
      }
      this.pending.set(rid, p);
      this.transmit(rid);
    });
  }
}
