// Pledges through the live room: acknowledged after commit, shown to the room masked, retried
// without doubling, refused when wrong; history across a restart; and a crash test where
// `boai serve` is killed with SIGKILL while phones pledge and retry.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, runBoai, startBoai, tempDir, freePort, stopBoai, sleep } from './support.mjs';

let dataDir;

before(async () => {
  dataDir = tempDir('pledges');
  const r = await runBoai(['campaign', 'add', 'firstaid', '--title', '急救知识直播课', '--goal', '50000',
    '--live', '--data-dir', dataDir]);
  assert.equal(r.code, 0, r.output);
});

async function ledgerEntries() {
  const out = tempDir('export');
  const r = await runBoai(['ledger', 'export', '--public', '--out', out, '--data-dir', dataDir]);
  assert.equal(r.code, 0, r.output);
  return JSON.parse(readFileSync(join(out, 'ledger.json'), 'utf8')).entries;
}

const key = (name) => `${name}-${Math.random().toString(36).slice(2, 12)}`;

test('a pledge is acknowledged with how to pay, and the room sees it masked', async () => {
  const server = await startBoai(['--listen', '127.0.0.1:0', '--data-dir', dataDir,
    '--pay-account', '中国银行 柯桥支行 6217 0000 0000', '--pay-qr-url', '/pay.png']);
  try {
    const donor = await Client.open(server.port);
    const watcher = await Client.open(server.port);
    await donor.hello('firstaid', { nickname: '小明' });
    const before = await watcher.hello('firstaid');
    const ack = await donor.request({ type: 'pledge.create', idempotency_key: key('p'), amount_fen: 10050,
      display_name: '张三丰', message: '<img src=x onerror=alert(1)>' });
    assert.equal(ack.type, 'ack', JSON.stringify(ack));
    assert.match(ack.pledge.reference, /^[2-9A-HJ-NP-Z]{8}$/);
    assert.equal(ack.pledge.amount_fen, 10050);
    assert.equal(ack.pledge.pay.account, '中国银行 柯桥支行 6217 0000 0000');
    assert.equal(ack.pledge.pay.remark, ack.pledge.reference);
    const donation = await watcher.type('donation');
    assert.equal(donation.display_name, '张**');
    assert.equal(donation.amount_fen, 10050);
    assert.equal(donation.message, '<img src=x onerror=alert(1)>'); // text; pages escape it
    const totals = await watcher.next((f) => f.type === 'totals' && f.totals.pledged_fen >= before.totals.pledged_fen + 10050);
    assert.equal(totals.totals.goal_fen, 5000000);

    const anon = await donor.request({ type: 'pledge.create', idempotency_key: key('a'), amount_fen: 500, anonymous: true,
      display_name: '王五' });
    assert.equal(anon.pledge.display_name, '爱心人士');
    await donor.close();
    await watcher.close();
  } finally {
    await server.stop();
  }
});

test('wrong pledges are refused and write nothing', async () => {
  const server = await startBoai(['--listen', '127.0.0.1:0', '--data-dir', dataDir]);
  try {
    const before = (await ledgerEntries()).length;
    const cases = [
      [{ amount_fen: 0 }, 'amount_out_of_range'],
      [{ amount_fen: 99 }, 'amount_out_of_range'],
      [{ amount_fen: 5000001 }, 'amount_out_of_range'],
      [{ amount_fen: '100' }, 'bad_request'],
      [{ amount_fen: 1000, fund: 'yachts' }, 'fund_not_found'],
      [{ amount_fen: 1000, idempotency_key: 'short' }, 'idempotency_key_invalid'],
      [{ amount_fen: 1000, message: '爱'.repeat(201) }, 'too_long'],
    ];
    for (const [fields, code] of cases) {
      const c = await Client.open(server.port); // a fresh phone each time: no rate limit in the way
      await c.hello('firstaid');
      const answer = await c.request({ type: 'pledge.create', idempotency_key: key('bad'), ...fields });
      assert.equal(answer.code, code, JSON.stringify(fields));
      await c.close();
    }
    const c = await Client.open(server.port);
    await c.hello('firstaid');
    const k = key('reuse');
    assert.equal((await c.request({ type: 'pledge.create', idempotency_key: k, amount_fen: 1000 })).type, 'ack');
    assert.equal((await c.request({ type: 'pledge.create', idempotency_key: k, amount_fen: 2000 })).code,
      'idempotency_key_reused');
    await c.close();
    assert.equal((await ledgerEntries()).length, before + 1);
  } finally {
    await server.stop();
  }
});

