// Pledges through the live room: acknowledged after commit, shown to the room masked, retried
// without doubling, refused when wrong; history across a restart; and a crash test where
// `boai serve` is killed with SIGKILL while phones pledge and retry.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, ConnectionClosed, runBoai, startBoai, tempDir, freePort, stopBoai, sleep, until }
  from './support.mjs';

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
    // The phone loses its signal once the pledge has left, before the ack can come back.
    await new Promise((resolve) => first.send({ type: 'pledge.create', rid: 'x', idempotency_key: k, amount_fen: 3000 },
      () => { first.ws.terminate(); resolve(); }));
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

test('crash test: every acknowledged pledge is in the ledger exactly once', async (t) => {
  const port = await freePort();
  // Limits high enough that no phone waits between pledges: a kill lands in the middle of a burst.
  const args = ['--listen', `127.0.0.1:${port}`, '--data-dir', dataDir,
    '--limits', 'messages_per_second=1000,message_burst=1000,pledges_per_minute=60000,'
      + 'session_pledges_per_hour=100000,address_pledges_per_hour=100000'];
  const before = new Set((await ledgerEntries()).filter((e) => e.kind === 'pledge').map((e) => e.reference));
  let server = await startBoai(args);
  const acknowledged = new Map(); // idempotency key -> reference
  const amounts = new Map(); // idempotency key -> amount_fen
  const inFlight = new Set(); // keys written to a socket and not answered yet
  const replayed = new Set(); // keys whose ack came from a retry that found the pledge committed
  let killsDone = false;
  let killerFailed = false; // then the phones give up too, and the test fails with its error

  // A connection that said welcome, or null while the server is down or starting.
  async function connect(n) {
    let client;
    try {
      client = await Client.open(port);
    } catch {
      return null; // nobody listens yet
    }
    try {
      const w = await client.hello('firstaid', { nickname: `phone${n}` }, 30000);
      if (w.type === 'welcome') return client;
      if (w.code !== 'db_unavailable') throw new Error(`hello answered ${JSON.stringify(w)}`);
    } catch (e) {
      if (!(e instanceof ConnectionClosed)) throw e;
    }
    client.ws.terminate();
    return null;
  }

  // A phone: pledges one key after another, each retried (same key) until acknowledged, until
  // the kills are over. Only a lost connection is retried: any other answer fails the test.
  async function phone(n) {
    let client = null;
    for (let i = 0; !killsDone || i < 5; ++i) {
      const k = `crash-${n}-${i}-${Date.now()}`;
      amounts.set(k, 100 + n);
      while (!acknowledged.has(k)) {
        if (killerFailed) return;
        client ??= await connect(n);
        if (!client) {
          await sleep(50);
          continue;
        }
        let a;
        let answered = false;
        try {
          a = await client.request({ type: 'pledge.create', idempotency_key: k, amount_fen: 100 + n }, 30000,
            () => answered || inFlight.add(k));
        } catch (e) {
          if (!(e instanceof ConnectionClosed)) throw e;
          client = null;
          continue;
        } finally {
          answered = true;
          inFlight.delete(k);
        }
        if (a.type === 'ack') {
          acknowledged.set(k, a.pledge.reference);
          if (a.pledge.replayed) replayed.add(k);
        }
        else if (a.code === 'rate_limited' || a.code === 'db_unavailable') await sleep(20);
        else throw new Error(`unexpected answer to ${k}: ${JSON.stringify(a)}`);
      }
    }
    client?.ws.terminate();
  }

  // Each kill waits until this server has acknowledged pledges and several more are on their
  // way; what was in flight then is recorded in the same turn as the SIGKILL.
  const cut = [];
  const killer = (async () => {
    try {
      for (let kill = 0; kill < 3; ++kill) {
        const ackedBefore = acknowledged.size;
        await until(() => acknowledged.size >= ackedBefore + 20 && inFlight.size >= 4,
          'pledges acknowledged by this server and others in flight');
        cut.push([...inFlight]);
        await stopBoai(server.proc, 'SIGKILL');
        server = await startBoai(args);
      }
    } catch (e) {
      killerFailed = true;
      throw e;
    } finally {
      killsDone = true;
    }
  })();
  await Promise.all([killer, ...Array.from({ length: 12 }, (_, n) => phone(n))]);
  await server.stop();

  // Each kill cut pledges off mid-flight, and every one of those was acknowledged in the end.
  assert.equal(cut.length, 3);
  for (const keys of cut) {
    assert.ok(keys.length >= 4, JSON.stringify(keys));
    for (const k of keys) assert.ok(acknowledged.has(k), k);
  }
  t.diagnostic(`${acknowledged.size} pledges; in flight at the kills: ${cut.map((c) => c.length).join(', ')}; `
    + `committed before a kill and acknowledged on a retry: ${replayed.size}`);
  // The ledger gained exactly the acknowledged pledges, each once and for its amount.
  const entries = (await ledgerEntries()).filter((e) => e.kind === 'pledge' && !before.has(e.reference));
  const byReference = new Map(entries.map((e) => [e.reference, e]));
  assert.equal(byReference.size, entries.length, 'no pledge exists twice');
  assert.equal(entries.length, acknowledged.size);
  for (const [k, reference] of acknowledged) {
    assert.equal(byReference.get(reference)?.amount_fen, amounts.get(k), k);
  }
  const verify = await runBoai(['ledger', 'verify', '--data-dir', dataDir]);
  assert.equal(verify.code, 0, verify.output);
});
