// Charity sales through the live room, end to end against real boai nodes and PostgreSQL: a race
// for the last pieces across two nodes, unpaid orders that expire and give their stock back,
// bad orders with stable errors, and a paid order whose proceeds stay apart from gifts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, runBoai, startBoai, tempDir, signIn, until } from './support.mjs';

const LIMITS = 'messages_per_second=1000,message_burst=1000,pledges_per_minute=600000,' +
  'connections_per_address=400';
let dataDir;
let one;
let two;
let quick;  // a node whose unpaid orders expire after about a second

before(async () => {
  dataDir = tempDir('sales');
  let r = await runBoai(['campaign', 'add', 'firstaid', '--title', '爱心特卖', '--goal', '50000',
    '--live', '--data-dir', dataDir]);
  assert.equal(r.code, 0, r.output);
  r = await runBoai(['user', 'add', '王站长', '--role', 'host', '--data-dir', dataDir],
    { input: 'a long password\n' });
  assert.equal(r.code, 0, r.output);
  one = await startBoai(['--listen', '127.0.0.1:0', '--data-dir', dataDir, '--no-studio', '--limits', LIMITS]);
  two = await startBoai(['--listen', '127.0.0.1:0', '--data-dir', dataDir, '--no-studio', '--limits', LIMITS]);
  quick = await startBoai(['--listen', '127.0.0.1:0', '--data-dir', dataDir, '--no-studio', '--limits',
    `${LIMITS},sale_hold_minutes=0.02`]);
});

after(async () => {
  await Promise.all([one?.stop(), two?.stop(), quick?.stop()]);
});

let keys = 0;
const key = (name) => `${name}-${++keys}-${Math.random().toString(36).slice(2, 10)}`;

