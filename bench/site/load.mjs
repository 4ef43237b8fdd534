// The load of bench/site: WebSocket viewers of one room (a few of them chatting) and HLS players,
// all through nginx over TLS, each behaving as the page does: a viewer that loses its socket
// reconnects with back-off and `last_seq`; a classic player asks for its media playlist every
// target duration and fetches each new segment once; a low-latency player (hls.js in LL mode)
// blocks on the next part and fetches each new part once.
import http from 'node:http';
import https from 'node:https';
import { createRequire } from 'node:module';

const WebSocket = createRequire(new URL('../peers/server.mjs', import.meta.url))('ws');

export class Viewer {
  constructor(site, index, stats, direct = null) {
    this.site = site;
    this.direct = direct;
    this.index = index;
    this.stats = stats;
    this.lastSeq = null;
    this.session = null;
    this.welcomed = false;
    this.attempt = 0;
    this.gaps = 0;
    this.stopped = false;
  }

  connect() {
    this.welcomed = false;
    // A direct viewer goes straight to a web node (plain ws): the run's yardstick for nginx.
    const url = this.direct ? `ws://${this.direct}/ws` : new URL('/ws', this.site.wss);
    const ws = new WebSocket(url, 'boai.v1', {
      rejectUnauthorized: false, localAddress: `127.0.0.${2 + (this.index % 8)}`,
      perMessageDeflate: false,
    });
    this.ws = ws;
    ws.on('open', () => {
      const hello = { type: 'hello', room: this.site.room, nickname: `v${this.index}` };
      if (this.session) hello.session = this.session;
      if (this.lastSeq !== null) hello.last_seq = this.lastSeq;
      ws.send(JSON.stringify(hello));
    });
    ws.on('message', (data) => this.onFrame(JSON.parse(data.toString())));
    ws.on('error', () => {});
    ws.on('close', () => {
      if (this.welcomed) this.stats.drops++;
      this.welcomed = false;
      if (this.stopped) return;
      // As the page: half to all of 500 ms * 2^attempt, at most 10 s.
      const base = Math.min(10000, 500 * 2 ** this.attempt);
      this.attempt = Math.min(this.attempt + 1, 6);
      setTimeout(() => this.connect(), base / 2 + Math.random() * (base / 2));
    });
  }

  onFrame(f) {
    if (f.type === 'welcome') {
      this.welcomed = true;
      this.attempt = 0;
      this.session = f.session;
      if (this.lastSeq === null || this.lastSeq > f.seq) this.lastSeq = f.seq;
      this.stats.welcomes++;
      this.site.onWelcome?.(this);
      return;
    }
    if (f.type === 'resync') {
      this.stats.resyncs++;
      this.lastSeq = f.seq;
      return;
    }
    if (typeof f.seq === 'number' && f.type !== 'ack' && this.lastSeq !== null
        && f.seq <= this.lastSeq) {
      this.stats.duplicates++;  // seen before: the server sent an event twice
      return;
    }
    if (typeof f.seq === 'number' && f.type !== 'ack') {
      if (this.lastSeq !== null && f.seq !== this.lastSeq + 1 && f.seq > this.lastSeq) this.gaps++;
      if (this.lastSeq === null || f.seq > this.lastSeq) this.lastSeq = f.seq;
    }
    if (f.type === 'chat.message' && f.text.startsWith('t')) {
      // Only messages sent within the measured window count.
      const sentAt = Number(f.text.slice(1));
      const [from, to] = this.stats.window;
      if (sentAt >= from && sentAt < to) {
        (this.direct ? this.stats.directLatencies : this.stats.latencies).push(Date.now() - sentAt);
      }
    } else if (f.type === 'error') {
      this.stats.errors++;
    }
  }

  chat() {
    const now = Date.now();
    const [from, to] = this.stats.window;
    if (this.welcomed && now < to) {
      this.ws.send(JSON.stringify({ type: 'chat.send', rid: 'c', text: `t${now}` }));
      if (now >= from) this.stats.sent++;  // counted as its deliveries are
    }
  }

  stop() {
    this.stopped = true;
    this.ws?.terminate();
  }
}

// One GET over the player's own keep-alive connection (TLS through nginx, plain to a node).
function fetchOnce(agent, url) {
  return new Promise((resolve) => {
    const get = url.protocol === 'https:' ? https.get : http.get;
    const req = get(url, { agent, rejectUnauthorized: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, cache: res.headers['x-cache-status'],
        body: Buffer.concat(chunks) }));
      res.on('error', () => resolve({ status: 0 }));
    });
    req.setTimeout(15000, () => req.destroy());
    req.on('error', () => resolve({ status: 0 }));
  });
}

export class Player {
  constructor(site, stats) {
    this.site = site;
    this.stats = stats;
    this.agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
    this.lastSegmentAt = Date.now();
    this.stopped = false;
  }

  async get(path) {
    const r = await fetchOnce(this.agent, new URL(path, this.site.https));
    this.stats.requests++;
    if (r.status !== 200) {
      this.stats.failed++;
      this.stats.statuses[r.status] = (this.stats.statuses[r.status] ?? 0) + 1;
    }
    this.stats.cache[r.cache ?? 'none'] = (this.stats.cache[r.cache ?? 'none'] ?? 0) + 1;
    return r;
  }

