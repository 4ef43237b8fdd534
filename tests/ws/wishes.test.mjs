// Red wishes through the live room, end to end against a real boai and PostgreSQL: posted by a
// viewer, vetted by staff, funded in parts by gifts that never overfund it, fulfilled with a proof
// and the spending; the requester's contact reaches no viewer, page or export.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, runBoai, startBoai, tempDir, signIn } from './support.mjs';

const CONTACT = '13800001234';
let dataDir;
let server;

before(async () => {
  dataDir = tempDir('wishes');
  const r = await runBoai(['campaign', 'add', 'firstaid', '--title', '急救知识直播课', '--goal', '50000',
    '--live', '--data-dir', dataDir]);
  assert.equal(r.code, 0, r.output);
  const u = await runBoai(['user', 'add', '王站长', '--role', 'host', '--data-dir', dataDir],
    { input: 'a long password\n' });
  assert.equal(u.code, 0, u.output);
  // Many requests a connection: the chat rate limit is not what these tests are about.
  server = await startBoai(['--listen', '127.0.0.1:0', '--data-dir', dataDir, '--no-studio',
    '--limits', 'messages_per_second=100,message_burst=100,pledges_per_minute=600']);
});

after(async () => {
  await server?.stop();
});

const key = (name) => `${name}-${Math.random().toString(36).slice(2, 12)}`;

const wish = (extra = {}) => ({
  type: 'wish.post', title: '给独居老人买助听器', story: '张奶奶耳背，想听清孙子的电话。',
  amount_fen: 30000, category: 'elderly', requester_name: '张秀英', contact: CONTACT, ...extra,
});

async function host() {
  const cookie = await signIn(server.port, '王站长', 'a long password');
  const c = await Client.open(server.port, { cookie });
  const welcome = await c.hello('firstaid');
  assert.equal(welcome.staff.role, 'host');
  return c;
}

async function exportText() {
  const out = tempDir('export');
  const r = await runBoai(['ledger', 'export', '--public', '--out', out, '--data-dir', dataDir]);
  assert.equal(r.code, 0, r.output);
  return { json: JSON.parse(readFileSync(join(out, 'ledger.json'), 'utf8')),
    csv: readFileSync(join(out, 'ledger.csv'), 'utf8') };
}

