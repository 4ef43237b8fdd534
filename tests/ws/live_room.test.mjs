// The live room over real sockets: a real `boai serve` with its private PostgreSQL, and clients
// from the ws package. Chat, resume, history across a restart, limits, moderation and pledges.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, runBoai, startBoai, tempDir, signIn, sleep, until } from './support.mjs';

let dataDir;
let server;

async function setUpStation(dir) {
  const db = ['--data-dir', dir];
  let r = await runBoai(['fund', 'add', 'aed', '--name', 'AED 基金', ...db]);
  assert.equal(r.code, 0, r.output);
  r = await runBoai(['campaign', 'add', 'firstaid', '--title', '急救知识直播课', '--goal', '50000',
    '--also-fund', 'aed', '--live', ...db]);
  assert.equal(r.code, 0, r.output);
  r = await runBoai(['user', 'add', 'host1', '--role', 'host', ...db], { input: 'host-password-1\n' });
  assert.equal(r.code, 0, r.output);
  r = await runBoai(['user', 'add', 'money', '--role', 'finance', ...db], { input: 'finance-password-1\n' });
  assert.equal(r.code, 0, r.output);
}

before(async () => {
  dataDir = tempDir('room');
  await setUpStation(dataDir);
  server = await startBoai(['--listen', '127.0.0.1:0', '--data-dir', dataDir]);
});

after(async () => {
  await server.stop();
});

test('frames sent before the session cookie is looked up are each answered, none dropped', async () => {
  const cookie = await signIn(server.port, 'host1', 'host-password-1');
  const host = await Client.open(server.port, { cookie });
  // At once, while the lookup runs: the first 16 are kept for it, any more are refused.
  const rids = Array.from({ length: 40 }, (_, i) => `early-${i}`);
  for (const rid of rids) host.send({ type: 'no.such.type', rid });
  const answers = await Promise.all(rids.map((rid) => host.next((f) => f.rid === rid, 30000)));
  for (const a of answers) {
    assert.equal(a.type, 'error');
    assert.ok(['unknown_type', 'rate_limited'].includes(a.code), JSON.stringify(a));
  }
  // Each rid once: nothing answered twice.
  assert.equal(host.frames.filter((f) => String(f.rid).startsWith('early-')).length, rids.length);
  await host.close();
});

test('two viewers chat', async () => {
  const a = await Client.open(server.port);
  const b = await Client.open(server.port);
  const wa = await a.hello('firstaid', { nickname: '小明' });
  assert.equal(wa.type, 'welcome');
  assert.equal(wa.campaign.title, '急救知识直播课');
  assert.equal(wa.totals.goal_fen, 5000000);
  await b.hello('firstaid', { nickname: '小红' });
  const ack = await a.request({ type: 'chat.send', text: '大家好' });
  assert.equal(ack.type, 'ack');
  const seen = await b.next((f) => f.type === 'chat.message' && f.id === ack.id);
  assert.equal(seen.nickname, '小明');
  assert.equal(seen.text, '大家好');
  assert.equal(seen.seq, ack.seq);
  await a.close();
  await b.close();
});

test('a reconnecting viewer gets exactly what it missed', async () => {
  const a = await Client.open(server.port);
  await a.hello('firstaid', { nickname: 'sender' });
  const c = await Client.open(server.port);
  const welcome = await c.hello('firstaid', { nickname: 'sleeper' });
  const session = welcome.session;
  const first = await a.request({ type: 'chat.send', text: 'one' });
  await c.next((f) => f.type === 'chat.message' && f.seq === first.seq);
  const lastSeen = first.seq;
  await c.close();
  const missed = [];
  for (const text of ['two', 'three', 'four']) {
    await sleep(1100); // stay under the message rate limit
    missed.push((await a.request({ type: 'chat.send', text })).seq);
  }
  const again = await Client.open(server.port);
  again.send({ type: 'hello', room: 'firstaid', nickname: 'sleeper', session, last_seq: lastSeen });
  const back = await again.type('welcome');
  const replayed = again.frames.filter((f) => f.type === 'chat.message').map((f) => f.seq);
  assert.deepEqual(replayed, missed);
  assert.equal(back.seq, missed.at(-1));
  assert.equal(back.session, session);
  await a.close();
  await again.close();
});

test('bad frames get stable errors', async () => {
  const c = await Client.open(server.port);
  c.send('not json at all');
  assert.equal((await c.type('error')).code, 'bad_json');
  c.send('[1,2,3]');
  assert.equal((await c.type('error')).code, 'bad_json');
  assert.equal((await c.request({ type: 'launch.rocket' })).code, 'unknown_type');
  assert.equal((await c.request({ type: 'chat.send', text: 'hi' })).code, 'not_in_room');
  assert.equal((await c.hello('no-such-room')).code, 'room_not_found');
  const w = await Client.open(server.port);
  assert.equal((await w.hello('firstaid', { nickname: 'x'.repeat(21) })).code, 'too_long');
  assert.equal((await w.hello('firstaid', { nickname: 'nul\u0000' })).code, 'text_invalid');
  await w.hello('firstaid', { nickname: 'w' });
  assert.equal((await w.request({ type: 'chat.send', text: 'a\u0000b' })).code, 'text_invalid');
  await c.close();
  await w.close();
});

