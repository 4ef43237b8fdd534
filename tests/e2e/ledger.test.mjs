// The open books in Chromium against a real boai serve (issue #13): /ledger shows the totals, the
// spending and the wishes, and checks the whole chain and the signed checkpoints in the browser;
// after a row is altered in the database (as its owner, triggers bypassed) the same page names the
// entry. A donor's /gift/REF shows the public fields and the acknowledgement to print. Beside the
// browser, Node's own crypto recomputes the chain from /api/ledger/entries and checks the
// checkpoints' Ed25519 signatures: nothing of boai's is used to check boai.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, phone, screenshot } from './support.mjs';
import { runBoai, startBoai, tempDir } from '../ws/support.mjs';

let site;
let browser;
const refs = {};

// A database of its own in the run's PostgreSQL (ctest's test cluster), so the test can reach
// under boai as the owner would.
function database() {
  const base = readFileSync(join(process.env.BOAI_TEST_CLUSTER_DIR, 'conninfo'), 'utf8').trim();
  const name = `e2e_ledger_${process.pid}`;
  execFileSync('psql', [base, '-qc', `DROP DATABASE IF EXISTS ${name}`]);
  execFileSync('psql', [base, '-qc', `CREATE DATABASE ${name}`]);
  return `${base} dbname=${name}`;
}

function sql(statement) {
  execFileSync('psql', [site.url, '-qc', `SET session_replication_role = replica; ${statement}`]);
}

async function must(args) {
  const r = await runBoai([...args, '--data-dir', site.dataDir, '--database-url', site.url]);
  assert.equal(r.code, 0, r.output);
  return r.output;
}

async function pledgeAdd(key, yuan, name) {
  const out = await must(['pledge', 'add', '--campaign', 'firstaid', '--amount', yuan, '--name',
    name, '--contact', '13900000009', '--message', '不公开的话', '--idempotency-key', `ledger-e2e-${key}`]);
  return out.match(/reference: (\w+)/)[1];
}

before(async () => {
  site = { dataDir: tempDir('e2e-ledger'), url: database() };
  await must(['fund', 'add', 'aed', '--name', 'AED 救命神器']);
  await must(['campaign', 'add', 'firstaid', '--title', '急救知识直播课', '--goal', '50000',
    '--also-fund', 'aed', '--live']);
  refs.paid = await pledgeAdd('paid', '100', '张三');
  refs.owing = await pledgeAdd('owing', '30', '李四');
  await must(['payment', 'add', '--provider', 'wechat', '--txn', 'wx-ledger-1', '--amount', '100',
    '--reference', refs.paid]);
  await must(['expenditure', 'add', '--fund', 'aed', '--amount', '60', '--purpose', 'AED 电池更换',
    '--payee', '某医疗器械公司', '--approved-by', '王站长', '--evidence', 'INV-0042']);
  await must(['ledger', 'checkpoint']);
  const server = await startBoai(['--listen', '127.0.0.1:0', '--no-studio', '--data-dir',
    site.dataDir, '--database-url', site.url, '--station-name', '博爱家园 · 玉兰社区']);
  Object.assign(site, server, { base: `http://127.0.0.1:${server.port}` });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await site?.stop?.();
});

async function getJson(path) {
  const res = await fetch(`${site.base}${path}`);
  assert.equal(res.status, 200, path);
  return res.json();
}

test('Node recomputes the chain from /api/ledger/entries and checks the signed checkpoints', async () => {
  const escaped = (s) => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
  const id = (v) => (v === null ? '' : String(v));
  let prev = '0'.repeat(64);
  const hashes = new Map();
  for (let after = 0; ;) {
    const page = await getJson(`/api/ledger/entries?after_seq=${after}&limit=2`);
    if (page.entries.length === 0) break;
    for (const e of page.entries) {
      const text = `boai-ledger-v1\nseq=${e.seq}\nkind=${escaped(e.kind)}\nrecorded_us=${e.recorded_us}\n` +
        `campaign=${id(e.campaign)}\nfund=${e.fund}\npledge=${id(e.pledge)}\npayment=${id(e.payment)}\n` +
        `object=${id(e.object)}\namount_fen=${e.amount_fen}\npublic_name=${escaped(e.public_name)}\n` +
        `reference=${escaped(e.reference)}\nmemo=${escaped(e.memo)}\nprev=${prev}\n`;
      assert.equal(e.prev_hash, prev, `entry ${e.seq} follows`);
      prev = createHash('sha256').update(text, 'utf8').digest('hex');
      assert.equal(e.entry_hash, prev, `entry ${e.seq} hashes`);
      hashes.set(e.seq, prev);
    }
    after = page.next_after_seq;
  }
  assert.equal(hashes.size, 4);
  const key = await getJson('/api/ledger/key');
  const { checkpoints } = await getJson('/api/ledger/checkpoints');
  assert.equal(checkpoints.length, 1);
  for (const c of checkpoints) {
    const signed = `boai-ledger-checkpoint-v1\nseq=${c.seq}\nhead=${c.head_hash}\nat=${c.at_us}\n`;
    assert.ok(verify(null, Buffer.from(signed), createPublicKey(key.pem),
      Buffer.from(c.signature, 'base64')), `checkpoint ${c.seq} is signed by the published key`);
    assert.equal(hashes.get(c.seq), c.head_hash);
  }
});