// Adds an item at the desk and returns its id.
async function addItem(title, extra = []) {
  const r = await runBoai(['sale', 'add', '--title', title, '--price', '25', '--fund', 'general',
    '--donated-by', '李阿姨', ...extra, '--data-dir', dataDir]);
  assert.equal(r.code, 0, r.output);
  return Number(/^#(\d+)/.exec(r.output)[1]);
}

async function viewer(port) {
  const c = await Client.open(port);
  const welcome = await c.hello('firstaid');
  assert.equal(welcome.type, 'welcome');
  return c;
}

const buy = (item, extra = {}) => ({ type: 'sale.buy', idempotency_key: key('buy'), item_id: item,
  quantity: 1, buyer_name: '王五', contact: '13800000000', ...extra });

test('a thousand buyers on two nodes race for five pieces: five orders, 995 sold_out', async () => {
  const item = await addItem('手工围巾', ['--quantity', '5']);
  const clients = [];
  for (let i = 0; i < 100; ++i) clients.push(await viewer(i % 2 === 0 ? one.port : two.port));
  const watcher = await viewer(two.port);
  const answers = await Promise.all(clients.map(async (c, i) => {
    const mine = [];
    for (let k = 0; k < 10; ++k) {
      mine.push(await c.request(buy(item, { contact: `139${String(i * 10 + k).padStart(8, '0')}` }), 60000));
    }
    return mine;
  }));
  const all = answers.flat();
  const acks = all.filter((a) => a.type === 'ack');
  const soldOut = all.filter((a) => a.code === 'sold_out');
  assert.equal(acks.length, 5, JSON.stringify(all.filter((a) => a.type !== 'ack' && a.code !== 'sold_out').slice(0, 3)));
  assert.equal(soldOut.length, 995);
  assert.ok(soldOut.every((a) => a.available === 0));
  for (const a of acks) {
    assert.equal(a.order.amount_fen, 2500);
    assert.equal(a.order.stage, 'awaiting_payment');
    assert.equal(a.order.pay.reference, a.order.reference);
    assert.ok(a.order.expires_at > Date.now() + 20 * 60 * 1000);
    assert.equal(a.order.buyer, '王*');
    assert.ok(!JSON.stringify(a).includes('139'), 'the contact is not echoed');
  }
  assert.equal(new Set(acks.map((a) => a.order.reference)).size, 5);
  // Both nodes' viewers hear the item run out.
  await watcher.next((f) => f.type === 'sale.updated' && f.id === item && f.available === 0, 20000);
  const listed = await runBoai(['sale', 'orders', '--item', String(item), '--data-dir', dataDir]);
  assert.equal(listed.output.trim().split('\n').length, 5, listed.output);
  await Promise.all([...clients, watcher].map((c) => c.close()));
});

test('an unpaid order expires after its hold, and viewers see the stock come back', async () => {
  const item = await addItem('保温杯', ['--quantity', '2']);
  const buyer = await viewer(quick.port);
  const watcher = await viewer(one.port);
  const placed = await buyer.request(buy(item, { quantity: 2 }));
  assert.equal(placed.type, 'ack', JSON.stringify(placed));
  assert.equal(placed.item.available, 0);
  await watcher.next((f) => f.type === 'sale.updated' && f.id === item && f.available === 0);
  await watcher.next((f) => f.type === 'sale.updated' && f.id === item && f.available === 2, 30000);
  const status = await buyer.request({ type: 'sale.order', reference: placed.order.reference });
  assert.equal(status.order.stage, 'expired');
  assert.equal(status.order.status, 'expired');
  assert.equal(status.order.pay, undefined);
  // The stock is there to buy again.
  const again = await buyer.request(buy(item, { quantity: 2, contact: '13700000000' }));
  assert.equal(again.type, 'ack', JSON.stringify(again));
  await buyer.close();
  await watcher.close();
});

test('bad orders get stable errors and take no stock', async () => {
  const item = await addItem('布老虎', ['--quantity', '3', '--per-buyer', '2']);
  const c = await viewer(one.port);
  const cases = [
    [buy(item, { quantity: 0 }), 'quantity_invalid'],
    [buy(item, { quantity: -2 }), 'quantity_invalid'],
    [buy(item, { quantity: '2' }), 'bad_request'],
    [buy(item, { contact: '' }), 'bad_request'],
    [buy(item, { buyer_name: '\u0000' }), 'text_invalid'],
    [buy(item, { buyer_name: 'x'.repeat(41) }), 'too_long'],
    [buy(item, { idempotency_key: 'short' }), 'idempotency_key_invalid'],
    [buy(987654), 'item_not_found'],
    [buy(item, { quantity: 3 }), 'over_limit'],
    [{ type: 'sale.order', reference: 'BA-NOPE-0000' }, 'order_not_found'],
    [{ type: 'sale.on_air', item_id: item }, 'not_allowed'],
  ];
  for (const [frame, code] of cases) {
    const answer = await c.request(frame);
    assert.equal(answer.code, code, `${JSON.stringify(frame)} -> ${JSON.stringify(answer)}`);
  }
  const first = buy(item, { quantity: 2 });
  const placed = await c.request(first);
  assert.equal(placed.type, 'ack');
  const replay = await c.request(first);
  assert.equal(replay.order.reference, placed.order.reference);
  assert.equal(replay.order.replayed, true);
  assert.equal(replay.item.available, 1);
  const limited = await c.request(buy(item, { contact: '138 0000 0000' }));
  assert.equal(limited.code, 'over_limit');
  assert.equal(limited.allowed, 0);
  const short = await c.request(buy(item, { quantity: 2, contact: '13500000000' }));
  assert.equal(short.code, 'sold_out');
  assert.equal(short.available, 1);
  const r = await runBoai(['sale', 'withdraw', String(item), '--data-dir', dataDir]);
  assert.equal(r.code, 0, r.output);
  assert.equal((await c.request(buy(item, { contact: '13500000000' }))).code, 'sale_closed');
  const list = await c.request({ type: 'sale.list' });
  assert.ok(!list.items.some((i) => i.id === item), 'a withdrawn item is not listed');
  await c.close();
});

test('a featured item reaches viewers; a paid order goes to fulfilment, its money apart from gifts', async () => {
  const item = await addItem('红十字帆布包', ['--quantity', '4']);
  const cookie = await signIn(one.port, '王站长', 'a long password');
  const host = await Client.open(one.port, { cookie });
  await host.hello('firstaid');
  const watcher = await viewer(two.port);
  const featured = await host.request({ type: 'sale.on_air', item_id: item });
  assert.equal(featured.type, 'ack', JSON.stringify(featured));
  const card = await watcher.next((f) => f.type === 'sale.featured' && f.id === item);
  assert.equal(card.price_fen, 2500);
  assert.equal(card.donated_by, '李阿姨');
  // A phone that joins later finds it in its welcome, on either node.
  const late = await Client.open(one.port);
  const lateWelcome = await late.hello('firstaid');
  assert.equal(lateWelcome.featured.type, 'sale.featured');
  assert.equal(lateWelcome.featured.id, item);
  await late.close();

  const gift = await watcher.request({ type: 'pledge.create', idempotency_key: key('gift'), amount_fen: 10000 });
  assert.equal(gift.type, 'ack');
  const order = await watcher.request(buy(item, { quantity: 2, contact: '13611112222' }));
  assert.equal(order.type, 'ack');
  const paid = await runBoai(['payment', 'add', '--provider', 'wechat', '--txn', key('wx'), '--amount', '50',
    '--reference', order.order.reference, '--data-dir', dataDir]);
  assert.equal(paid.code, 0, paid.output);
  const status = await watcher.request({ type: 'sale.order', reference: order.order.reference });
  assert.equal(status.order.stage, 'to_fulfil');
  assert.equal(status.order.paid_fen, 5000);
  // The room's totals: the gift counts as pledged, the sale only in its own figures.
  const totals = await watcher.next((f) => f.type === 'totals' && f.totals.sale_received_fen >= 5000, 20000);
  assert.equal(totals.totals.pledged_fen, 10000);
  assert.equal(totals.totals.received_fen, 0);
  const handed = await runBoai(['sale', 'hand-over', order.order.reference, '--picked-up', '--data-dir', dataDir]);
  assert.equal(handed.code, 0, handed.output);
  assert.match(handed.output, /picked_up/);

  const out = tempDir('sales-export');
  const exported = await runBoai(['ledger', 'export', '--public', '--out', out, '--data-dir', dataDir]);
  assert.equal(exported.code, 0, exported.output);
  const csv = readFileSync(join(out, 'ledger.csv'), 'utf8');
  assert.match(csv, /sale_payment/);
  assert.ok(!csv.includes('13611112222'), 'no buyer contact in the public ledger');
  const json = JSON.parse(readFileSync(join(out, 'ledger.json'), 'utf8'));
  assert.ok(json.totals.some((t) => Number(t.sale_received_fen) === 5000 && Number(t.sold_fen) > 0));
  const verified = await runBoai(['ledger', 'verify', '--data-dir', dataDir]);
  assert.equal(verified.code, 0, verified.output);
  await host.close();
  await watcher.close();
});

test('staff add and withdraw items from the room, which sees them come and go', async () => {
  const cookie = await signIn(one.port, '王站长', 'a long password');
  const host = await Client.open(one.port, { cookie });
  await host.hello('firstaid');
  const watcher = await viewer(two.port);
  const item = { type: 'sale.add', title: '爱心笔记本', price_fen: 1200, quantity: 10, per_buyer: 3,
    donated_by: '文具店' };
  const refused = [
    [{ ...item, price_fen: 0 }, 'amount_out_of_range'],
    [{ ...item, quantity: 0 }, 'quantity_invalid'],
    [{ ...item, per_buyer: 11 }, 'quantity_invalid'],
    [{ ...item, quantity: 1e12 }, 'quantity_invalid'],
    [{ ...item, title: '' }, 'bad_request'],
    [{ ...item, fund: 'nosuchfund' }, 'fund_not_found'],
  ];
  for (const [frame, code] of refused) {
    const answer = await host.request(frame);
    assert.equal(answer.code, code, `${JSON.stringify(frame)} -> ${JSON.stringify(answer)}`);
  }
  assert.equal((await watcher.request(item)).code, 'not_allowed');
  const added = await host.request(item);
  assert.equal(added.type, 'ack', JSON.stringify(added));
  assert.equal(added.item.available, 10);
  const seen = await watcher.next((f) => f.type === 'sale.updated' && f.id === added.item.id);
  assert.equal(seen.status, 'open');
  assert.equal(seen.fund, 'general');
  assert.equal((await watcher.request({ type: 'sale.withdraw', item_id: added.item.id })).code, 'not_allowed');
  const withdrawn = await host.request({ type: 'sale.withdraw', item_id: added.item.id });
  assert.equal(withdrawn.item.status, 'withdrawn');
  await watcher.next((f) => f.type === 'sale.updated' && f.id === added.item.id && f.status === 'withdrawn');
  assert.equal((await host.request({ type: 'sale.withdraw', item_id: 987654 })).code, 'item_not_found');
  await host.close();
  await watcher.close();
});
