// bench/site's WebSocket viewers, two ways behind one face: `epoll`, the C++ generator
// (bench/site/viewers.cpp, one epoll loop with OpenSSL) as a child process, and `node`, the
// viewers of load.mjs on this thread. Both chat at the rate asked and time every delivery.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { newStats, Viewer } from './load.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function percentile(sorted, p, missing) {
  const n = sorted.length + missing;
  const i = Math.ceil(n * p) - 1;
  return i < sorted.length ? sorted[Math.max(0, i)] : Infinity;
}

export class EpollCrowd {
  constructor(binary, { site, viewers, direct, directTo, senders, rate }) {
    this.total = viewers + direct;
    this.child = spawn(binary, ['--tls', new URL(site.https).host, '--viewers', viewers,
      '--direct', direct, '--direct-to', directTo.join(','), '--senders', senders, '--rate', rate,
      '--room', site.room].map(String), { stdio: ['pipe', 'pipe', 'inherit'] });
    this.status = { welcomed: 0, welcomes: 0, drops: 0, gaps: 0, resyncs: 0, duplicates: 0,
      errors: 0, sent: 0, delivered: 0, cpu: 0, failures: {} };
    this.reports = [];
    this.windows = 0;  // window lines sent
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      const m = JSON.parse(line);
      if (m.report) this.reports.shift()?.(m);
      // A line written before the child took the last window counts the deliveries before it.
      else if (m.window === this.windows) this.status = m;
      else this.status = { ...m, delivered: 0, direct_delivered: 0 };
    });
  }

  async start() {
    const deadline = Date.now() + 120000 + 5 * this.total;
    while (this.status.welcomed < this.total && this.child.exitCode === null
      && Date.now() < deadline) await sleep(50);
  }

  get welcomed() { return this.status.welcomed; }
  get counters() { return this.status; }
  get delivered() { return this.status.delivered; }
  cpuSeconds() { return this.status.cpu; }

  window(fromMs, toMs) {
    const us = (ms) => (Number.isFinite(ms) ? Math.round(ms * 1000) : 9e18);
    this.child.stdin.write(`window ${us(fromMs)} ${us(toMs)}\n`);
    this.windows++;
    this.status = { ...this.status, delivered: 0, direct_delivered: 0, sent: 0 };
  }

  result() {
    return new Promise((resolve) => {
      this.reports.push((m) => resolve({ sent: m.sent,
        nginx: { ...m.nginx, p50: m.nginx.p50 ?? Infinity, p99: m.nginx.p99 ?? Infinity },
        direct: { ...m.direct, p50: m.direct.p50 ?? Infinity, p99: m.direct.p99 ?? Infinity } }));
      this.child.stdin.write('report\n');
    });
  }

  async stop() {
    this.child.stdin.write('stop\n');
    if (this.child.exitCode === null) await new Promise((r) => this.child.on('exit', r));
  }
}

export class NodeCrowd {
  constructor({ site, viewers, direct, directTo, senders, rate }) {
    this.stats = newStats();
    this.viewers = Array.from({ length: viewers }, (_, i) => new Viewer(site, i, this.stats));
    this.nginxCount = viewers;
    this.directCount = direct;
    // A few more straight to the web nodes, in turn: what nginx adds to a delivery.
    for (let i = 0; i < direct; i++) {
      this.viewers.push(new Viewer(site, this.viewers.length, this.stats,
        directTo[i % directTo.length]));
    }
    this.total = this.viewers.length;
    this.senders = this.viewers.slice(0, senders);
    this.rate = rate;
  }

  async start() {
    for (let i = 0; i < this.viewers.length; i += 250) {
      this.viewers.slice(i, i + 250).forEach((v) => v.connect());
      const want = Math.min(i + 250, this.viewers.length);
      for (let t = 0; this.stats.welcomes < want && t < 1200; t++) await sleep(50);
    }
    for (let t = 0; this.welcomed < this.total && t < 2400; t++) await sleep(50);
    // The senders chat at the rate in all, evenly spread; each message carries its send time.
    let k = 0;
    this.chatTimer = setInterval(() => this.senders[k++ % this.senders.length].chat(),
      1000 / this.rate);
  }

  get welcomed() { return this.viewers.filter((v) => v.welcomed).length; }
  get counters() {
    return { ...this.stats, gaps: this.viewers.reduce((n, v) => n + v.gaps, 0) };
  }
  get delivered() { return this.stats.latencies.length; }
  cpuSeconds() { return 0; }  // this process: counted as the generator already

  window(fromMs, toMs) {
    this.stats.latencies = [];
    this.stats.directLatencies = [];
    this.stats.sent = 0;
    this.stats.window = [fromMs, toMs];
  }

  async result() {
    const one = (list, n) => {
      const expected = this.stats.sent * n;
      const lat = [...list].sort((a, b) => a - b);
      const missing = Math.max(0, expected - lat.length);
      return { delivered: lat.length, expected, p50: percentile(lat, 0.5, missing),
        p99: percentile(lat, 0.99, missing) };
    };
    return { sent: this.stats.sent, nginx: one(this.stats.latencies, this.nginxCount),
      direct: one(this.stats.directLatencies, this.directCount) };
  }

  async stop() {
    clearInterval(this.chatTimer);
    this.viewers.forEach((v) => v.stop());
  }
}
