// A featured sale item on the video: a node with a studio composes the card into its frames
// (read back as the host console's preview), changes it when the item sells out, and takes it off.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { Client, runBoai, startBoai, tempDir, signIn, until } from './support.mjs';

let node;
after(async () => {
  await node?.stop();
});

// The preview PNG as RGB pixels, decoded by ffmpeg.
function decode(png) {
  const r = spawnSync('ffmpeg', ['-v', 'error', '-i', 'pipe:0', '-f', 'rawvideo', '-pix_fmt', 'rgb24',
    'pipe:1'], { input: png, maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, String(r.stderr));
  const width = Math.round(Math.sqrt((r.stdout.length / 3) * 16 / 9));
  return { rgb: r.stdout, width, height: r.stdout.length / 3 / width };
}

// Mean absolute difference per channel inside a box given in fractions of the frame.
function difference(a, b, [x0, y0, x1, y1]) {
  let total = 0;
  let n = 0;
  for (let y = Math.floor(y0 * a.height); y < Math.floor(y1 * a.height); ++y) {
    for (let x = Math.floor(x0 * a.width); x < Math.floor(x1 * a.width); ++x) {
      const i = (y * a.width + x) * 3;
      for (let c = 0; c < 3; ++c) total += Math.abs(a.rgb[i + c] - b.rgb[i + c]);
      n += 3;
    }
  }
  return total / n;
}

const CARD = [0.5, 0.25, 0.99, 0.78];   // bottom right, above the goal bar: where the card goes
const OTHER = [0.02, 0.3, 0.45, 0.75];  // the picture on the left, which nothing here changes

test('a featured item is drawn on the video, redrawn when sold out, and taken off', async () => {
  const dataDir = tempDir('sales-overlay');
  let r = await runBoai(['campaign', 'add', 'firstaid', '--title', '爱心特卖', '--goal', '1000', '--live',
    '--data-dir', dataDir]);
  assert.equal(r.code, 0, r.output);
  r = await runBoai(['user', 'add', 'host1', '--role', 'host', '--data-dir', dataDir], { input: 'host-password-1\n' });
  assert.equal(r.code, 0, r.output);
  r = await runBoai(['sale', 'add', '--title', '手工围巾', '--price', '25', '--quantity', '1', '--fund', 'general',
    '--data-dir', dataDir]);
  assert.equal(r.code, 0, r.output);
  const item = Number(/^#(\d+)/.exec(r.output)[1]);
  node = await startBoai(['--listen', '127.0.0.1:0', '--data-dir', dataDir, '--room', 'firstaid', '--go-live']);
  const cookie = await signIn(node.port, 'host1', 'host-password-1');
  const preview = async () => {
    const res = await fetch(`http://127.0.0.1:${node.port}/api/studio/preview.png`, { headers: { Cookie: cookie } });
    return res.status === 200 ? decode(Buffer.from(await res.arrayBuffer())) : null;
  };
  // A frame, then the next one that matches it: the studio is live and the picture steady.
  let before = null;
  await until(async () => {
    const frame = await preview();
    const steady = frame && before && difference(before, frame, OTHER) < 1;
    before = frame ?? before;
    return steady;
  }, 'a steady preview', { everyMs: 200 });

  const host = await Client.open(node.port, { cookie });
  await host.hello('firstaid');
  assert.equal((await host.request({ type: 'sale.on_air', item_id: item })).type, 'ack');
  let featured = null;
  await until(async () => {
    featured = await preview();
    return difference(before, featured, CARD) > 3;
  }, 'the card on the video', { everyMs: 200 });
  assert.ok(difference(before, featured, OTHER) < 1, 'nothing else changed');

  // The last piece sold: the card says so (剩 1 件 becomes 已售罄).
  const buyer = await Client.open(node.port);
  await buyer.hello('firstaid');
  const bought = await buyer.request({ type: 'sale.buy', idempotency_key: `overlay-${Date.now()}`, item_id: item,
    quantity: 1, buyer_name: '王五', contact: '13800000000' });
  assert.equal(bought.type, 'ack', JSON.stringify(bought));
  await until(async () => difference(featured, await preview(), CARD) > 0.3, 'the card redrawn', { everyMs: 200 });

  assert.equal((await host.request({ type: 'sale.on_air', item_id: 0 })).type, 'ack');
  await until(async () => difference(before, await preview(), CARD) < 1, 'the card gone', { everyMs: 200 });
  await Promise.all([host.close(), buyer.close()]);
});
