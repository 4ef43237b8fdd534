// bench/latency: glass-to-glass latency measured in Chromium, not modelled. `boai serve --source
// clock` draws each frame's capture time as a QR code; Debian's Chromium (playwright-core, as the
// e2e tests drive it) opens the viewer page, whose own player plays the room, and every half second
// the page copies the <video>'s picture into a canvas and jsQR reads it: now - capture time.
// For each mode: median, p95, reads that did not decode, stalls, how fast the video played, the
// page's HLS requests a second, boai's CPU share over the run, and the studio's own share (a
// segment listed after its first frame's capture). Prints figures; asserts nothing.
//   node bench/latency/main.mjs [--boai build/bench/app/boai] [--seconds 60] [--every-ms 500]
//                               [--settle-seconds 5] [--modes ll,classic]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JSQR_PATH, readFrame, watchVideo } from './page_clock.mjs';
import { watchStudioEdge } from './studio_edge.mjs';

const ROOT = new URL('../..', import.meta.url).pathname;
const args = { boai: join(ROOT, 'build/bench/app/boai'), seconds: 60, 'every-ms': 500,
  'settle-seconds': 5, modes: 'll,classic' };
for (let i = 2; i < process.argv.length; i++) {
  const name = process.argv[i].replace(/^--/, '');
  if (!(name in args) || i + 1 >= process.argv.length) {
    console.error(`bench/latency: unknown ${process.argv[i]} (see the head of bench/latency/main.mjs)`);
    process.exit(2);
  }
  args[name] = process.argv[++i];
}
// The page picks LL-HLS at /r/ROOM (issue #15) and classic HLS with ?hls=classic.
const MODES = { ll: '', classic: '?hls=classic' };
const modes = args.modes.split(',');
if (modes.some((m) => !(m in MODES))) {
  console.error(`bench/latency: --modes takes ${Object.keys(MODES).join(',')}`);
  process.exit(2);
}

// The e2e support reads the binary and its output folder when it is imported.
process.env.BOAI_BINARY = args.boai;
process.env.BOAI_TEST_OUTPUT ??= join(ROOT, 'build/bench/latency-output');
const { startSite, launchBrowser } = await import('../../tests/e2e/support.mjs');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
// User and system CPU seconds of one process (all its threads), from /proc/PID/stat.
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;  // utime, stime in 10 ms ticks
}
function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
async function until(condition, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
  return true;
}

// One mode: a fresh browser context on the viewer page, playing, then a read every --every-ms.
async function measure(browser, site, mode) {
  const url = `${site.base}/r/${site.room}${MODES[mode]}`;
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.addInitScript({ path: JSQR_PATH });
  await page.addInitScript(watchVideo);
  let requests = 0;
  let counting = false;
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (counting && (path.startsWith('/hls/') || path.startsWith('/ll/'))) requests += 1;
  });
  await page.goto(url);
  const playing = await until(() => page.evaluate(() => {
    const v = document.querySelector('#video');
    return v.currentTime > 0 && !v.paused && v.videoWidth > 0;
  }), 60000);
  if (!playing) {
    await context.close();
    return { mode, url, error: 'the video did not start playing within 60 s' };
  }
  await sleep(Number(args['settle-seconds']) * 1000);

  const reads = [];
  const edge = watchStudioEdge(site.base, site.room);
  const startCpu = cpuSeconds(site.proc.pid);
  const start = Date.now();
  counting = true;
  const firstWaiting = await page.evaluate(() => window.clockBench.waiting);
  for (let next = start; next < start + Number(args.seconds) * 1000; next += Number(args['every-ms'])) {
    if (next > Date.now()) await sleep(next - Date.now());
    reads.push(await page.evaluate(readFrame));
  }
  counting = false;
  const seconds = (Date.now() - start) / 1000;
  const cpu = (cpuSeconds(site.proc.pid) - startCpu) / seconds;
  await context.close();
  const listed = await edge.stop();

  const latencies = [];
  let failed = 0, frozen = 0;
  const heights = new Set();
  reads.forEach((r, i) => {
    const ms = /^boai-clock:(\d+)$/.exec(r.text ?? '');
    if (ms) latencies.push((r.now - Number(ms[1])) / 1000);
    else failed += 1;
    if (i > 0 && r.time === reads[i - 1].time) frozen += 1;
    heights.add(r.height);
  });
  latencies.sort((a, b) => a - b);
  return { mode, url, reads: reads.length, failed, median: percentile(latencies, 50),
    p95: percentile(latencies, 95), min: latencies[0], max: latencies.at(-1),
    waiting: reads.at(-1).waiting - firstWaiting, frozen, requestsPerSecond: requests / seconds,
    cpu, renditions: [...heights].map((h) => `${h}p`).join('+'),
    // Media seconds played a wall second: under 1, the player fell behind without a stall.
    rate: (reads.at(-1).time - reads[0].time) / ((reads.at(-1).now - reads[0].now) / 1000),
    listed: percentile(listed, 50), listedMax: listed.at(-1) };
}

const site = await startSite({ serveArgs: ['--source', 'clock', '--go-live'] });
let browser;
try {
  console.log(`bench/latency: boai ${args.boai}, clock source, ${args.seconds} s a mode, a read ` +
    `every ${args['every-ms']} ms after ${args['settle-seconds']} s of play`);
  console.log(`load average at the start: ${loadAverage()}`);
  const master = `${site.base}/hls/${site.room}/master.m3u8`;
  if (!(await until(async () => (await fetch(master)).ok, 60000))) {
    throw new Error(`the studio wrote no ${master} within 60 s`);
  }
  browser = await launchBrowser();
  const results = [];
  for (const mode of modes) results.push(await measure(browser, site, mode));

  const f = (x) => (Number.isFinite(x) ? x.toFixed(2) : '-');
  console.log('\n| mode | page | reads | not decoded | median s | p95 s | min-max s | waiting ' +
    '| frozen reads | played s/s | HLS req/s | boai CPU | rendition | studio s (max) |');
  console.log('|---|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---|---:|');
  for (const r of results) {
    if (r.error) {
      console.log(`| ${r.mode} | ${r.url} | ${r.error} |`);
      continue;
    }
    console.log(`| ${r.mode} | ${new URL(r.url).pathname}${new URL(r.url).search} | ${r.reads} ` +
      `| ${r.failed} | ${f(r.median)} | ${f(r.p95)} | ${f(r.min)}-${f(r.max)} | ${r.waiting} ` +
      `| ${r.frozen} | ${f(r.rate)} | ${f(r.requestsPerSecond)} | ${(r.cpu * 100).toFixed(1)}% ` +
      `| ${r.renditions} | ${f(r.listed)} (${f(r.listedMax)}) |`);
  }
  console.log(`\nload average at the end: ${loadAverage()}`);
  console.log('Beside MediaMTX\'s published LL-HLS defaults ' +
    '(https://github.com/bluenviron/mediamtx/blob/main/mediamtx.yml): hlsVariant lowLatency, ' +
    'hlsSegmentDuration 1s,\nhlsPartDuration 200ms, "A player usually puts 3 parts in a buffer" ' +
    '(about 0.6 s of media held by the player). Its docs give no\nend-to-end figure: ' +
    'bench/README.md "latency" says what was found.');
} finally {
  await browser?.close();
  await site.stop();
}