test('limits: message rate, text length, oversized frames', async () => {
  const c = await Client.open(server.port);
  await c.hello('firstaid', { nickname: 'chatty' });
  assert.equal((await c.request({ type: 'chat.send', text: '长'.repeat(201) })).code, 'too_long');
  // The second request of a burst of five: the amount is what is wrong, not the rate.
  const pledge = await c.request({ type: 'pledge.create', idempotency_key: 'k-float-0001', amount_fen: 12.5 });
  assert.equal(pledge.code, 'bad_request', JSON.stringify(pledge));
  const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => c.request({ type: 'chat.send', text: `spam ${i}` })));
  assert.ok(answers.some((a) => a.code === 'rate_limited'), JSON.stringify(answers));
  c.send('x'.repeat(17 * 1024));
  const closed = await c.closed;
  assert.equal(closed.code, 1009);
});

test('the upgrade checks the Origin and the path', async () => {
  await assert.rejects(Client.open(server.port, { origin: 'http://evil.example' }), /^Error: refused: 403$/);
  const own = await Client.open(server.port, { origin: `http://127.0.0.1:${server.port}` });
  await own.close();
  await assert.rejects(Client.open(server.port, { path: '/elsewhere' }), /^Error: refused: 403$/);
});

test('a viewer cannot moderate; a host can delete and ban', async () => {
  const viewer = await Client.open(server.port);
  await viewer.hello('firstaid', { nickname: 'troll' });
  assert.equal((await viewer.request({ type: 'mod.clear' })).code, 'not_allowed');

  const financeCookie = await signIn(server.port, 'money', 'finance-password-1');
  const finance = await Client.open(server.port, { cookie: financeCookie });
  await finance.hello('firstaid');
  assert.equal((await finance.request({ type: 'mod.clear' })).code, 'not_allowed');

  const cookie = await signIn(server.port, 'host1', 'host-password-1');
  const host = await Client.open(server.port, { cookie });
  const hw = await host.hello('firstaid');
  assert.equal(hw.staff.role, 'host');

  const bad = await viewer.request({ type: 'chat.send', text: 'buy my stuff' });
  assert.equal(bad.type, 'ack');
  const del = await host.request({ type: 'mod.delete', id: bad.id });
  assert.equal(del.type, 'ack');
  const removed = await viewer.next((f) => f.type === 'chat.removed' && f.id === bad.id);
  assert.equal(removed.seq, del.seq);

  await sleep(1100);
  const again = await viewer.request({ type: 'chat.send', text: 'still here' });
  const ban = await host.request({ type: 'mod.ban', id: again.id, minutes: 60 });
  assert.equal(ban.type, 'ack');
  assert.equal((await viewer.next((f) => f.code === 'banned')).type, 'error');
  assert.equal((await viewer.closed).code, 1008);
  const back = await Client.open(server.port);
  assert.equal((await back.hello('firstaid', { nickname: 'troll2' })).code, 'banned'); // same address
  await host.close();
  await finance.close();
});

test('a draft room is neither listed nor joinable by viewers until it opens', async () => {
  let r = await runBoai(['campaign', 'add', 'soon', '--title', '下周的课', '--goal', '1000',
    '--data-dir', dataDir]);
  assert.equal(r.code, 0, r.output);
  const listed = async () => (await (await fetch(`http://127.0.0.1:${server.port}/api/rooms`)).json())
    .map((room) => room.slug);
  assert.ok(!(await listed()).includes('soon'));

  const viewer = await Client.open(server.port);
  assert.equal((await viewer.hello('soon')).code, 'room_not_found');
  // Staff prepare it: a host gets in (and the room opens on this node with its status read).
  const host = await Client.open(server.port, { cookie: await signIn(server.port, 'host1', 'host-password-1') });
  assert.equal((await host.hello('soon')).campaign.status, 'draft');
  assert.equal((await viewer.hello('soon')).code, 'room_not_found');

  r = await runBoai(['campaign', 'status', 'soon', '--set', 'live', '--data-dir', dataDir]);
  assert.equal(r.code, 0, r.output);
  // The list is read at most once a second (the answer is shared): listed within that.
  await until(async () => (await listed()).includes('soon'), 'the opened room to be listed',
    { everyMs: 100 });
  const welcome = await viewer.hello('soon');
  assert.equal(welcome.type, 'welcome');
  assert.equal(welcome.campaign.status, 'live');
  await viewer.close();
  await host.close();
});

