// Low-Latency HLS as players use it, against a studio on the air (the test pattern): the playlist
// with its parts, hint, server control and rendition reports; blocking reloads held until the part
// lands (one player and fifty at once), refused when too far ahead; ffprobe reading the stream; the
// viewer page playing it in Chromium with hls.js in low-latency mode, classic HLS when asked or
// when /ll/ fails; the host console's viewer picture with its delay.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startSite, launchBrowser, phone, HOST_NAME, HOST_PASSWORD } from './support.mjs';
import { until } from '../ws/support.mjs';

let site;
let browser;

before(async () => {
  site = await startSite({ serveArgs: ['--go-live'] });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await site?.stop();
});

const ll = (path) => `${site.base}/ll/${site.room}/${path}`;

async function playlist(rendition = '720p', query = '') {
  const r = await fetch(ll(`${rendition}/index.m3u8${query}`));
  return { status: r.status, text: await r.text(), cache: r.headers.get('cache-control') };
}

// The part the playlist hints at (being written now): its segment and index.
function hinted(text) {
  const m = /#EXT-X-PRELOAD-HINT:TYPE=PART,URI="segment(\d+)\.part(\d+)\.ts"/.exec(text);
  assert.ok(m, `no preload hint in:\n${text}`);
  return { msn: Number(m[1]), part: Number(m[2]), uri: `segment${m[1]}.part${m[2]}.ts` };
}

// Whether the playlist lists this part (an EXT-X-PART line, not the hint).
const lists = (text, uri) => new RegExp(`#EXT-X-PART:DURATION=[\\d.]+,URI="${uri.replaceAll('.', '\\.')}"`).test(text);