test('a pledge retried after a dropped connection is one pledge', async () => {
  const server = await startBoai(['--listen', '127.0.0.1:0', '--data-dir', dataDir]);
  try {
    const k = key('dropped');
    const first = await Client.open(server.port);
    await first.hello('firstaid');
    first.send({ type: 'pledge.create', rid: 'x', idempotency_key: k, amount_fen: 3000 });
    first.ws.terminate(); // the phone lost its signal before the ack
    const again = await Client.open(server.port);
    await again.hello('firstaid');
    const ack = await again.request({ type: 'pledge.create', idempotency_key: k, amount_fen: 3000 });
    assert.equal(ack.type, 'ack');
    const third = await again.request({ type: 'pledge.create', idempotency_key: k, amount_fen: 3000 });
    assert.equal(third.pledge.reference, ack.pledge.reference);
    assert.equal(third.pledge.replayed, true);
    const entries = (await ledgerEntries()).filter((e) => e.reference === ack.pledge.reference);
    assert.equal(entries.length, 1);
    await again.close();
  } finally {
    await server.stop();
  }
});

test('chat history survives a restart', async () => {
  let server = await startBoai(['--listen', '127.0.0.1:0', '--data-dir', dataDir]);
  const c = await Client.open(server.port);
  await c.hello('firstaid', { nickname: '记录员' });
  const said = await c.request({ type: 'chat.send', text: '重启之前的话' });
  assert.equal(said.type, 'ack');
  await server.stop();
  assert.equal((await c.closed).code, 1001);
  server = await startBoai(['--listen', '127.0.0.1:0', '--data-dir', dataDir]);
  try {
    const back = await Client.open(server.port);
    const welcome = await back.hello('firstaid');
    assert.ok(welcome.recent.some((m) => m.id === said.id && m.text === '重启之前的话'));
    assert.equal(welcome.seq >= said.seq, true);
    await back.close();
  } finally {
    await server.stop();
  }
});

test('crash test: every acknowledged pledge is in the ledger exactly once', async () => {
  const port = await freePort();
  const args = ['--listen', `127.0.0.1:${port}`, '--data-dir', dataDir];
  let server = await startBoai(args);
  const acknowledged = new Map(); // idempotency key -> reference
  let stopping = false;

  // A phone: pledges its list one by one, retrying each (same key) until acknowledged.
  async function phone(n) {
    const keys = Array.from({ length: 5 }, (_, i) => `crash-${n}-${i}-${Date.now()}`);
    let client = null;
    for (const k of keys) {
      while (!acknowledged.has(k)) {
        try {
          if (!client) {
            client = await Client.open(port);
            const w = await client.hello('firstaid', { nickname: `phone${n}` }, 3000);
            if (w.type !== 'welcome') throw new Error('no welcome');
          }
          const a = await client.request({ type: 'pledge.create', idempotency_key: k, amount_fen: 100 + n }, 3000);
          if (a.type === 'ack') acknowledged.set(k, a.pledge.reference);
          else if (a.code === 'rate_limited') await sleep(1200);
          else if (a.code !== 'db_unavailable') throw new Error(a.code);
        } catch {
          if (client) client.ws.terminate();
          client = null;
          await sleep(200);
        }
      }
    }
    if (client) client.ws.terminate();
    return keys;
  }

  const killer = (async () => {
    for (let i = 0; i < 2 && !stopping; ++i) {
      await sleep(700);
      await stopBoai(server.proc, 'SIGKILL');
      await sleep(300);
      server = await startBoai(args);
    }
  })();
  const phones = await Promise.all(Array.from({ length: 12 }, (_, n) => phone(n)));
  stopping = true;
  await killer;
  await server.stop();

  const all = phones.flat();
  assert.equal(acknowledged.size, all.length);
  const entries = (await ledgerEntries()).filter((e) => e.kind === 'pledge');
  for (const [k, reference] of acknowledged) {
    assert.equal(entries.filter((e) => e.reference === reference).length, 1, k);
  }
  const references = entries.map((e) => e.reference);
  assert.equal(new Set(references).size, references.length, 'no pledge exists twice');
  const verify = await runBoai(['ledger', 'verify', '--data-dir', dataDir]);
  assert.equal(verify.code, 0, verify.output);
});
