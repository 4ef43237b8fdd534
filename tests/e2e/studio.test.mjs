// The show with the studio running (the test-pattern source): the host goes live from the console,
// the viewer page plays (currentTime advances, the live badge shows), scenes switch from the
// console, and after a pledge a frame of the broadcast shows the goal bar moved.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSite, launchBrowser, phone, screenshot, joined, pledge, sleep, HOST_NAME, HOST_PASSWORD } from './support.mjs';
import { runBoai, tempDir } from '../ws/support.mjs';

let site;
let browser;
let host;
let viewer;

before(async () => {
  // A ¥1,000 goal, so a ¥500 pledge fills half the overlay's goal bar.
  site = await startSite({ goalYuan: 1000, serveArgs: ['--limits', 'messages_per_second=20,message_burst=40'] });
  // The demo and these tests start the studio: without it every test here fails, none is skipped.
  const station = await (await fetch(`${site.base}/api/station`)).json();
  assert.equal(station.studio_room, site.room, `boai serve runs no studio: ${JSON.stringify(station)}`);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await site?.stop();
});

// The overlay draws its goal bar along the bottom, 1208 design pixels wide at (36, 628) on a
// 1280x720 design, 24 high (stream/overlay_renderer.cpp, docs/STREAM.md). A point 30% along it:
// pink once half the goal is pledged.
const BAR_POINT = { x: 36 + 1208 * 0.3, y: 640 };
const isPledgedPink = ([r, g, b]) => r > 200 && g > 95 && g < 185 && b > 100 && b < 195 && r - g > 60;

// Reads the mean colour around BAR_POINT of an image or a video frame, in the page.
function sampleIn(page, source) {
  return page.evaluate(async ({ source, point }) => {
    let image;
    if (source === 'video') image = document.querySelector('#video');
    else image = await createImageBitmap(await (await fetch(`/api/studio/preview.png?t=${Date.now()}`)).blob());
    const w = image.videoWidth || image.width;
    const h = image.videoHeight || image.height;
    if (!w || !h) return null;
    const canvas = document.createElement('canvas');
    canvas.width = w;
    canvas.height = h;
    const ctx = canvas.getContext('2d');
    ctx.drawImage(image, 0, 0, w, h);
    const scale = h / 720;
    const d = ctx.getImageData(Math.round(point.x * scale) - 1, Math.round(point.y * scale) - 1, 3, 3).data;
    const mean = [0, 1, 2].map((c) => Math.round((d[c] + d[c + 4] + d[c + 8] + d[c + 12] + d[c + 16] + d[c + 20] + d[c + 24] + d[c + 28] + d[c + 32]) / 9));
    return { rgb: mean, w, h };
  }, { source, point: BAR_POINT });
}

async function waitFor(fn, what, timeoutMs = 60000) {
  const end = Date.now() + timeoutMs;
  let last;
  while (Date.now() < end) {
    last = await fn();
    if (last?.ok) return last;
    await sleep(500);
  }
  throw new Error(`timed out waiting for ${what}: ${JSON.stringify(last)}`);
}

test('the host signs in and goes live from the console', async () => {
  host = await phone(browser, `${site.base}/host`);
  await host.setViewportSize({ width: 375, height: 740 });
  await host.waitForSelector('#signin:not([hidden])');
  await host.fill('#signin-name', HOST_NAME);
  await host.fill('#signin-password', HOST_PASSWORD);
  await host.click('#signin-submit');
  await host.waitForFunction(() => window.boai?.client?.welcomed);
  assert.equal(await host.isHidden('#no-studio'), true);
  await host.click('#go-live');
  await host.waitForFunction(() => window.boai.health?.live === true, null, { timeout: 30000 });
  await host.waitForSelector('#live-state.live');
  // The preview shows the output.
  await host.waitForSelector('#preview:not([hidden])', { timeout: 30000 });
  await host.waitForFunction(() => Number(document.querySelector('#health-fps').textContent) > 0, null, { timeout: 30000 });
});

test('the viewer page plays: the video\'s currentTime advances and the live badge shows', async () => {
  viewer = await phone(browser, `${site.base}/r/${site.room}`);
  await joined(viewer);
  await viewer.waitForSelector('#live-badge:not([hidden])', { timeout: 90000 });
  const t0 = await viewer.evaluate(() => document.querySelector('#video').currentTime);
  await viewer.waitForFunction((start) => document.querySelector('#video').currentTime > start + 2, t0, { timeout: 30000 });
  assert.equal(await viewer.isHidden('#offline'), true);
  await screenshot(viewer, 'viewer-live');
});

