// The live service around the room: metrics, a reader too slow to keep up, connections per
// address, configurable limits, and HTTPS + WSS with a certificate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import https from 'node:https';
import http2 from 'node:http2';
import WebSocket from 'ws';
import { Client, runBoai, startBoai, tempDir, signIn, until } from './support.mjs';

async function station(prefix) {
  const dataDir = tempDir(prefix);
  let r = await runBoai(['campaign', 'add', 'firstaid', '--title', '急救', '--goal', '1000', '--live',
    '--data-dir', dataDir]);
  assert.equal(r.code, 0, r.output);
  r = await runBoai(['user', 'add', 'host1', '--role', 'host', '--data-dir', dataDir], { input: 'host-password-1\n' });
  assert.equal(r.code, 0, r.output);
  return dataDir;
}

async function metric(port, name) {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const m = text.match(new RegExp(`^${name} (\\d+)`, 'm'));
  return m ? Number(m[1]) : undefined;
}

test('a reader too slow to keep up is closed with 1008; the others are not held back', async () => {
  const dataDir = await station('slow');
  const server = await startBoai(['--listen', '127.0.0.1:0', '--data-dir', dataDir,
    '--limits', 'queued_frames=200,connections_per_address=3']);
  try {
    const host = await Client.open(server.port, { cookie: await signIn(server.port, 'host1', 'host-password-1') });
    await host.hello('firstaid');
    const slow = await Client.open(server.port);
    await slow.hello('firstaid', { nickname: 'slowpoke' });
    const fine = await Client.open(server.port);
    await fine.hello('firstaid', { nickname: 'fine' });
    assert.equal(await metric(server.port, 'boai_ws_connections'), 3);
    // A fourth connection from this address is over the limit of 3.
    await assert.rejects(Client.open(server.port), /^Error: refused: 403$/);

    slow.ws._socket.pause(); // stops reading: the server's queue for it grows
    const text = '长'.repeat(200);
    let last;
    // Kernel buffers take a few megabytes before the server's own queue starts to grow.
    for (let i = 0; i < 40000 && !(await metric(server.port, 'boai_ws_slow_clients_dropped_total')); i += 50) {
      const batch = [];
      for (let k = 0; k < 50; ++k) batch.push(host.request({ type: 'chat.send', text }));
      last = (await Promise.all(batch)).at(-1);
    }
    assert.ok((await metric(server.port, 'boai_ws_slow_clients_dropped_total')) >= 1);
    await fine.next((f) => f.type === 'chat.message' && f.seq === last.seq);
    // Frames that piled up for a reader leave several to a send: each still arrives, whole and in order.
    const seqs = fine.frames.filter((f) => f.type === 'chat.message').map((f) => f.seq);
    assert.ok(seqs.length > 100);
    seqs.forEach((seq, i) => i > 0 && assert.equal(seq, seqs[i - 1] + 1));
    slow.ws._socket.resume();
    const closed = await slow.closed;
    assert.ok([1008, 1006].includes(closed.code), String(closed.code));
    assert.ok((await metric(server.port, 'boai_ws_messages_out_total')) > 100);
    assert.ok((await metric(server.port, 'boai_ws_messages_in_total')) > 100);
    await host.close();
    await fine.close();
  } finally {
    await server.stop();
  }
});

test('an idle viewer is pinged and kept; one that stays silent, not even a pong, is closed', async () => {
  const dataDir = await station('idle');
  const server = await startBoai(['--listen', '127.0.0.1:0', '--data-dir', dataDir,
    '--limits', 'ping_after_idle_seconds=1,close_after_silent_seconds=3']);
  try {
    const awake = await Client.open(server.port);
    await awake.hello('firstaid', { nickname: 'awake' });
    let pings = 0;
    awake.ws.on('ping', () => ++pings); // ws answers every ping with a pong by itself
    const asleep = await Client.open(server.port);
    await asleep.hello('firstaid', { nickname: 'asleep' });
    asleep.ws._socket.pause(); // reads nothing, so it never answers a ping
    // The server closes the silent one (it has 3 s of silence); the awake one was pinged again,
    // which it is only once its pong to the first ping was heard: its silence never reached 3 s.
    await until(async () => (await metric(server.port, 'boai_ws_connections')) === 1 && pings >= 2,
      'the silent viewer closed and the awake one pinged twice', { everyMs: 100 });
    asleep.ws._socket.resume();
    const closed = await asleep.closed;
    assert.ok([1001, 1006].includes(closed.code), String(closed.code));
    assert.equal(awake.ws.readyState, WebSocket.OPEN);
    assert.equal((await awake.request({ type: 'chat.send', text: '还在' })).type, 'ack');
    await awake.close();
  } finally {
    await server.stop();
  }
});

