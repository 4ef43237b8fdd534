// Issue #17 and #14's proxy item: the site as deploy/ describes it, on this machine (scripts/site:
// PostgreSQL, a studio node, two web nodes, Debian's nginx with deploy/nginx/boai.conf over TLS).
// A viewer page joins through nginx, WebSockets reach both web nodes, a playlist and a segment
// come through nginx's cache, so do a low-latency blocking reload and a part, and each client
// address behind nginx has its own limits; the nodes work as the service role, not the owner.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Client, runBoai, tempDir, until } from '../ws/support.mjs';
import { joined, launchBrowser } from './support.mjs';

const WebSocket = createRequire(new URL('../ws/support.mjs', import.meta.url))('ws');
const ROOT = new URL('../..', import.meta.url).pathname;

let site;
let siteExit;
let env = {};
let output = '';

before(async () => {
  const dir = tempDir('site');
  const childEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('BOAI_')) childEnv[k] = v;
  // One socket per address on each node: the proxy test below counts on it.
  site = spawn(join(ROOT, 'scripts/site'), ['--dir', dir, '--boai', process.env.BOAI_BINARY, '--',
    '--limits', 'connections_per_address=1'], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  siteExit = new Promise((resolve) => site.on('exit', resolve));
  site.stdout.on('data', (d) => { output += d; });
  site.stderr.on('data', (d) => { output += d; });
  await until(() => output.includes('site: ready') || site.exitCode !== null, 'the site',
    { timeoutMs: 120000, everyMs: 50 });
  assert.ok(output.includes('site: ready'), output);
  for (const line of readFileSync(join(dir, 'site.env'), 'utf8').split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) env[line.slice(0, eq)] = line.slice(eq + 1);
  }
});

after(async () => {
  site?.kill('SIGTERM');
  await siteExit;
});