test('a wish goes from posted to fulfilled, and its contact never reaches a viewer', async () => {
  const poster = await Client.open(server.port);
  const viewer = await Client.open(server.port);
  await poster.hello('firstaid', { nickname: '志愿者' });
  await viewer.hello('firstaid');

  const postKey = key('post');
  const posted = await poster.request(wish({ idempotency_key: postKey }));
  assert.equal(posted.type, 'ack', JSON.stringify(posted));
  assert.equal(posted.wish.status, 'pending');
  const id = posted.wish.id;
  // The answer was lost and the phone sends it again, from a new connection: still one wish.
  const resent = await viewer.request(wish({ idempotency_key: postKey }));
  assert.equal(resent.wish.id, id);

  // Pending: the poster sees its status, viewers do not see it, only staff may review.
  const mine = await poster.request({ type: 'wish.mine', ids: [id] });
  assert.equal(mine.wishes[0].status, 'pending');
  const publicList = await viewer.request({ type: 'wish.list' });
  assert.ok(!publicList.wishes.some((w) => w.id === id));
  const peek = await viewer.request({ type: 'wish.list', status: 'pending' });
  assert.equal(peek.code, 'not_allowed');
  const forged = await viewer.request({ type: 'wish.review', id, decision: 'approve' });
  assert.equal(forged.code, 'not_allowed');
  const early = await viewer.request({ type: 'pledge.create', idempotency_key: key('e'), amount_fen: 1000, wish_id: id });
  assert.equal(early.code, 'wish_not_open');

  // Staff see it with the contact, approve it with a shorter title and a smaller amount.
  const staff = await host();
  const pending = await staff.request({ type: 'wish.list', status: 'pending' });
  assert.equal(pending.wishes.find((w) => w.id === id).contact, CONTACT);
  const approved = await staff.request({ type: 'wish.review', id, decision: 'approve', title: '助听器', amount_fen: 20000 });
  assert.equal(approved.type, 'ack', JSON.stringify(approved));
  assert.equal(approved.wish.status, 'approved');
  const updated = await viewer.next((f) => f.type === 'wish.updated' && f.id === id);
  assert.equal(updated.title, '助听器');
  assert.equal(updated.requester, '张**');
  assert.equal(updated.amount_fen, 20000);
  const again = await staff.request({ type: 'wish.review', id, decision: 'reject', reason: '重复' });
  assert.equal(again.code, 'wish_not_pending');

  // Funded in parts: a gift above what is left is refused with what is left, unless the rest
  // goes to the fund; a retry returns the first gift; a funded wish takes no more.
  const first = await viewer.request({ type: 'pledge.create', idempotency_key: key('g'), amount_fen: 5000,
    display_name: '李四', wish_id: id });
  assert.equal(first.type, 'ack', JSON.stringify(first));
  assert.equal(first.pledge.wish.pledged_fen, 5000);
  assert.equal(first.pledge.wish.left_fen, 15000);
  const donation = await viewer.next((f) => f.type === 'donation' && f.amount_fen === 5000);
  assert.equal(donation.display_name, '李*');
  const progress = await viewer.next((f) => f.type === 'wish.updated' && f.id === id && f.pledged_fen === 5000);
  assert.equal(progress.left_fen, 15000);

  const tooMuch = await viewer.request({ type: 'pledge.create', idempotency_key: key('o'), amount_fen: 20000, wish_id: id });
  assert.equal(tooMuch.code, 'wish_overfunded');
  assert.equal(tooMuch.left_fen, 15000);

  const restKey = key('r');
  const gift = { type: 'pledge.create', idempotency_key: restKey, amount_fen: 20000, wish_id: id, rest_to_fund: true };
  const rest = await viewer.request(gift);
  assert.equal(rest.type, 'ack', JSON.stringify(rest));
  assert.equal(rest.pledge.amount_fen, 20000);
  assert.equal(rest.pledge.wish.status, 'funded');
  assert.equal(rest.pledge.wish.pledged_fen, 20000);
  const retry = await viewer.request(gift);
  assert.equal(retry.pledge.reference, rest.pledge.reference);
  assert.equal(retry.pledge.replayed, true);
  const late = await viewer.request({ type: 'pledge.create', idempotency_key: key('l'), amount_fen: 100, wish_id: id });
  assert.equal(late.code, 'wish_not_open');

  // The split gift is one pledge and reference with two entries: 15,000 to the wish, 5,000 rest.
  const books = await exportText();
  const entries = books.json.entries.filter((e) => e.reference === rest.pledge.reference);
  assert.deepEqual(entries.map((e) => e.amount_fen).sort((a, b) => a - b), [5000, 15000]);

  // Fulfilled from the desk, with a proof image and the spending from the wish's fund.
  const proof = join(tempDir('proof'), 'proof.png');
  writeFileSync(proof, Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(64, 1)]));
  const done = await runBoai(['wish', 'fulfil', String(id), '--note', '已送到张奶奶家', '--proof', proof,
    '--amount', '180', '--payee', '柯桥助听器店', '--approved-by', '王站长', '--data-dir', dataDir]);
  assert.equal(done.code, 0, done.output);
  // The desk's fulfilment reaches the room as it happens, with the proof.
  const told = await viewer.next((f) => f.type === 'wish.updated' && f.id === id && f.status === 'fulfilled');
  assert.match(told.proof_url, /^\/proofs\/wish-/);
  const fulfilled = await poster.request({ type: 'wish.mine', ids: [id] });
  assert.equal(fulfilled.wishes[0].status, 'fulfilled');
  const image = await fetch(`http://127.0.0.1:${server.port}${fulfilled.wishes[0].proof_url}`);
  assert.equal(image.status, 200);
  const spent = (await exportText()).json.entries.find((e) => e.kind === 'expenditure' && e.amount_fen === 18000);
  assert.ok(spent, 'the spending is in the ledger');

  // Privacy: the contact is in no frame a viewer got and in no public export.
  for (const c of [viewer, poster]) assert.ok(!JSON.stringify(c.frames).includes(CONTACT));
  assert.ok(!books.csv.includes(CONTACT) && !JSON.stringify(books.json).includes(CONTACT));
  await Promise.all([poster.close(), viewer.close(), staff.close()]);
});