test('viewers who fell quiet together are pinged a share at a time, and all are kept', async () => {
  const dataDir = await station('pingspread');
  // Between ping and hang-up 4 s: pings are spread over 2 s, 40 viewers at 21 a sweep.
  const server = await startBoai(['--listen', '127.0.0.1:0', '--data-dir', dataDir,
    '--limits', 'ping_after_idle_seconds=2,close_after_silent_seconds=6']);
  try {
    const viewers = [];
    for (let i = 0; i < 40; ++i) {
      const v = await Client.open(server.port);
      await v.hello('firstaid', { nickname: `v${i}` });
      viewers.push(v);
    }
    // However long opening them took, all fall quiet now, together: the last thing each says.
    await Promise.all(viewers.map((v) => v.request({ type: 'ping' })));
    const pings = viewers.map(() => []);
    viewers.forEach((v, i) => v.ws.on('ping', () => pings[i].push(Date.now())));
    // A second ping comes only once the pong to the first was heard, so a viewer pinged twice
    // was kept past the point where its silence would have closed it.
    await until(() => pings.every((p) => p.length >= 2), 'every viewer pinged twice', { everyMs: 50 });
    const first = pings.map((p) => p[0]);
    const spread = Math.max(...first) - Math.min(...first);
    assert.ok(spread >= 500, `all pinged within ${spread} ms`);
    for (const v of viewers) assert.equal(v.ws.readyState, WebSocket.OPEN);
    for (const v of viewers) await v.close();
  } finally {
    await server.stop();
  }
});

test('limits are configurable', async () => {
  const dataDir = await station('limits');
  const bad = await runBoai(['serve', '--listen', '127.0.0.1:0', '--data-dir', dataDir, '--limits', 'chat_chars=x']);
  assert.equal(bad.code, 2);
  const server = await startBoai(['--listen', '127.0.0.1:0', '--data-dir', dataDir, '--limits', 'chat_chars=5,nickname_chars=3']);
  try {
    const c = await Client.open(server.port);
    assert.equal((await c.hello('firstaid', { nickname: '四个字了' })).code, 'too_long');
    const d = await Client.open(server.port);
    await d.hello('firstaid', { nickname: '三个字' });
    assert.equal((await d.request({ type: 'chat.send', text: '六个字的话啊' })).code, 'too_long');
    assert.equal((await d.request({ type: 'chat.send', text: '五个字的话' })).type, 'ack');
    await c.close();
    await d.close();
  } finally {
    await server.stop();
  }
});

test('HTTPS and WSS with --tls-cert and --tls-key', async () => {
  const dataDir = await station('tls');
  const cert = join(dataDir, 'cert.pem');
  const key = join(dataDir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-keyout', key, '-out', cert], { stdio: 'ignore' });
  const server = await startBoai(['--listen', '127.0.0.1:0', '--data-dir', dataDir, '--tls-cert', cert, '--tls-key', key]);
  try {
    assert.match(server.output(), /listening on https:/);
    const health = await new Promise((resolve, reject) => {
      https.get({ host: '127.0.0.1', port: server.port, path: '/healthz', rejectUnauthorized: false }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode, body }));
      }).on('error', reject);
    });
    assert.equal(health.status, 200);
    assert.equal(health.body, '{"status":"ok","db":"ok"}');
    // Pages go over HTTP/2 when the browser offers it.
    const h2 = await new Promise((resolve, reject) => {
      const session = http2.connect(`https://127.0.0.1:${server.port}`, { rejectUnauthorized: false });
      session.on('error', reject);
      const req = session.request({ ':path': '/' });
      let body = '';
      req.on('response', (headers) => (body += headers[':status'] + ' '));
      req.on('data', (d) => (body += d));
      req.on('end', () => { session.close(); resolve(body); });
    });
    assert.match(h2, /^200 /);
    const login = await new Promise((resolve, reject) => {
      const req = https.request({ host: '127.0.0.1', port: server.port, path: '/api/login', method: 'POST',
        rejectUnauthorized: false, headers: { 'Content-Type': 'application/json' } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.headers['set-cookie'][0]));
      });
      req.on('error', reject);
      req.end(JSON.stringify({ name: 'host1', password: 'host-password-1' }));
    });
    assert.match(login, /; Secure/);
    const ws = new WebSocket(`wss://127.0.0.1:${server.port}/ws`, 'boai.v1', { rejectUnauthorized: false });
    const c = new Client(ws);
    await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
    assert.equal((await c.hello('firstaid')).type, 'welcome');
    await c.close();
  } finally {
    await server.stop();
  }
});