// One HTTPS request through nginx (its certificate is self-signed), from a loopback address.
function get(path, { from = '127.0.0.1', headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const req = https.get(new URL(path, env.SITE_URL), { localAddress: from, headers,
      rejectUnauthorized: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers,
        body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
  });
}

// A viewer's WebSocket through nginx (or straight to a node), from a loopback address; resolves
// with the welcomed client, or {refused: status}.
function viewer(from, { url = env.SITE_URL.replace('https', 'wss'), headers = {} } = {}) {
  const ws = new WebSocket(new URL('/ws', url), 'boai.v1', { localAddress: from, headers,
    rejectUnauthorized: false });
  return new Promise((resolve, reject) => {
    ws.once('open', async () => {
      const c = new Client(ws);
      const welcome = await c.hello('firstaid');
      assert.equal(welcome.type, 'welcome', JSON.stringify(welcome));
      resolve(c);
    });
    ws.once('unexpected-response', (req, res) => resolve({ refused: res.statusCode }));
    ws.once('error', reject);
  });
}

async function connectionsOf(node) {
  const res = await fetch(`http://${node}/metrics`);
  const m = /^boai_ws_connections (\d+)/m.exec(await res.text());
  return m ? Number(m[1]) : 0;
}

test('the viewer page loads through nginx over HTTP/2 and joins its room', async () => {
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const res = await page.goto(env.SITE_URL);
    assert.equal(res.status(), 200);
    assert.equal(res.headers()['strict-transport-security'], 'max-age=31536000');
    await joined(page);
    // The page (from a web node) is asked again at every use; the scripts and styles it names by
    // their hash come from nginx's disk, kept a year.
    const home = await get('/');
    assert.equal(home.headers['cache-control'], 'no-cache');
    const named = [...home.body.toString().matchAll(/(?:src|href)="(\/(?:js|css|vendor)\/[^"]+)"/g)]
      .map((m) => m[1]);
    assert.ok(named.length >= 3, named.join(' '));
    for (const path of named) {
      assert.match(path, /\.[0-9a-f]{10}\.(js|css)$/);
      const file = await get(path);
      assert.equal(file.status, 200, path);
      assert.equal(file.headers['cache-control'], 'public, max-age=31536000, immutable', path);
      const again = await get(path, { headers: { 'if-none-match': file.headers.etag } });
      assert.equal(again.status, 304, path);
      assert.equal(again.headers['cache-control'], 'public, max-age=31536000, immutable', path);
    }
    // A hashed name that is not there (yet: a node ahead of this copy) is not kept.
    const missing = await get('/js/viewer.0123456789.js');
    assert.equal(missing.status, 404);
    assert.equal(missing.headers['cache-control'], undefined);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('WebSockets through nginx land on either web node', async () => {
  const [web1, web2] = env.WEB_NODES.split(' ');
  const open = [];
  await until(async () => {
    const c = await viewer(`127.0.0.${11 + open.length}`);
    assert.ok(!c.refused, `refused: ${c.refused}`);
    open.push(c);
    return (await connectionsOf(web1)) > 0 && (await connectionsOf(web2)) > 0;
  }, 'a viewer on each web node', { timeoutMs: 30000 });
  assert.ok(open.length <= 20);
  await Promise.all(open.map((c) => c.close()));
});

test('a playlist and a segment come through the cache, the segment once from the studio', async () => {
  let master;
  await until(async () => {
    master = await get('/hls/firstaid/master.m3u8');
    return master.status === 200;
  }, 'the studio on air', { timeoutMs: 90000, everyMs: 200 });
  assert.equal(master.headers['cache-control'], 'public, max-age=10');
  const variant = master.body.toString().split('\n').find((l) => l && !l.startsWith('#'));
  const playlistPath = new URL(variant, new URL('/hls/firstaid/master.m3u8', env.SITE_URL));
  let segment;
  await until(async () => {
    const playlist = await get(playlistPath.pathname);
    const uris = playlist.body.toString().split('\n').filter((l) => l && !l.startsWith('#'));
    if (playlist.status !== 200 || uris.length === 0) return false;
    assert.equal(playlist.headers['cache-control'], 'public, max-age=1');
    segment = new URL(uris[uris.length - 1], playlistPath).pathname;
    return true;
  }, 'a segment listed', { timeoutMs: 30000, everyMs: 200 });
  const first = await get(segment);
  const second = await get(segment);
  assert.equal(first.status, 200);
  assert.equal(first.headers['content-type'], 'video/mp2t');
  assert.equal(first.headers['cache-control'], 'public, max-age=60, immutable');
  assert.equal(second.headers['x-cache-status'], 'HIT');
  assert.ok(first.body.equals(second.body));
});

test('a low-latency blocking reload and a part come through the cache, then from it', async () => {
  let edge;
  await until(async () => {
    edge = await get('/ll/firstaid/720p/index.m3u8');
    return edge.status === 200 && edge.body.toString().includes('#EXT-X-PART:');
  }, 'low-latency parts on air', { timeoutMs: 90000, everyMs: 200 });
  // The playlist without _HLS_msn is the edge now: past the cache and its lock.
  assert.equal(edge.headers['x-cache-status'], 'BYPASS');
  const parts = [...edge.body.toString().matchAll(/URI="(segment(\d+)\.part(\d+)\.ts)"/g)];
  const [, uri, msn, part] = parts[parts.length - 1];
  // The part after the last one listed, as hls.js asks: the studio holds it until it exists.
  const reload = '/ll/firstaid/720p/index.m3u8'
    + `?_HLS_msn=${Number(msn)}&_HLS_part=${Number(part) + 1}`;
  const first = await get(reload);
  const second = await get(reload);
  assert.equal(first.status, 200, first.body.toString());
  assert.equal(first.headers['cache-control'], 'public, max-age=3');
  assert.equal(first.headers['x-cache-status'], 'MISS');
  assert.equal(second.headers['x-cache-status'], 'HIT');
  assert.ok(first.body.equals(second.body));
  const partPath = `/ll/firstaid/720p/${uri}`;
  const firstPart = await get(partPath);
  const secondPart = await get(partPath);
  assert.equal(firstPart.status, 200);
  assert.equal(firstPart.headers['content-type'], 'video/mp2t');
  assert.equal(secondPart.headers['x-cache-status'], 'HIT');
  assert.ok(firstPart.body.length > 0 && firstPart.body.equals(secondPart.body));
});

test('behind nginx each client address has its own limit and a forged X-Forwarded-For none', async () => {
  // connections_per_address=1 on each of the two web nodes: one address holds one socket on
  // each, and is refused wherever nginx sends it next.
  const held = [];
  let refusals = 0;
  while (held.length < 2) {
    const c = await viewer('127.0.0.41');
    if (c.refused) {
      assert.equal(c.refused, 403);
      refusals++;
    } else held.push(c);
    assert.ok(refusals < 20, 'the second node never took the address');
  }
  for (let k = 0; k < 4; k++) {
    assert.equal((await viewer('127.0.0.41')).refused, 403, 'one address got more than its limit');
  }
  const forged = await viewer('127.0.0.41', { headers: { 'X-Forwarded-For': '127.0.0.99' } });
  assert.equal(forged.refused, 403);
  // Another address behind the same nginx is someone else.
  const other = await viewer('127.0.0.42');
  assert.ok(!other.refused, 'a second address was refused: the limit counted nginx');
  // Straight to a node, the headers of a peer that is no trusted proxy mean nothing.
  const [web1] = env.WEB_NODES.split(' ');
  const direct = await viewer('127.0.0.43', { url: `ws://${web1}`,
    headers: { 'X-Forwarded-For': '127.0.0.41' } });
  assert.ok(!direct.refused, 'a peer named itself someone else');
  await Promise.all([...held, other, direct].map((c) => c.close()));
});

test('the nodes work as boai_service, which cannot switch the ledger triggers off', async () => {
  const psql = (sql) => new Promise((resolve) => {
    const p = spawn(join(env.PG_BINDIR, 'psql'), [env.SERVICE_DATABASE_URL, '-Atc', sql]);
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { out += d; });
    p.on('close', (code) => resolve({ code, out: out.trim() }));
  });
  const roles = await psql("SELECT DISTINCT usename FROM pg_stat_activity WHERE application_name LIKE 'boai/%'");
  assert.equal(roles.code, 0, roles.out);
  assert.equal(roles.out, 'boai_service');
  const refused = await psql('SET session_replication_role = replica');
  assert.notEqual(refused.code, 0);
  assert.match(refused.out, /permission denied/);
});

test('a staff sign-in through nginx gets a Secure cookie though the node speaks plain HTTP', async () => {
  const added = await runBoai(['user', 'add', 'host1', '--role', 'host', '--data-dir', tempDir('site-user'),
    '--database-url', env.SERVICE_DATABASE_URL], { input: 'host-password-1\n' });
  assert.equal(added.code, 0, added.output);
  const answer = await new Promise((resolve, reject) => {
    const body = JSON.stringify({ name: 'host1', password: 'host-password-1' });
    const req = https.request(new URL('/api/login', env.SITE_URL), { method: 'POST', rejectUnauthorized: false,
      headers: { 'Content-Type': 'application/json', Origin: new URL(env.SITE_URL).origin } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res));
    });
    req.on('error', reject);
    req.end(body);
  });
  assert.equal(answer.statusCode, 200);
  const cookie = answer.headers['set-cookie'][0];
  assert.match(cookie, /^boai_session=\w+/);
  assert.match(cookie, /; Secure/);
});
