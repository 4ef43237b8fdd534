// Two `boai serve` nodes on one PostgreSQL form one room: chat and donations accepted on either
// reach viewers on both, in one order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, runBoai, startBoai, tempDir, signIn, until } from './support.mjs';

const roomEvents = (c) => c.frames.filter((f) => ['chat.message', 'donation'].includes(f.type));

test('two nodes deliver each other\'s chat and donations in the same order', async () => {
  const dataDir = tempDir('cluster');
  const r = await runBoai(['campaign', 'add', 'firstaid', '--title', '急救', '--goal', '1000', '--live',
    '--data-dir', dataDir]);
  assert.equal(r.code, 0, r.output);
  // Both nodes use the private cluster of one data directory: one PostgreSQL.
  const one = await startBoai(['--listen', '127.0.0.1:0', '--data-dir', dataDir]);
  const two = await startBoai(['--listen', '127.0.0.1:0', '--data-dir', dataDir]);
  try {
    const a = await Client.open(one.port);
    const b = await Client.open(two.port);
    await a.hello('firstaid', { nickname: 'on-one' });
    await b.hello('firstaid', { nickname: 'on-two' });
    const sent = [];
    for (let i = 0; i < 4; ++i) {
      sent.push(a.request({ type: 'chat.send', text: `one ${i}` }));
      sent.push(b.request({ type: 'chat.send', text: `two ${i}` }));
    }
    sent.push(a.request({ type: 'pledge.create', idempotency_key: `cluster-a-${Date.now()}`, amount_fen: 1000 }));
    sent.push(b.request({ type: 'pledge.create', idempotency_key: `cluster-b-${Date.now()}`, amount_fen: 2000 }));
    const answers = await Promise.all(sent);
    // Every acknowledged chat and pledge is one room event (a pledge's is its donation); the
    // message rate limit may refuse one or two of the burst.
    const expected = answers.filter((x) => x.type === 'ack').length;
    assert.ok(expected >= 8, JSON.stringify(answers));
    const order = async (c) => {
      // Waits generously for all of them; a missing one then fails the assertions below.
      await until(() => roomEvents(c).length >= expected, 'every room event', { everyMs: 100 }).catch(() => {});
      return roomEvents(c).map((f) => `${f.seq}:${f.type}:${f.text ?? f.amount_fen}`);
    };
    const seenA = await order(a);
    const seenB = await order(b);
    assert.equal(seenA.length, expected, JSON.stringify({ seenA, seenB, answers }));
    assert.deepEqual(seenA, seenB);
    const seqs = seenA.map((s) => Number(s.split(':')[0]));
    assert.deepEqual(seqs, [...seqs].sort((x, y) => x - y));
    assert.equal(new Set(seqs).size, seqs.length);
    await a.close();
    await b.close();
  } finally {
    await one.stop();
    await two.stop();
  }
});

test('a ban made on one node removes the viewer from the other', async () => {
  const dataDir = tempDir('cluster-ban');
  let r = await runBoai(['campaign', 'add', 'firstaid', '--title', '急救', '--goal', '1000', '--live',
    '--data-dir', dataDir]);
  assert.equal(r.code, 0, r.output);
  r = await runBoai(['user', 'add', 'host1', '--role', 'host', '--data-dir', dataDir], { input: 'host-password-1\n' });
  assert.equal(r.code, 0, r.output);
  const one = await startBoai(['--listen', '127.0.0.1:0', '--data-dir', dataDir]);
  const two = await startBoai(['--listen', '127.0.0.1:0', '--data-dir', dataDir]);
  try {
    const host = await Client.open(one.port, { cookie: await signIn(one.port, 'host1', 'host-password-1') });
    await host.hello('firstaid');
    const troll = await Client.open(two.port);
    await troll.hello('firstaid', { nickname: 'troll' });
    const said = await troll.request({ type: 'chat.send', text: 'spam' });
    await host.next((f) => f.type === 'chat.message' && f.id === said.id);
    assert.equal((await host.request({ type: 'mod.ban', id: said.id, minutes: 5 })).type, 'ack');
    assert.equal((await troll.next((f) => f.code === 'banned')).type, 'error');
    assert.equal((await troll.closed).code, 1008);
    await host.close();
  } finally {
    await one.stop();
    await two.stop();
  }
});

test('a room counts its viewers on every node; a node that stops takes its viewers with it', async () => {
  const dataDir = tempDir('cluster-viewers');
  const r = await runBoai(['campaign', 'add', 'firstaid', '--title', '急救', '--goal', '1000', '--live',
    '--data-dir', dataDir]);
  assert.equal(r.code, 0, r.output);
  const one = await startBoai(['--listen', '127.0.0.1:0', '--data-dir', dataDir]);
  const two = await startBoai(['--listen', '127.0.0.1:0', '--data-dir', dataDir]);
  let twoStopped = false;
  try {
    const a = await Client.open(one.port);
    await a.hello('firstaid', { nickname: 'on-one' });
    const b = await Client.open(two.port);
    await b.hello('firstaid', { nickname: 'on-two-1' });
    const c = await Client.open(two.port);
    await c.hello('firstaid', { nickname: 'on-two-2' });
    // Counts go out at most once a second on each node: wait for the sum, not a frame.
    const counted = (client, n) => client.next((f) => f.type === 'viewers' && f.count === n);
    await counted(a, 3);
    await counted(b, 3);
    await c.close();
    await counted(a, 2);
    const late = await Client.open(one.port);
    assert.equal((await late.hello('firstaid', { nickname: 'late' })).viewers, 3);
    await counted(a, 3);
    await two.stop();
    twoStopped = true;
    await counted(a, 2);  // one's own two viewers: two said goodbye as it stopped
    await a.close();
    await late.close();
  } finally {
    await one.stop();
    if (!twoStopped) await two.stop();
  }
});
