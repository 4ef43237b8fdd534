// What the live room tests share: real `boai` processes, temporary data directories, and a small
// promise-based wrapper around the ws package's client.
import { spawn } from 'node:child_process';
import { mkdtempSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';

export const BOAI = process.env.BOAI_BINARY;

export function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), `boai-${prefix}-`));
  chmodSync(dir, 0o755); // as root, the postgres user must be able to enter it
  return dir;
}

function cleanEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('BOAI_')) env[k] = v;
  return { ...env, ...extra };
}

// Runs `boai ARGS` to the end.
export function runBoai(args, { input = '', env = {} } = {}) {
  return new Promise((resolve) => {
    const p = spawn(BOAI, args, { env: cleanEnv(env) });
    let output = '';
    p.stdout.on('data', (d) => (output += d));
    p.stderr.on('data', (d) => (output += d));
    p.on('close', (code) => resolve({ code, output }));
    p.stdin.end(input);
  });
}

// Starts `boai serve` and resolves once it listens.
export function startBoai(args, { env = {} } = {}) {
  return new Promise((resolve, reject) => {
    const proc = spawn(BOAI, ['serve', ...args], { env: cleanEnv(env) });
    let output = '';
    const onData = (d) => {
      output += d;
      const m = output.match(/listening on https?:\/\/[^:]+:(\d+)\//);
      if (m) resolve({ port: Number(m[1]), proc, output: () => output, stop: () => stopBoai(proc) });
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.on('exit', (code) => reject(new Error(`boai serve exited ${code}: ${output}`)));
  });
}

export function stopBoai(proc, signal = 'SIGTERM') {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    proc.removeAllListeners('exit');
    proc.on('exit', () => resolve());
    proc.kill(signal);
  });
}

export function freePort() {
  return new Promise((resolve) => {
    import('node:net').then(({ createServer }) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const { port } = s.address();
        s.close(() => resolve(port));
      });
    });
  });
}

let ridCounter = 0;

// A wait for a frame that ended because the connection closed first.
export class ConnectionClosed extends Error {}

// A viewer or staff client: send frames, wait for the ones you expect.
export class Client {
  static open(port, { origin, cookie, protocol = 'boai.v1', path = '/ws' } = {}) {
    const headers = {};
    if (cookie) headers.Cookie = cookie;
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, protocol, { origin, headers });
    const c = new Client(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(c));
      ws.once('error', reject);
      ws.once('unexpected-response', (req, res) => reject(new Error(`refused: ${res.statusCode}`)));
    });
  }

  constructor(ws) {
    this.ws = ws;
    this.frames = [];
    this.waiters = [];
    this.isClosed = false;
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => {
      // Every frame has been delivered by now: what is still awaited will not come.
      this.isClosed = true;
      for (const w of [...this.waiters]) w.closed();
      resolve({ code, reason: reason.toString() });
    }));
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString());
      this.frames.push(frame);
      for (const w of [...this.waiters]) w.seen();
    });
    ws.on('error', () => {});
  }

  // Sends a frame; onWritten runs once the socket has taken it (ws's send callback).
  send(frame, onWritten) {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame), (error) => {
      if (!error) onWritten?.();
    });
  }

  // Resolves with the first frame (seen or to come) that matches and was not taken before;
  // rejects after timeoutMs, or with ConnectionClosed once the connection has closed.
  next(match, timeoutMs = 10000) {
    return new Promise((resolve, reject) => {
      const take = () => {
        const i = this.frames.findIndex((f) => !f._taken && match(f));
        if (i < 0) return false;
        this.frames[i]._taken = true;
        resolve(this.frames[i]);
        return true;
      };
      if (take()) return;
      if (this.isClosed) return reject(new ConnectionClosed('the connection closed before the frame came'));
      const waiter = {
        seen: () => {
          if (take()) done();
        },
        closed: () => {
          done();
          reject(new ConnectionClosed('the connection closed before the frame came'));
        },
      };
      const done = () => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        clearTimeout(timer);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out waiting; frames so far: ${JSON.stringify(this.frames).slice(0, 2000)}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  type(type, timeoutMs) {
    return this.next((f) => f.type === type, timeoutMs);
  }

  // Sends a request with a fresh rid and resolves with its ack or error.
  request(frame, timeoutMs, onWritten) {
    const rid = `r${++ridCounter}`;
    this.send({ ...frame, rid }, onWritten);
    return this.next((f) => f.rid === rid && (f.type === 'ack' || f.type === 'error'), timeoutMs);
  }

  async hello(room, extra = {}, timeoutMs) {
    this.send({ type: 'hello', room, ...extra });
    return this.next((f) => f.type === 'welcome' || f.type === 'error', timeoutMs);
  }

  close() {
    this.ws.close();
    return this.closed;
  }
}

// Signs a staff member in and returns the cookie for the WebSocket upgrade.
export async function signIn(port, name, password) {
  const res = await fetch(`http://127.0.0.1:${port}/api/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name, password }),
  });
  if (res.status !== 200) throw new Error(`login ${res.status}`);
  return res.headers.get('set-cookie').split(';')[0];
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Resolves once condition() holds, checked every everyMs; rejects after timeoutMs, a generous
// deadline: the condition is what the test waits for, not the time.
export async function until(condition, what, { timeoutMs = 60000, everyMs = 5 } = {}) {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}
