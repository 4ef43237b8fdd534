// The console's photos against a real boai and PostgreSQL: staff upload a wish's proof or a sale
// item's photo (POST /api/photos), then name it in wish.fulfil or sale.add. Only staff may upload,
// only PNG and JPEG up to 5 MiB are kept, only a saved file can be named, and a refused
// fulfilment writes nothing. A new wish reaches the staff on the node at once, and no viewer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, runBoai, startBoai, tempDir, signIn } from './support.mjs';

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(64, 1)]);
const JPEG = Buffer.concat([Buffer.from('ffd8ffe0', 'hex'), Buffer.alloc(64, 2)]);
const CONTACT = 'wx-photo-test';
let dataDir;
let server;
let cookie;

before(async () => {
  dataDir = tempDir('photos');
  const r = await runBoai(['campaign', 'add', 'firstaid', '--title', '急救知识直播课', '--goal', '50000',
    '--live', '--data-dir', dataDir]);
  assert.equal(r.code, 0, r.output);
  const u = await runBoai(['user', 'add', '钱会计', '--role', 'finance', '--data-dir', dataDir],
    { input: 'a long password\n' });
  assert.equal(u.code, 0, u.output);
  server = await startBoai(['--listen', '127.0.0.1:0', '--data-dir', dataDir, '--no-studio',
    '--limits', 'messages_per_second=100,message_burst=100']);
  cookie = await signIn(server.port, '钱会计', 'a long password');
});

after(async () => {
  await server?.stop();
});

function upload(body, { query = '', withCookie = true, method = 'POST' } = {}) {
  return fetch(`http://127.0.0.1:${server.port}/api/photos${query}`, {
    method, body: method === 'POST' ? body : undefined,
    headers: withCookie ? { Cookie: cookie } : {},
  });
}

async function staffClient() {
  const c = await Client.open(server.port, { cookie });
  const welcome = await c.hello('firstaid');
  assert.equal(welcome.staff.role, 'finance');
  return c;
}

async function expenditures() {
  const out = tempDir('export');
  const r = await runBoai(['ledger', 'export', '--public', '--out', out, '--data-dir', dataDir]);
  assert.equal(r.code, 0, r.output);
  return JSON.parse(readFileSync(join(out, 'ledger.json'), 'utf8')).entries
    .filter((e) => e.kind === 'expenditure');
}

test('uploads are for staff, PNG or JPEG, at most 5 MiB', async () => {
  const anonymous = await upload(PNG, { withCookie: false });
  assert.equal(anonymous.status, 401);
  assert.equal((await anonymous.json()).error, 'not_signed_in');
  const text = await upload(Buffer.from('<svg onload=alert(1)>'));
  assert.equal(text.status, 415);
  assert.equal((await text.json()).error, 'proof_not_image');
  const huge = await upload(Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024)]));
  assert.equal(huge.status, 413);
  const badWish = await upload(PNG, { query: '?wish=abc' });
  assert.equal(badWish.status, 400);
  const get = await upload(null, { method: 'GET' });
  assert.equal(get.status, 405);

  const saved = await upload(JPEG);
  assert.equal(saved.status, 201);
  const { file, url } = await saved.json();
  assert.match(file, /^item-[0-9a-f]{16}\.jpg$/);
  const served = await fetch(`http://127.0.0.1:${server.port}${url}`);
  assert.equal(served.status, 200);
  assert.deepEqual(Buffer.from(await served.arrayBuffer()), JPEG);
});