test('the low-latency playlist lists parts, a preload hint, server control and rendition reports', async () => {
  // Wait for the studio's first three segments: their parts are all listed then.
  let first;
  await until(async () => {
    first = await playlist();
    return first.status === 200 && (first.text.match(/#EXTINF/g) ?? []).length >= 3;
  }, 'three closed segments', { timeoutMs: 90000, everyMs: 200 });
  const text = first.text;
  assert.match(text, /^#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-TARGETDURATION:1\n/);
  assert.match(text, /#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1\.002\n/);
  assert.match(text, /#EXT-X-PART-INF:PART-TARGET=0\.334\n/);
  assert.match(text, /#EXT-X-PROGRAM-DATE-TIME:\d{4}-\d\d-\d\dT[\d:.]+Z\n/);
  assert.match(text, /#EXT-X-RENDITION-REPORT:URI="\.\.\/360p\/index\.m3u8",LAST-MSN=\d+,LAST-PART=\d+\n/);
  assert.equal(first.cache, 'no-cache');
  // Every part is at most the part target; a segment's first part starts at its key frame.
  const parts = [...text.matchAll(/#EXT-X-PART:DURATION=([\d.]+),URI="(segment\d+\.part(\d+)\.ts)"(,INDEPENDENT=YES)?/g)];
  assert.ok(parts.length >= 9, text);
  for (const [, duration, , index, independent] of parts) {
    assert.ok(Number(duration) <= 0.334 && Number(duration) > 0.2, `part of ${duration} s`);
    assert.equal(index === '0', independent !== undefined, `part ${index} INDEPENDENT=${independent}`);
  }
  // A listed part is served as MPEG-TS: sync bytes every 188.
  const part = await fetch(ll(`720p/${parts.at(-1)[2]}`));
  assert.equal(part.status, 200);
  assert.equal(part.headers.get('content-type'), 'video/mp2t');
  const bytes = Buffer.from(await part.arrayBuffer());
  assert.ok(bytes.length > 0 && bytes.length % 188 === 0 && bytes[0] === 0x47 && bytes[188] === 0x47);
  // ffmpeg's HLS reader (which ignores the LL tags) finds the picture and the sound.
  const probed = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name',
    '-of', 'csv=p=0', ll('master.m3u8')], { encoding: 'utf8', timeout: 60000 });
  assert.match(probed, /h264/);
  assert.match(probed, /aac/);
});

test('a blocking reload is held until the part it names lands, then lists it', async () => {
  const before = await playlist();
  const next = hinted(before.text);
  assert.equal(lists(before.text, next.uri), false);
  const held = await playlist('720p', `?_HLS_msn=${next.msn}&_HLS_part=${next.part}`);
  assert.equal(held.status, 200);
  assert.ok(lists(held.text, next.uri), `the answer lists ${next.uri}:\n${held.text}`);
  assert.equal(held.cache, 'public, max-age=3');
  // The part after it, asked for by name before it exists (the preload hint), comes whole.
  const ahead = hinted(held.text);
  const part = await fetch(ll(`720p/${ahead.uri}`));
  assert.equal(part.status, 200);
  const bytes = Buffer.from(await part.arrayBuffer());
  assert.ok(bytes.length % 188 === 0 && bytes[0] === 0x47, `${bytes.length} bytes`);
  const after = await playlist();
  assert.ok(lists(after.text, ahead.uri), after.text);
  // _HLS_msn alone waits for the whole segment.
  const segment = await playlist('720p', `?_HLS_msn=${ahead.msn}`);
  assert.ok(segment.text.includes(`segment${String(ahead.msn).padStart(5, '0')}.ts\n`), segment.text);
});

test('fifty players waiting on the same part are all answered with it, in both renditions', async () => {
  const next = hinted((await playlist()).text);
  const asks = [];
  for (let i = 0; i < 50; i++) {
    const rendition = i % 2 ? '360p' : '720p';
    asks.push(playlist(rendition, `?_HLS_msn=${next.msn}&_HLS_part=${next.part}`)
      .then((answer) => ({ rendition, ...answer })));
  }
  for (const a of await Promise.all(asks)) {
    assert.equal(a.status, 200);
    assert.ok(lists(a.text, next.uri), `${a.rendition} lists ${next.uri}`);
  }
});

test('asking too far ahead, with a bad number, or for an unknown room is refused at once', async () => {
  // Margins of seconds: the edge moves on while the test asks.
  const { msn } = hinted((await playlist()).text);
  const far = await playlist('720p', `?_HLS_msn=${msn + 20}`);
  assert.equal(far.status, 400);
  assert.equal(JSON.parse(far.text).error, 'too_far');
  const farPart = await playlist('720p', `?_HLS_msn=${msn + 2}&_HLS_part=40`);
  assert.equal(JSON.parse(farPart.text).error, 'too_far');
  for (const q of ['?_HLS_part=1', '?_HLS_msn=-1', '?_HLS_msn=1e3', `?_HLS_msn=${msn}&_HLS_part=x`]) {
    const bad = await playlist('720p', q);
    assert.equal(bad.status, 400, q);
    assert.equal(JSON.parse(bad.text).error, 'bad_request', q);
  }
  for (const path of ['/ll', '/ll/', `/ll/${site.room}`]) {
    const bare = await fetch(`${site.base}${path}`);
    assert.equal(bare.status, 404, path);
  }
  const room = await fetch(`${site.base}/ll/nosuchroom/720p/index.m3u8`);
  assert.equal(room.status, 404);
  assert.equal((await room.json()).error, 'room_unknown');
  const rendition = await fetch(ll('1080p/index.m3u8'));
  assert.equal((await rendition.json()).error, 'not_live');
  const file = await fetch(ll('720p/../../../etc/passwd'));
  assert.equal(file.status, 404);
  const farFile = await fetch(ll(`720p/segment${String(msn + 20).padStart(5, '0')}.part0.ts`));
  assert.equal(farFile.status, 404);
});

// The viewer page's requests for the stream, counted by kind.
function watchRequests(page) {
  const seen = { blocking: 0, parts: 0, classic: 0 };
  page.on('request', (r) => {
    const url = r.url();
    if (url.includes('/ll/') && url.includes('_HLS_msn=')) seen.blocking += 1;
    if (/\/ll\/.*\.part\d+\.ts$/.test(url)) seen.parts += 1;
    if (url.includes('/hls/') && url.endsWith('.ts')) seen.classic += 1;
  });
  return seen;
}

async function playing(page) {
  await page.waitForFunction(() => document.body.dataset.stream === 'live', null, { timeout: 90000 });
  const t0 = await page.evaluate(() => document.querySelector('#video').currentTime);
  await page.waitForFunction((start) => document.querySelector('#video').currentTime > start + 2, t0,
    { timeout: 60000 });
}

test('the viewer page plays low-latency HLS in Chromium: blocking reloads and parts', async () => {
  const viewer = await phone(browser);
  const seen = watchRequests(viewer);
  await viewer.goto(`${site.base}/r/${site.room}`);
  await playing(viewer);
  assert.equal(await viewer.evaluate(() => document.body.dataset.hls), 'll');
  await until(() => seen.blocking > 3 && seen.parts > 3, 'blocking reloads and parts', { timeoutMs: 30000, everyMs: 100 });
  assert.equal(seen.classic, 0);
  // The player tells its delay behind the packager's clock once it plays.
  const delay = await viewer.evaluate(() => window.boai.player.delaySeconds());
  assert.ok(Number.isFinite(delay) && delay > 0, `delay ${delay}`);
  assert.deepEqual(viewer.pageErrors, []);
  await viewer.context().close();
});

test('classic HLS when the page asks for it, and when the server has no low-latency playlists', async () => {
  const classic = await phone(browser);
  const seen = watchRequests(classic);
  await classic.goto(`${site.base}/r/${site.room}?hls=classic`);
  await playing(classic);
  assert.equal(await classic.evaluate(() => document.body.dataset.hls), 'classic');
  assert.equal(seen.blocking + seen.parts, 0);
  assert.ok(seen.classic > 0);
  await classic.context().close();
  // A proxy that does not pass /ll/: the page finds no master playlist there and plays /hls/.
  const proxied = await phone(browser);
  await proxied.route('**/ll/**', (route) => route.fulfill({ status: 404, body: 'not here' }));
  await proxied.goto(`${site.base}/r/${site.room}`);
  await playing(proxied);
  assert.equal(await proxied.evaluate(() => document.body.dataset.hls), 'classic');
  await proxied.context().close();
});

test('the host console shows what a viewer sees and how late', async () => {
  const host = await phone(browser, `${site.base}/host`);
  await host.waitForSelector('#signin:not([hidden])');
  await host.fill('#signin-name', HOST_NAME);
  await host.fill('#signin-password', HOST_PASSWORD);
  await host.click('#signin-submit');
  await host.waitForFunction(() => window.boai?.client?.welcomed);
  await host.click('#watch-toggle');
  await host.waitForFunction(() => document.querySelector('#watch-delay').dataset.seconds > 0, null,
    { timeout: 90000 });
  assert.equal(await host.getAttribute('#watch-delay', 'data-mode'), 'll');
  assert.match(await host.textContent('#watch-delay'), /观众看到的画面约晚 [\d.]+ 秒（低延迟）/);
  await host.click('#watch-toggle');
  assert.equal(await host.isHidden('#watch'), true);
  assert.deepEqual(host.pageErrors, []);
  await host.context().close();
});