test('/ledger shows the books and verifies them in the browser', async () => {
  const page = await phone(browser, `${site.base}/ledger`);
  await page.waitForSelector('#verify[data-state="ok"]', { timeout: 60000 });
  assert.match(await page.textContent('#verify-status'), /已核验至第 4 笔/);
  assert.match(await page.textContent('#verify-checkpoint'), /第 4 笔/);
  assert.equal(await page.textContent('[data-figure="gifts-received"]'), '¥100.00');
  assert.equal(await page.textContent('[data-figure="spent"]'), '¥60.00');
  assert.equal(await page.textContent('[data-figure="balance"]'), '¥40.00');
  assert.match(await page.textContent('#spending'), /AED 电池更换.*某医疗器械公司.*王站长.*INV-0042/s);
  const latest = await page.textContent('#latest');
  assert.match(latest, /张\*/);
  assert.doesNotMatch(await page.content(), /张三|李四|13900000009|不公开的话/);
  assert.deepEqual(page.pageErrors, []);
  await screenshot(page, 'ledger-phone');

  await page.click('#lang-switch');
  await page.waitForFunction(() => /Verified up to entry 4/.test(
    document.querySelector('#verify-status')?.textContent ?? ''), null, { timeout: 60000 });
  assert.equal(await page.textContent('h1'), 'Open books');
  await page.click('#lang-switch');
  await page.context().close();
});

test('a month is a printable disclosure table', async () => {
  const month = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 7);
  const page = await phone(browser, `${site.base}/ledger`);
  await page.click(`#months [data-month="${month}"] a`);
  await page.waitForSelector('#month-body table');
  assert.match(await page.textContent('#month-title'), new RegExp(`${month} 收支公示`));
  assert.match(await page.textContent('#month-body'), /AED 电池更换/);
  await screenshot(page, 'ledger-month');
  await page.context().close();
});

test('a donor finds their own gift, with the acknowledgement to print', async () => {
  const page = await phone(browser, `${site.base}/ledger`);
  await page.fill('#gift-reference', refs.paid.toLowerCase());
  await page.click('#gift-lookup button[type=submit]');
  await page.waitForSelector('#gift:not([hidden])');
  assert.equal(await page.textContent('[data-fact="reference"]'), refs.paid);
  assert.equal(await page.textContent('[data-fact="status"]'), '已到账');
  assert.match(await page.textContent('[data-fact="receipt"]'), /-000001$/);
  assert.ok(await page.isVisible('#ack'));
  assert.match(await page.textContent('#ack-text'), /张\*.*¥100\.00.*第 3 笔/s);
  assert.doesNotMatch(await page.content(), /张三|13900000009|不公开的话/);
  await screenshot(page, 'gift-paid');

  await page.goto(`${site.base}/gift/${refs.owing}`);
  await page.waitForSelector('#gift:not([hidden])');
  assert.equal(await page.textContent('[data-fact="status"]'), '已认捐，待到账');
  assert.ok(await page.isHidden('#ack'));

  await page.goto(`${site.base}/gift/ZZZZZZZZ`);
  await page.waitForSelector('#gift-error:not([hidden])');
  assert.equal(await page.getAttribute('#gift-error', 'data-code'), 'gift_not_found');
  await page.context().close();
});

test('after a row is altered in the database, the page names the entry', async () => {
  sql('UPDATE ledger_entries SET amount_fen = amount_fen + 1 WHERE seq = 2');
  const page = await phone(browser, `${site.base}/ledger`);
  await page.waitForSelector('#verify[data-state="bad"]', { timeout: 60000 });
  assert.equal(await page.getAttribute('#verify', 'data-first-bad'), '2');
  assert.match(await page.textContent('#verify-status'), /第 2 笔账目不符（内容与哈希不符）/);
  await screenshot(page, 'ledger-altered');
  await page.context().close();
});