test('a rejected wish tells its poster why, and stays private', async () => {
  const poster = await Client.open(server.port);
  await poster.hello('firstaid');
  const posted = await poster.request(wish({ title: '<b>买手机</b>', contact: 'wx-zhang' }));
  const id = posted.wish.id;
  const listed = await runBoai(['wish', 'list', '--status', 'pending', '--data-dir', dataDir]);
  assert.match(listed.output, new RegExp(`#${id} .*wx-zhang`));
  const r = await runBoai(['wish', 'review', String(id), '--reject', '不符合救助范围', '--data-dir', dataDir]);
  assert.equal(r.code, 0, r.output);
  const mine = await poster.request({ type: 'wish.mine', ids: [id] });
  assert.equal(mine.wishes[0].status, 'rejected');
  assert.equal(mine.wishes[0].reason, '不符合救助范围');
  const listedPublic = await poster.request({ type: 'wish.list' });
  assert.ok(!listedPublic.wishes.some((w) => w.id === id));
  await poster.close();
});

test('bad wishes get a stable code and write nothing', async () => {
  const c = await Client.open(server.port);
  await c.hello('firstaid');
  const before = await runBoai(['wish', 'list', '--data-dir', dataDir]);
  const cases = [
    [{ title: '' }, 'bad_request'],
    [{ title: '长'.repeat(41) }, 'too_long'],
    [{ story: '长'.repeat(501) }, 'too_long'],
    [{ category: 'lottery' }, 'category_invalid'],
    [{ amount_fen: 0 }, 'amount_out_of_range'],
    [{ amount_fen: 5000000001 }, 'amount_out_of_range'],
    [{ amount_fen: 12.5 }, 'bad_request'],
    [{ requester_name: 'a\u0000b' }, 'text_invalid'],
    [{ contact: undefined }, 'bad_request'],
    [{ idempotency_key: 'short' }, 'idempotency_key_invalid'],
    [{ idempotency_key: 42 }, 'bad_request'],
  ];
  for (const [extra, code] of cases) {
    const r = await c.request(wish(extra));
    assert.equal(r.code, code, `${JSON.stringify(extra)} -> ${JSON.stringify(r)}`);
  }
  const mine = await c.request({ type: 'wish.mine', ids: ['1'] });
  assert.equal(mine.code, 'bad_request');
  const after = await runBoai(['wish', 'list', '--data-dir', dataDir]);
  assert.equal(after.output, before.output);
  const unknown = await c.request({ type: 'pledge.create', idempotency_key: key('u'), amount_fen: 100, wish_id: 999999 });
  assert.equal(unknown.code, 'wish_not_found');
  await c.close();
});

test('posting is limited per connection and per address', async () => {
  const codes = [];
  for (let i = 0; i < 3; ++i) {
    const c = await Client.open(server.port);
    await c.hello('firstaid');
    for (let j = 0; j < 3; ++j) codes.push((await c.request(wish({ title: `愿望${i}-${j}` }))).code ?? 'ack');
    await c.close();
  }
  // One connection's burst is 3; the address allows 5 an hour (the first tests posted 2).
  assert.equal(codes.filter((c) => c === 'ack').length, 3);
  assert.equal(codes.filter((c) => c === 'rate_limited').length, 6);
});
