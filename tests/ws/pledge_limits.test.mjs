// Pledge floods across connections: the session's and the address's pledges are counted in the
// database, so reconnecting starts no new count; a large unpaid pledge is shown, and counted in
// 已认捐, once paid; a host hides a donation's name and message while its money stays.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, runBoai, startBoai, tempDir, signIn } from './support.mjs';

let dataDir;
let server;

before(async () => {
  dataDir = tempDir('pledge-limits');
  const db = ['--data-dir', dataDir];
  let r = await runBoai(['campaign', 'add', 'firstaid', '--title', '急救', '--goal', '50000', '--live', ...db]);
  assert.equal(r.code, 0, r.output);
  r = await runBoai(['campaign', 'add', 'other', '--title', '别的', '--goal', '100', '--live', ...db]);
  assert.equal(r.code, 0, r.output);
  r = await runBoai(['user', 'add', 'host1', '--role', 'host', ...db], { input: 'host-password-1\n' });
  assert.equal(r.code, 0, r.output);
  server = await startBoai(['--listen', '127.0.0.1:0', ...db, '--limits',
    'session_pledges_per_hour=3,address_pledges_per_hour=6,show_unpaid_up_to_yuan=1000']);
});

after(async () => {
  await server.stop();
});

const key = (name) => `${name}-${Math.random().toString(36).slice(2, 12)}`;

// A pledge from a new connection; with `session`, the phone's session from an earlier welcome.
async function pledge(session) {
  const c = await Client.open(server.port);
  const welcome = await c.hello('firstaid', session ? { session } : {});
  assert.equal(welcome.type, 'welcome');
  const a = await c.request({ type: 'pledge.create', idempotency_key: key('limit'), amount_fen: 100 });
  await c.close();
  a.session = welcome.session;
  return a;
}

test('a session and an address keep their pledge counts across connections', async () => {
  // One phone reconnecting for every pledge with the session it was given: its count goes on.
  const phone = [await pledge()];
  for (let i = 0; i < 3; ++i) phone.push(await pledge(phone[0].session));
  assert.ok(phone.every((a) => a.session === phone[0].session));
  assert.deepEqual(phone.map((a) => a.code ?? 'ack'), ['ack', 'ack', 'ack', 'rate_limited']);
  // New sessions from the same address: 6 an hour in all (4 attempts above count).
  const others = [];
  for (let i = 0; i < 4; ++i) others.push(await pledge());
  assert.deepEqual(others.map((a) => a.code ?? 'ack'), ['ack', 'ack', 'rate_limited', 'rate_limited']);
  // Staff are not counted.
  const host = await Client.open(server.port, { cookie: await signIn(server.port, 'host1', 'host-password-1') });
  await host.hello('firstaid');
  const desk = await host.request({ type: 'pledge.create', idempotency_key: key('staff'), amount_fen: 100 });
  assert.equal(desk.type, 'ack', JSON.stringify(desk));
  await host.close();
});

// /api/rooms' figures for a campaign, once they say `pledged` (the answer is kept a second).
async function listedPledged(slug, pledged) {
  for (;;) {
    const rooms = await (await fetch(`http://127.0.0.1:${server.port}/api/rooms`)).json();
    const room = rooms.find((r) => r.slug === slug);
    if (room.totals.pledged_fen === pledged) return room.totals;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

test('a large unpaid pledge is shown when paid, and a host can hide its name', async () => {
  const host = await Client.open(server.port, { cookie: await signIn(server.port, 'host1', 'host-password-1') });
  await host.hello('firstaid');
  const watcher = await Client.open(server.port);
  const before = (await watcher.hello('firstaid')).totals;
  const big = await host.request({ type: 'pledge.create', idempotency_key: key('big'), amount_fen: 200000,
    display_name: '王大户', message: '大额' });
  assert.equal(big.type, 'ack', JSON.stringify(big));
  const small = await host.request({ type: 'pledge.create', idempotency_key: key('small'), amount_fen: 500,
    display_name: '李四', message: '小额' });
  const smallShown = await watcher.next((f) => f.type === 'donation' && f.amount_fen === 500);
  // Events come in seq order: the large one, made first, would have come before the small one.
  assert.ok(!watcher.frames.some((f) => f.type === 'donation' && f.amount_fen === 200000));
  assert.equal(small.type, 'ack');

  // Nor is it in 已认捐 until paid: not in the room's totals, not on another node that reads them
  // afresh, not in the rooms list.
  const withSmall = before.pledged_fen + 500;
  await watcher.next((f) => f.type === 'totals' && f.totals.pledged_fen === withSmall);
  const node2 = await startBoai(['--listen', '127.0.0.1:0', '--no-studio', '--data-dir', dataDir, '--limits',
    'show_unpaid_up_to_yuan=1000']);
  const elsewhere = await Client.open(node2.port);
  assert.equal((await elsewhere.hello('firstaid')).totals.pledged_fen, withSmall);
  await elsewhere.close();
  await node2.stop();
  assert.equal((await listedPledged('firstaid', withSmall)).pledge_count, before.pledge_count + 1);
  assert.ok(watcher.frames.every((f) => f.type !== 'totals' || f.totals.pledged_fen < before.pledged_fen + 200000));

  const paid = await runBoai(['payment', 'add', '--provider', 'wechat', '--txn', key('wx-big'), '--amount', '2000',
    '--reference', big.pledge.reference, '--data-dir', dataDir]);
  assert.equal(paid.code, 0, paid.output);
  const shown = await watcher.next((f) => f.type === 'donation' && f.amount_fen === 200000, 30000);
  const paidEvent = await watcher.type('donation.paid', 30000);
  assert.equal(paidEvent.pledge, shown.pledge);
  assert.ok(paidEvent.seq > shown.seq);
  assert.equal(shown.display_name, '王**');
  await watcher.next((f) => f.type === 'totals' && f.totals.pledged_fen === withSmall + 200000, 30000);
  await listedPledged('firstaid', withSmall + 200000);

  // Hiding: a viewer may not; a pledge not of this room is not found; the host hides it.
  assert.equal((await watcher.request({ type: 'mod.hide_donation', pledge: smallShown.pledge })).code, 'not_allowed');
  assert.equal((await host.request({ type: 'mod.hide_donation', pledge: 999999 })).code, 'pledge_not_found');
  const hidden = await host.request({ type: 'mod.hide_donation', pledge: smallShown.pledge });
  assert.equal(hidden.type, 'ack', JSON.stringify(hidden));
  const told = await watcher.type('donation.hidden');
  assert.equal(told.pledge, smallShown.pledge);
  const late = await Client.open(server.port);
  const welcome = await late.hello('firstaid');
  assert.ok(!welcome.recent_donations.some((d) => d.pledge === smallShown.pledge));
  assert.ok(welcome.recent_donations.some((d) => d.pledge === shown.pledge));
  for (const c of [host, watcher, late]) await c.close();
});