test('pledge messages and names keep the room\'s blocked words and mutes', async () => {
  // A room of its own: an earlier test banned this address from firstaid.
  const r = await runBoai(['campaign', 'add', 'rules', '--title', '规矩', '--goal', '1000', '--live',
    '--data-dir', dataDir]);
  assert.equal(r.code, 0, r.output);
  const host = await Client.open(server.port, { cookie: await signIn(server.port, 'host1', 'host-password-1') });
  await host.hello('rules');
  assert.equal((await host.request({ type: 'mod.blocked_words', words: ['spam'] })).type, 'ack');
  const key = () => `k-${Math.random().toString(36).slice(2, 14)}`;
  const pledge = (client, extra) => client.request({ type: 'pledge.create', idempotency_key: key(),
    amount_fen: 100, ...extra });
  try {
    const giver = await Client.open(server.port);
    await giver.hello('rules', { nickname: 'giver' });
    assert.equal((await pledge(giver, { message: 'SPAM 转账到 6222' })).code, 'blocked_word');
    assert.equal((await pledge(giver, { display_name: 'spammer' })).code, 'blocked_word');
    assert.equal((await pledge(giver, { message: '加油' })).type, 'ack');
    await giver.close();

    const muted = await Client.open(server.port);
    await muted.hello('rules', { nickname: 'loud' });
    const said = await muted.request({ type: 'chat.send', text: 'hello' });
    assert.equal((await host.request({ type: 'mod.mute', id: said.id, minutes: 5 })).type, 'ack');
    assert.equal((await pledge(muted, { message: '加油' })).code, 'muted');
    // Giving without words of one's own is still giving.
    assert.equal((await pledge(muted, { anonymous: true })).type, 'ack');
    await muted.close();
  } finally {
    await host.request({ type: 'mod.blocked_words', words: [] });
    await host.close();
  }
});

test('viewers cannot take staff names or look-alikes, and staff chat is marked', async () => {
  // A room of its own: an earlier test banned this address from firstaid.
  const r = await runBoai(['campaign', 'add', 'names', '--title', '名字', '--goal', '1000', '--live',
    '--data-dir', dataDir]);
  assert.equal(r.code, 0, r.output);
  for (const nickname of ['host', 'ＨＯＳＴ', 'Host1', 'h o s t', '主持人小王', '工作人员', 'MONEY']) {
    const c = await Client.open(server.port);
    assert.equal((await c.hello('names', { nickname })).code, 'nickname_reserved', nickname);
    await c.close();
  }
  const viewer = await Client.open(server.port);
  assert.equal((await viewer.hello('names', { nickname: 'ghost' })).type, 'welcome');
  const host = await Client.open(server.port, { cookie: await signIn(server.port, 'host1', 'host-password-1') });
  assert.equal((await host.hello('names', { nickname: '主持人' })).type, 'welcome');
  const said = await host.request({ type: 'chat.send', text: '欢迎' });
  const line = await viewer.next((f) => f.type === 'chat.message' && f.id === said.id);
  assert.equal(line.staff, true);
  assert.equal(line.role, 'host');
  const own = await viewer.request({ type: 'chat.send', text: '你好', staff: true, role: 'host' });
  const mine = await viewer.next((f) => f.type === 'chat.message' && f.id === own.id);
  assert.equal(mine.staff, undefined);
  await viewer.close();
  await host.close();
});

test('sessions are the server\'s to give, and a mute holds across a new session and nickname', async () => {
  const r = await runBoai(['campaign', 'add', 'mutes', '--title', '禁言', '--goal', '1000', '--live',
    '--data-dir', dataDir]);
  assert.equal(r.code, 0, r.output);
  const signed = /^[0-9a-f]{24}_[0-9a-f]{24}$/;
  const loud = await Client.open(server.port);
  const first = await loud.hello('mutes', { nickname: 'loud' });
  assert.match(first.session, signed);
  // A session the server did not sign is replaced; one it signed is kept.
  const other = await Client.open(server.port);
  const madeUp = await other.hello('mutes', { session: 'made-up-session-1' });
  assert.match(madeUp.session, signed);
  assert.notEqual(madeUp.session, 'made-up-session-1');
  await other.close();
  const again = await Client.open(server.port);
  assert.equal((await again.hello('mutes', { session: first.session })).session, first.session);
  await again.close();

  const host = await Client.open(server.port, { cookie: await signIn(server.port, 'host1', 'host-password-1') });
  await host.hello('mutes');
  const said = await loud.request({ type: 'chat.send', text: 'spam' });
  assert.equal((await host.request({ type: 'mod.mute', id: said.id, minutes: 5 })).type, 'ack');
  await loud.close();
  // Back without its session, under another name: the address is muted too.
  const back = await Client.open(server.port);
  await back.hello('mutes', { nickname: 'quiet' });
  assert.equal((await back.request({ type: 'chat.send', text: 'hi again' })).code, 'muted');
  assert.equal((await host.request({ type: 'chat.send', text: '主持人不受影响' })).type, 'ack');
  await back.close();
  await host.close();
});