test('switching scene from the console reaches the studio', async () => {
  await host.click('#scenes [data-scene=slate]');
  await host.waitForFunction(() => window.boai.health?.scene === 'slate' && window.boai.health?.on_air === 'slate', null, { timeout: 15000 });
  assert.equal(await host.getAttribute('#scenes [data-scene=slate]', 'aria-pressed'), 'true');
  await host.click('#scenes [data-scene=camera]');
  await host.waitForFunction(() => window.boai.health?.scene === 'camera', null, { timeout: 15000 });
  // A lower third and a QR code, each acknowledged.
  await host.fill('#lt-name', '王医生');
  await host.fill('#lt-role', '急救培训师');
  await host.click('#lower-third-form button[type=submit]');
  await host.waitForSelector('#toast.ok:not([hidden])');
  await host.click('#qr-show');
  await host.waitForSelector('#toast.ok:not([hidden])');
  // A push target that is not RTMP is refused, and the console says why.
  await host.fill('#push-url', 'http://example.invalid/live');
  await host.click('#push-form button[type=submit]');
  await host.waitForSelector('#toast.error:not([hidden])');
  assert.equal(await host.getAttribute('#toast', 'data-code'), 'push_url_invalid');
  // A featured card with an amount typed in yuan.
  await host.fill('#feature-title', '红心愿：为玉兰社区添一台 AED');
  await host.fill('#feature-subtitle', '还差 ¥3,000');
  await host.fill('#feature-amount', '3000');
  await host.click('#feature-form button[type=submit]');
  await host.waitForSelector('#toast.ok:not([hidden])');
  await screenshot(host, 'host-console-live');
});