  // The 720p rendition's playlist, as a player on a good connection picks.
  async start() {
    while (!this.stopped) {
      const master = await this.get(`/hls/${this.site.room}/master.m3u8`);
      const lines = master.status === 200 ? master.body.toString().split('\n') : [];
      const i = lines.findIndex((l) => l.includes('x720'));
      const uri = i >= 0 ? lines[i + 1] : lines.find((l) => l && !l.startsWith('#'));
      if (uri) {
        this.playlist = new URL(uri, new URL(`/hls/${this.site.room}/`, this.site.https));
        return this.loop();
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  async loop() {
    while (!this.stopped) {
      const started = Date.now();
      const p = await this.get(this.playlist.pathname);
      const text = p.status === 200 ? p.body.toString() : '';
      const uris = text.split('\n').filter((l) => l && !l.startsWith('#'));
      const first = Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(text)?.[1] ?? 0);
      // By media sequence, as players do: a restarted studio counts from 0 again.
      if (this.next === undefined || first + uris.length < this.next - 2) {
        this.next = Math.max(first, first + uris.length - 3);  // a few segments of buffer
      }
      for (let k = Math.max(this.next, first); k < first + uris.length && !this.stopped; k++) {
        this.next = k + 1;
        const s = await this.get(new URL(uris[k - first], this.playlist).pathname);
        if (s.status === 200) {
          this.stats.segmentBytes += s.body.length;
          this.lastSegmentAt = Date.now();
        }
      }
      const wait = this.site.targetMs - (Date.now() - started);
      await new Promise((r) => setTimeout(r, Math.max(50, wait)));
    }
  }

  stop() {
    this.stopped = true;
    this.agent.destroy();
  }
}

// The parts of a low-latency media playlist, oldest first: each with its segment's number, its
// index in it, its URI and when the studio finished it (its segment's EXT-X-PROGRAM-DATE-TIME plus
// the parts before it and its own duration: the packager's clock, this machine's).
export function llParts(text) {
  const parts = [];
  let msn = Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(text)?.[1] ?? 0);
  let at = NaN;
  let index = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#EXT-X-PROGRAM-DATE-TIME:')) {
      at = Date.parse(line.slice(25));
    } else if (line.startsWith('#EXT-X-PART:')) {
      const duration = Number(/DURATION=([\d.]+)/.exec(line)?.[1] ?? 0) * 1000;
      at += duration;
      parts.push({ msn, index: index++, uri: /URI="([^"]+)"/.exec(line)?.[1], doneAt: at });
    } else if (line && !line.startsWith('#')) {
      msn++;  // a whole segment's URI: the next lines are the next segment's
      index = 0;
    }
  }
  return parts;
}

// hls.js in low-latency mode, as the viewer page runs it (web/static/js/player.js): the master
// playlist, the 720p media playlist once, then a blocking reload for the part after the last one
// listed (_HLS_msn, _HLS_part) as soon as the previous answer came, and each new part once, in
// order, starting a part hold-back (three parts) behind the edge. It times how late each part
// reaches it after the studio finished it, and each playlist after its newest part.
export class LowLatencyPlayer extends Player {
  constructor(site, stats, base) {
    super(site, stats);
    this.base = base;  // nginx over TLS, or a node straight (plain HTTP)
    if (!base.startsWith('https')) this.agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  }

  async get(path) {
    const r = await fetchOnce(this.agent, new URL(path, this.base));
    this.stats.requests++;
    if (r.status !== 200) {
      this.stats.failed++;
      this.stats.statuses[r.status] = (this.stats.statuses[r.status] ?? 0) + 1;
    }
    this.stats.cache[r.cache ?? 'none'] = (this.stats.cache[r.cache ?? 'none'] ?? 0) + 1;
    return r;
  }

  async start() {
    while (!this.stopped) {
      const master = await this.get(`/ll/${this.site.room}/master.m3u8`);
      const lines = master.status === 200 ? master.body.toString().split('\n') : [];
      const i = lines.findIndex((l) => l.includes('x720'));
      if (i >= 0) {
        this.playlist = new URL(lines[i + 1], new URL(`/ll/${this.site.room}/`, this.base));
        return this.loop();
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  async loop() {
    let asked = '';  // the blocking query; none at first and after an error, as hls.js
    let have = null;  // the last part fetched: {msn, index}
    while (!this.stopped) {
      const p = await this.get(this.playlist.pathname + asked);
      const at = Date.now();
      if (p.status !== 200) {
        asked = '';
        await new Promise((r) => setTimeout(r, 300));
        continue;
      }
      const parts = llParts(p.body.toString());
      const last = parts[parts.length - 1];
      if (!last) continue;
      if (asked) this.stats.playlistLate.push(at - last.doneAt);
      const after = (q) => have
        && (q.msn > have.msn || (q.msn === have.msn && q.index > have.index));
      // Tuning in, after a restart (numbers from 0 again) or far behind: the hold-back's parts.
      const jump = !have || have.msn > last.msn || !parts.some((q) => !after(q));
      const fresh = jump ? parts.slice(-3) : parts.filter(after);
      for (const q of fresh) {
        if (this.stopped) break;
        const r = await this.get(new URL(q.uri, this.playlist).pathname);
        if (r.status === 200) {
          this.stats.segmentBytes += r.body.length;
          this.lastSegmentAt = Date.now();
          if (!jump) this.stats.partLate.push(Date.now() - q.doneAt);
        }
        have = { msn: q.msn, index: q.index };
      }
      asked = `?_HLS_msn=${last.msn}&_HLS_part=${last.index + 1}`;
    }
  }
}

export function newStats() {
  return { welcomes: 0, drops: 0, resyncs: 0, errors: 0, sent: 0, latencies: [], requests: 0,
    directLatencies: [], window: [0, Infinity], duplicates: 0,
    failed: 0, statuses: {}, cache: {},
    segmentBytes: 0, partLate: [], playlistLate: [] };
}