test('a wish is fulfilled from the console with its proof and spending, or not at all', async () => {
  const staff = await staffClient();
  const viewer = await Client.open(server.port);
  await viewer.hello('firstaid');
  const posted = await viewer.request({ type: 'wish.post', title: '给小学生买书包', story: '开学要用。',
    amount_fen: 20000, category: 'study', requester_name: '李小明', contact: CONTACT });
  const id = posted.wish.id;
  // The console hears of the new wish at once, with the contact; the viewer hears nothing of it.
  const pending = await staff.next((f) => f.type === 'wish.pending' && f.wish.id === id);
  assert.equal(pending.wish.contact, CONTACT);
  const approved = await staff.request({ type: 'wish.review', id, decision: 'approve' });
  assert.equal(approved.wish.status, 'approved');

  const forged = await viewer.request({ type: 'wish.fulfil', id, note: '已送到' });
  assert.equal(forged.code, 'not_allowed');
  const spentBefore = (await expenditures()).length;
  const refusals = [
    [{ proof: '../../etc/passwd' }, 'proof_not_found'],
    [{ proof: `wish-${id}-0123456789abcdef.png` }, 'proof_not_found'],
    [{ spent_fen: 15000, payee: '' }, 'text_invalid'],
    [{ spent_fen: 0, payee: '文具店' }, 'amount_out_of_range'],
    [{ note: '' }, 'bad_request'],
  ];
  for (const [extra, code] of refusals) {
    const r = await staff.request({ type: 'wish.fulfil', id, note: '已送到', ...extra });
    assert.equal(r.code, code, `${JSON.stringify(extra)} -> ${JSON.stringify(r)}`);
  }
  const still = await viewer.request({ type: 'wish.mine', ids: [id] });
  assert.equal(still.wishes[0].status, 'approved');
  assert.equal((await expenditures()).length, spentBefore, 'a refused fulfilment spends nothing');

  const saved = await upload(PNG, { query: `?wish=${id}` });
  assert.equal(saved.status, 201);
  const { file } = await saved.json();
  assert.match(file, new RegExp(`^wish-${id}-[0-9a-f]{16}\\.png$`));
  const done = await staff.request({ type: 'wish.fulfil', id, note: '书包已送到李小明手中', proof: file,
    spent_fen: 15000, payee: '柯桥文具店', evidence: 'FP-2026-001' });
  assert.equal(done.type, 'ack', JSON.stringify(done));
  assert.equal(done.wish.status, 'fulfilled');
  const told = await viewer.next((f) => f.type === 'wish.updated' && f.id === id && f.status === 'fulfilled');
  assert.equal(told.proof_url, `/proofs/${file}`);
  assert.equal(told.fulfil_note, '书包已送到李小明手中');
  const spent = (await expenditures()).filter((e) => e.amount_fen === 15000);
  assert.equal(spent.length, 1);
  assert.equal(spent[0].public_name, '柯桥文具店');
  assert.match(spent[0].memo, new RegExp(`红心愿 #${id}`));

  const twice = await staff.request({ type: 'wish.fulfil', id, note: '再来一次', spent_fen: 100, payee: 'x' });
  assert.equal(twice.code, 'wish_not_open');
  assert.equal((await expenditures()).filter((e) => e.amount_fen === 100).length, 0);

  assert.ok(!viewer.frames.some((f) => f.type === 'wish.pending'));
  assert.ok(!JSON.stringify(viewer.frames).includes(CONTACT));
  await Promise.all([staff.close(), viewer.close()]);
});

test('a sale item added from the console carries the photo uploaded for it', async () => {
  const staff = await staffClient();
  const viewer = await Client.open(server.port);
  await viewer.hello('firstaid');
  const { file } = await (await upload(JPEG)).json();
  const item = { type: 'sale.add', title: '手工围巾', price_fen: 5000, quantity: 3 };
  const missing = await staff.request({ ...item, photo: 'item-ffffffffffffffff.jpg' });
  assert.equal(missing.code, 'photo_not_found');
  const added = await staff.request({ ...item, photo: file });
  assert.equal(added.type, 'ack', JSON.stringify(added));
  assert.equal(added.item.photo_url, `/proofs/${file}`);
  const seen = await viewer.next((f) => f.type === 'sale.updated' && f.id === added.item.id);
  assert.equal(seen.photo_url, `/proofs/${file}`);
  const listed = await viewer.request({ type: 'sale.list' });
  assert.equal(listed.items.filter((i) => i.title === '手工围巾').length, 1, 'the refused add wrote nothing');
  await Promise.all([staff.close(), viewer.close()]);
});