// The QR code on the video, as a phone's camera reads it: the studio's preview (what goes out)
// fetched with the host's cookie, decoded by zbarimg. null while no code can be read.
async function readVideoQr() {
  const cookie = (await host.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  const r = await fetch(`${site.base}/api/studio/preview.png`, { headers: { cookie } });
  if (!r.ok) return null;
  const file = join(tempDir('qr'), 'preview.png');
  writeFileSync(file, Buffer.from(await r.arrayBuffer()));
  try {
    return execFileSync('zbarimg', ['-q', '--raw', file], { encoding: 'utf8' }).trim();
  } catch {
    return null; // zbarimg exits 4 when it finds no code
  }
}

test('an item on the card puts its own link in the video\'s QR code, and the link opens its form', async () => {
  const added = await runBoai(['sale', 'add', '--title', '家庭急救包', '--price', '88', '--quantity', '3',
    '--fund', 'general', '--data-dir', site.dataDir]);
  assert.equal(added.code, 0, added.output);
  const id = Number(/^#(\d+)/.exec(added.output)[1]);
  await host.evaluate((itemId) => window.boai.client.request({ type: 'sale.on_air', item_id: itemId }), id);
  const onCard = await waitFor(async () => {
    const url = await readVideoQr();
    return { ok: url?.endsWith(`/r/${site.room}?sale=${id}`), url };
  }, 'the item\'s link in the QR code');
  // A phone that scans it lands on the item's form, ready to buy (and pay in one tap).
  const scanner = await phone(browser, onCard.url.replace(/^https?:\/\/[^/]+/, site.base));
  await joined(scanner);
  await scanner.waitForSelector('#sale-buy:not([hidden])');
  assert.match(await scanner.textContent('#sale-buy'), /家庭急救包/);
  assert.equal(await scanner.getAttribute('.tabs [data-tab=sales]', 'aria-selected'), 'true');
  await screenshot(scanner, 'viewer-scanned-item');
  await scanner.context().close();
  // Off the card, the code leads to the room again.
  await host.evaluate(() => window.boai.client.request({ type: 'sale.on_air', item_id: 0 }));
  await waitFor(async () => {
    const url = await readVideoQr();
    return { ok: url?.endsWith(`/r/${site.room}`), url };
  }, 'the room\'s link in the QR code');
});

test('an RTMP push target is added and removed from the console', async () => {
  // Nobody listens there: the output shows up retrying, with its key hidden.
  await host.fill('#push-url', 'rtmp://127.0.0.1:9/live/secret-stream-key');
  await host.click('#push-form button[type=submit]');
  await host.waitForSelector('#toast.ok:not([hidden])');
  const item = host.locator('#push-list li', { has: host.locator('button.danger') }).first();
  await item.waitFor({ timeout: 15000 });
  assert.doesNotMatch(await item.textContent(), /secret-stream-key/);
  await item.locator('button.danger').click();
  await host.waitForFunction(() => !(window.boai.health?.outputs ?? []).some((o) => o.kind === 'rtmp'), null, { timeout: 15000 });
  await host.locator('#push-list li button.danger').waitFor({ state: 'detached', timeout: 30000 });
});

test('after a pledge a frame of the broadcast shows the goal bar moved', async () => {
  const preBar = await sampleIn(host, 'preview');
  assert.ok(preBar, 'a preview frame');
  assert.equal(isPledgedPink(preBar.rgb), false, `before the pledge: ${JSON.stringify(preBar)}`);
  await pledge(viewer, { preset: 50000, name: '陈阿姨', message: '给社区买 AED' });
  // The studio's own output (the preview) within seconds.
  await waitFor(async () => {
    const s = await sampleIn(host, 'preview');
    return { ok: s && isPledgedPink(s.rgb), s };
  }, 'the preview to show the pledged bar', 20000);
  // And a frame of HLS as the viewer's player plays it.
  await viewer.click('.tabs [data-tab=chat]');
  await waitFor(async () => {
    const s = await sampleIn(viewer, 'video');
    return { ok: s && isPledgedPink(s.rgb), s };
  }, 'the played HLS frame to show the pledged bar', 60000);
  await screenshot(viewer, 'viewer-live-pledged');
  assert.deepEqual([...viewer.pageErrors, ...host.pageErrors], []);
});

test('stopping the broadcast: the viewer sees the offline notice', async () => {
  // A chapter mark first, for the replay's list of chapters.
  await host.fill('#chapter-title', '心肺复苏');
  await host.click('#chapter-form button[type=submit]');
  await host.waitForSelector('#toast.ok:not([hidden])');
  await host.click('#stop'); // the confirm dialog is accepted
  await host.waitForFunction(() => window.boai.health?.live === false, null, { timeout: 30000 });
  await viewer.waitForSelector('#offline:not([hidden])', { timeout: 60000 });
  assert.equal(await viewer.isHidden('#live-badge'), true);
  // Live again: the page recovers by itself.
  await host.click('#go-live');
  await viewer.waitForSelector('#live-badge:not([hidden])', { timeout: 90000 });
});

test('the broadcast that ended is a replay in the past classes: it plays through hls.js, its chapter seeks, its MP4 downloads', async () => {
  // The ended broadcast (the newest one is live again): VOD, its chapter, and soon its MP4.
  let ended;
  await waitFor(async () => {
    const { recordings } = await (await fetch(`${site.base}/api/recordings`)).json();
    ended = recordings.find((r) => r.kind === 'hls' && !r.live);
    return { ok: ended?.download, recordings };
  }, 'the ended replay and its MP4', 60000);
  assert.equal(ended.chapters.length, 1, JSON.stringify(ended));
  assert.equal(ended.chapters[0].title, '心肺复苏');
  const vod = await (await fetch(`${site.base}${ended.url.replace('master.m3u8', '720p/index.m3u8')}`)).text();
  assert.match(vod, /#EXT-X-PLAYLIST-TYPE:VOD/);
  assert.match(vod, /#EXT-X-ENDLIST\n$/);

  await viewer.click('.tabs [data-tab=replays]');
  const item = viewer.locator(`#replay-list li[data-name="${ended.name}"]`);
  await item.waitFor();
  await item.locator('button.play').click();
  const played = await viewer.waitForFunction(() => {
    const v = document.querySelector('#replay-video');
    return v.error ? `error ${v.error.code} ${v.error.message}` : v.currentTime > 0.5 && 'playing';
  }, null, { timeout: 30000 });
  assert.equal(await played.jsonValue(), 'playing', `replay ${ended.url}`);
  // hls.js plays it (Chromium has Media Source Extensions): the element's source is a blob.
  assert.match(await viewer.evaluate(() => document.querySelector('#replay-video').src), /^blob:/);
  // The chapter seeks the player to its mark.
  const at = ended.chapters[0].at_seconds;
  await item.locator('.replay-chapters button').click();
  const sought = await viewer.waitForFunction((at) => {
    const v = document.querySelector('#replay-video');
    return Math.abs(v.currentTime - at) < 1.5 && !v.seeking && v.currentTime;
  }, at, { timeout: 30000 });
  assert.ok(Math.abs((await sought.jsonValue()) - at) < 1.5);
  await screenshot(viewer, 'viewer-replays-playing');

  // The download: an MP4 that starts with its type, served in ranges, saved under its name.
  const mp4 = await fetch(`${site.base}${ended.download}`, { headers: { Range: 'bytes=0-31' } });
  assert.equal(mp4.status, 206);
  assert.match(mp4.headers.get('content-range'), /^bytes 0-31\/\d+$/);
  assert.equal(mp4.headers.get('content-disposition'), `attachment; filename="${ended.name}.mp4"`);
  const head = Buffer.from(await mp4.arrayBuffer());
  assert.equal(head.length, 32);
  assert.equal(head.subarray(4, 8).toString(), 'ftyp');
  const whole = await fetch(`${site.base}${ended.download}`);
  assert.equal(whole.status, 200);
  assert.equal(Number(whole.headers.get('content-length')), Number(mp4.headers.get('content-range').split('/')[1]));
  const past = await fetch(`${site.base}${ended.download}`, { headers: { Range: 'bytes=999999999999-' } });
  assert.equal(past.status, 416);
  const link = item.locator('a.download');
  assert.equal(await link.getAttribute('href'), ended.download);
  assert.deepEqual([...viewer.pageErrors, ...host.pageErrors], []);
});

test('hosts rename, hide and pin a replay from the console', async () => {
  const { recordings } = await (await fetch(`${site.base}/api/recordings`)).json();
  const ended = recordings.find((r) => r.kind === 'hls' && !r.live);
  await host.click('#replays-refresh');
  const row = host.locator(`#host-replays li[data-name="${ended.name}"]`);
  await row.waitFor();
  await row.locator('input').fill('急救课 · 心肺复苏');
  await row.locator('button', { hasText: /改名|Rename/ }).click();
  await host.waitForFunction((name) => document.querySelector(`#host-replays li[data-name="${name}"] input`)?.value === '急救课 · 心肺复苏', ended.name);
  await host.locator(`#host-replays li[data-name="${ended.name}"] button.pin`).click();
  await host.waitForSelector(`#host-replays li[data-name="${ended.name}"] button.pin[aria-pressed=true]`);
  await host.locator(`#host-replays li[data-name="${ended.name}"] button.hide`).click();
  await waitFor(async () => {
    const pub = await (await fetch(`${site.base}/api/recordings`)).json();
    return { ok: !pub.recordings.some((r) => r.name === ended.name), pub };
  }, 'the hidden replay to leave the public library', 20000);
  const all = await host.evaluate(async () => (await fetch('/api/recordings?all=1')).json());
  const kept = all.recordings.find((r) => r.name === ended.name);
  assert.deepEqual([kept.title, kept.hidden, kept.pinned], ['急救课 · 心肺复苏', true, true]);
  assert.ok(all.library.used_bytes > 0, JSON.stringify(all.library));
  // Bad changes get stable codes and change nothing.
  const bad = await host.evaluate(async (name) => {
    const post = async (path, body) => {
      const res = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
      const text = await res.text();
      try {
        return [res.status, JSON.parse(text).error];
      } catch {
        return [res.status, null]; // not ours: lws's own page
      }
    };
    return [
      await post(`/api/recordings/${name}`, '{"hidden": "yes"}'),
      await post(`/api/recordings/${name}`, '{"title": ""}'),
      await post(`/api/recordings/${name}`, '[1'),
      await post('/api/recordings/nobody-20200101T000000Z', '{"pinned": true}'),
      await post('/api/recordings/..%2F..%2Fetc', '{"pinned": true}'),
    ];
  }, ended.name);
  // A path that climbs out is not even a recording's route (lws folds it): a 404 either way.
  assert.equal(bad.pop()[0], 404);
  assert.deepEqual(bad, [[400, 'bad_json'], [400, 'bad_json'], [400, 'bad_json'],
    [404, 'recording_unknown']]);
  // Strangers may not.
  const refused = await fetch(`${site.base}/api/recordings/${ended.name}`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Origin: site.base }, body: '{"hidden": false}' });
  assert.equal(refused.status, 401);
  assert.deepEqual(host.pageErrors, []);
});
