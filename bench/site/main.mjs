// bench/site: the deployment of deploy/ on this machine (scripts/site: PostgreSQL, a studio node,
// web nodes, nginx over TLS) under a charity night's load, all through nginx: WebSocket viewers
// spread over the web nodes with a chat load as in bench/chat_fanout, and HLS players fetching
// the 720p playlist and each new segment at the real rate, and low-latency players blocking on
// each new part. Then, with --faults, a web node killed, the studio node restarted and PostgreSQL
// restarted under the same load.
//   node bench/site/main.mjs [--viewers 2000] [--direct 100] [--senders 4] [--rate 5]
//                            [--players 200] [--ll-players 0] [--ll-direct 10] [--seconds 30]
//                            [--web-nodes 2] [--boai PATH] [--faults] [--dir DIR]
//                            [--generator epoll|node] [--viewers-binary PATH] [--nice N]
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { EpollCrowd, NodeCrowd } from './crowd.mjs';

const ROOT = new URL('../..', import.meta.url).pathname;
const args = { viewers: 2000, direct: 100, senders: 4, rate: 5, players: 200, 'll-players': 0,
  'll-direct': 10, seconds: 30, 'web-nodes': 2,
  boai: join(ROOT, 'build/release/app/boai'), faults: false, dir: '', generator: 'epoll',
  'viewers-binary': join(ROOT, 'build/release/bench/site_viewers'), nice: '' };
for (let i = 2; i < process.argv.length; i++) {
  const name = process.argv[i].replace(/^--/, '');
  if (!(name in args)) {
    console.error(`bench/site: unknown ${process.argv[i]} (see the head of bench/site/main.mjs)`);
    process.exit(2);
  }
  args[name] = typeof args[name] === 'boolean' ? true : process.argv[++i];
}
const num = (k) => Number(args[k]);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// Waits for a condition (checked every 50 ms) and says how long it took; null on the deadline.
async function until(condition, timeoutMs) {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > timeoutMs) return null;
    await sleep(50);
  }
  return Date.now() - start;
}

// --nice N (as root): the scheduler's autogroup of this session (this process, scripts/site, its
// nodes and nginx, the C++ viewers) and PostgreSQL's (pg_ctl starts it in a session of its own)
// at that nice value, as bench/chat_fanout does: on a machine shared with other people's builds
// the figures are then the site's more than the neighbours'.
function autogroupNice(pid) {
  if (args.nice !== '') writeFileSync(`/proc/${pid}/autogroup`, String(args.nice));
}
autogroupNice('self');
const dir = args.dir || mkdtempSync(join(tmpdir(), 'boai-bench-site-'));
const env = {};
for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('BOAI_')) env[k] = v;
// The per-connection limits would refuse the benchmark itself (as bench/chat_fanout lifts them).
const siteProc = spawn(join(ROOT, 'scripts/site'), ['--dir', dir, '--boai', args.boai,
  '--web-nodes', args['web-nodes'], '--', '--limits',
  'connections_per_address=100000,messages_per_second=1000,message_burst=1000,queued_frames=4096'],
{ env, stdio: ['ignore', 'pipe', 'inherit'] });
let siteOut = '';
siteProc.stdout.on('data', (d) => { siteOut += d; });
const stopSite = () => siteProc.kill('SIGTERM');
if (args.generator === 'epoll' && !existsSync(args['viewers-binary'])) {
  console.error(`bench/site: no ${args['viewers-binary']} (bench/README "site" builds it;`
    + ' or --generator node)');
  process.exit(2);
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => { stopSite(); process.exit(130); });
}
if (await until(() => siteOut.includes('site: ready') || siteProc.exitCode !== null, 180000) === null
    || !siteOut.includes('site: ready')) {
  console.error(`bench/site: the site did not start (logs in ${dir})`);
  stopSite();
  process.exit(1);
}
const siteEnv = Object.fromEntries(readFileSync(join(dir, 'site.env'), 'utf8').trim().split('\n')
  .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
const site = { https: siteEnv.SITE_URL, wss: siteEnv.SITE_URL.replace('https', 'wss'),
  room: 'firstaid', targetMs: 1000 };
const webNodes = siteEnv.WEB_NODES.split(' ');
const postmaster = () => Number(readFileSync(join(siteEnv.PG_DIR, 'postmaster.pid'), 'utf8')
  .split('\n')[0]);
autogroupNice(postmaster());

// CPU seconds of a process and its children now alive, from /proc (clock ticks of 10 ms).
function childrenOf(pid) {
  const kids = [];
  for (const p of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) kids.push(Number(p));
    } catch { /* gone */ }
  }
  return kids;
}
function cpuSeconds(pid, withChildren) {
  let total = 0;
  for (const p of [pid, ...(withChildren ? childrenOf(pid) : [])]) {
    try {
      const f = readFileSync(`/proc/${p}/stat`, 'utf8').slice(0).split(') ')[1].split(' ');
      total += (Number(f[11]) + Number(f[12])) / 100;
    } catch { /* gone */ }
  }
  return total;
}
const pidOf = (file) => Number(readFileSync(file, 'utf8').split('\n')[0]);
function cpuSnapshot() {
  const snap = { nginx: cpuSeconds(pidOf(siteEnv.NGINX_PID_FILE), true),
    postgres: cpuSeconds(pidOf(join(siteEnv.PG_DIR, 'postmaster.pid')), true),
    // This process (the players' thread, and the viewers with --generator node) and the C++
    // viewers apart.
    generator: process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6,
    site_viewers: crowd?.cpuSeconds() ?? 0,
    at: Date.now() };
  for (const node of ['studio', ...webNodes.map((_, i) => `web${i + 1}`)]) {
    snap[node] = cpuSeconds(pidOf(join(dir, `${node}.pid`)), false);
  }
  return snap;
}
// The access log's lines since an offset: classic (/hls/) and low-latency (/ll/) requests that
// reached the studio, and all of them.
function hlsLog(from) {
  const log = readFileSync(join(dir, 'nginx/access.log'), 'utf8');
  const counts = { hls: { origin: 0, answered: 0 }, ll: { origin: 0, answered: 0 } };
  for (const line of log.slice(from).split('\n')) {
    const kind = line.includes('"/hls/') ? 'hls' : line.includes('"/ll/') ? 'll' : null;
    if (!kind) continue;
    const [, upstream] = line.split(' ');
    if (upstream !== '-') counts[kind].origin++;
    counts[kind].answered++;
  }
  return { ...counts, size: log.length };
}
async function connectionsOf(node) {
  const text = await (await fetch(`http://${node}/metrics`)).text();
  return Number(/^boai_ws_connections (\d+)/m.exec(text)?.[1] ?? 0);
}
let crowd = null;
function percentile(sorted, p, missing) {
  const n = sorted.length + missing;
  const i = Math.ceil(n * p) - 1;
  return i < sorted.length ? sorted[Math.max(0, i)] : Infinity;
}

console.log(`bench/site: ${args.viewers} viewers (${args.senders} chat, ${args.rate} msg/s in all;`
  + ` ${args.generator} generator),`
  + ` ${args.players} players, ${args['ll-players']} low-latency players`
  + ` (+ ${num('ll-players') ? args['ll-direct'] : 0} direct), ${args['web-nodes']} web nodes,`
  + ` ${args.seconds} s${args.nice !== '' ? `, nice ${args.nice}` : ''}; load`
  + ` ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
// On air once the 720p playlists are there (the master comes first: a player asking for its
// media playlist then would get a 404, which nginx keeps a second).
const onAir = async (path) => (await fetch(`http://${siteEnv.STUDIO}/${path}`)).status === 200;
const ready = async () => await onAir(`hls/${site.room}/720p/index.m3u8`)
  && (num('ll-players') === 0 || await onAir(`ll/${site.room}/720p/index.m3u8`));
if (await until(ready, 120000) === null) {
  console.error('bench/site: the studio never went on air');
  stopSite();
  process.exit(1);
}
// The players' figures: counters since they started, the lateness of parts and low-latency
// playlists as they come (kept from the start of the measured window).
const blank = () => ({ requests: 0, failed: 0, statuses: {}, cache: {}, segmentBytes: 0,
  oldestSegmentAt: Infinity, partLate: [], playlistLate: [] });
const hlsGroups = { classic: blank(), ll: blank(), llDirect: blank() };
const playerThreads = [{ players: num('players'), llPlayers: num('ll-players'), llDirect: 0 },
  { players: 0, llPlayers: 0, llDirect: num('ll-players') ? num('ll-direct') : 0 }]
  .map((counts) => new Worker(new URL('./players.mjs', import.meta.url),
    { workerData: { site, studio: siteEnv.STUDIO, ...counts } }));
const onPlayers = (m) => {
  for (const [name, g] of Object.entries(m)) {
    const into = hlsGroups[name];
    into.partLate.push(...g.partLate);
    into.playlistLate.push(...g.playlistLate);
    Object.assign(into, { ...g, partLate: into.partLate, playlistLate: into.playlistLate });
  }
};
playerThreads.forEach((t) => t.on('message', onPlayers));
const crowdOptions = { site, viewers: num('viewers'), direct: num('direct'), directTo: webNodes,
  senders: num('senders'), rate: num('rate') };
crowd = args.generator === 'epoll' ? new EpollCrowd(args['viewers-binary'], crowdOptions)
  : new NodeCrowd(crowdOptions);
const joinStart = Date.now();
await crowd.start();
const perNode = await Promise.all(webNodes.map(connectionsOf));
console.log(`joined: ${crowd.welcomed} of ${crowd.total} in ${((Date.now() - joinStart) / 1000)
  .toFixed(1)} s (${perNode.join(' + ')} by node)`);
await sleep(5000);  // warm up: players settled, caches filled
crowd.window(Date.now(), Date.now() + num('seconds') * 1000);
const req0 = Object.fromEntries(Object.entries(hlsGroups).map(([k, g]) => [k, g.requests]));
const bytes0 = Object.fromEntries(Object.entries(hlsGroups).map(([k, g]) => [k, g.segmentBytes]));
const failed0 = Object.fromEntries(Object.entries(hlsGroups).map(([k, g]) => [k, g.failed]));
for (const g of Object.values(hlsGroups)) {
  g.partLate = [];
  g.playlistLate = [];
}
const log0 = hlsLog(0);
const cpu0 = cpuSnapshot();
await sleep(num('seconds') * 1000);
const cpu1 = cpuSnapshot();
const log1 = hlsLog(log0.size);
const secs = (cpu1.at - cpu0.at) / 1000;
await sleep(3000);  // late deliveries of the window's last messages
const chat = await crowd.result();
for (const [what, r] of [['through nginx', chat.nginx], ['direct', chat.direct]]) {
  console.log(`chat ${what}: ${chat.sent} sent, ${r.delivered}/${r.expected} deliveries, p50`
    + ` ${Math.round(r.p50)} ms, p99 ${Math.round(r.p99)} ms`);
}
const counters = crowd.counters;
console.log(`viewers: ${counters.drops} sockets lost, ${counters.duplicates} events seen twice,`
  + ` ${counters.errors} errors`);
crowd.window(0, Infinity);
const late = (list) => {
  const sorted = [...list].sort((a, b) => a - b);
  const at = (p) => Math.round(percentile(sorted, p, 0));
  return sorted.length ? `p50 ${at(0.5)} / p99 ${at(0.99)}`
    + ` / max ${Math.round(sorted[sorted.length - 1])} ms (${sorted.length})` : 'none';
};
for (const [name, kind, label] of [['classic', 'hls', 'hls'], ['ll', 'll', 'll'],
  ['llDirect', null, 'll direct']]) {
  const g = hlsGroups[name];
  if (g.requests === 0) continue;
  const playerRate = (g.requests - req0[name]) / secs;
  const origin = kind ? log1[kind].origin / secs : playerRate;
  console.log(`${label}: players ${playerRate.toFixed(1)} req/s, studio ${origin.toFixed(2)} req/s,`
    + `${kind ? ` cache answered ${(100 * (1 - origin / Math.max(1, playerRate))).toFixed(2)}%,`
      : ''}`
    + ` ${((g.segmentBytes - bytes0[name]) * 8 / 1e6 / secs).toFixed(1)} Mbit/s of media`
    // A player keeping up gets the stream's own rate (the direct LL players' is the yardstick):
    // the test pattern's 720p with the chat on it, far below the ladder's BANDWIDTH.
    + ` (${((g.segmentBytes - bytes0[name]) * 8 / 1e6 / secs / (name === 'classic'
      ? num('players') : name === 'll' ? num('ll-players') : num('ll-direct'))).toFixed(2)}`
    + ' a player),'
    + ` failed ${g.failed - failed0[name]} (${g.failed} in all: ${JSON.stringify(g.statuses)}),`
    + ` cache ${JSON.stringify(g.cache)}`);
  if (name !== 'classic') {
    console.log(`${label}: parts late after the studio finished them ${late(g.partLate)};`
      + ` blocking playlists after their newest part ${late(g.playlistLate)}`);
  }
}
console.log(`cpu (% of one core): ${Object.keys(cpu0).filter((k) => k !== 'at')
  .map((k) => `${k} ${((100 * (cpu1[k] - cpu0[k])) / secs).toFixed(1)}`).join(', ')}`);

async function faults() {
  // A web node killed: its viewers come back through nginx on the other node, with last_seq.
  const drops0 = crowd.counters.drops;
  const gaps0 = crowd.counters.gaps;
  process.kill(pidOf(join(dir, 'web1.pid')), 'SIGKILL');
  await until(() => crowd.counters.drops > drops0, 10000);
  const back = await until(() => crowd.welcomed === crowd.total, 120000);
  const gaps = crowd.counters.gaps - gaps0;
  console.log(`fault web1 killed: ${crowd.counters.drops - drops0} viewers dropped, all back in`
    + ` ${back === null ? 'over 120 s' : `${(back / 1000).toFixed(1)} s`}, gaps in seq ${gaps},`
    + ` resyncs ${crowd.counters.resyncs}`);
  await sleep(3000);
  // The studio restarted: players stall on cached playlists and go on with the new broadcast.
  const killed = Date.now();
  process.kill(pidOf(join(dir, 'studio.pid')), 'SIGKILL');
  const resumed = await until(() => Object.values(hlsGroups)
    .every((g) => g.oldestSegmentAt > killed + 2000), 180000);
  console.log(`fault studio restarted: every player had a new segment after`
    + ` ${resumed === null ? 'over 180 s' : `${(resumed / 1000).toFixed(1)} s`}`
    + ` (failed requests so far: ${Object.entries(hlsGroups).filter(([, g]) => g.requests)
      .map(([k, g]) => `${k} ${g.failed} ${JSON.stringify(g.statuses)}`).join(', ')})`);
  // PostgreSQL restarted: chat resumes; viewers stay.
  const drops1 = crowd.counters.drops;
  const pgCtl = join(siteEnv.PG_BINDIR, 'pg_ctl');
  const asPg = process.getuid() === 0 ? ['runuser', ['-u', 'postgres', '--', pgCtl]] : [pgCtl, []];
  const restarted = Date.now();
  execFileSync(asPg[0], [...asPg[1], '-D', siteEnv.PG_DIR, '-m', 'fast', '-w', 'restart', '-l',
    join(siteEnv.PG_DIR, 'postgres.log')], { stdio: 'ignore' });
  autogroupNice(postmaster());
  crowd.window(0, Infinity);
  const chatBack = await until(() => crowd.delivered > crowd.total / 2, 120000);
  console.log(`fault postgres restarted (${((Date.now() - restarted - (chatBack ?? 0)) / 1000)
    .toFixed(1)} s): chat delivered again ${chatBack === null ? 'never' : `after ${(chatBack / 1000)
    .toFixed(1)} s`}, viewers dropped ${crowd.counters.drops - drops1}`);
}
if (args.faults) await faults();

await crowd.stop();
await Promise.all(playerThreads.map((t) => {
  t.postMessage('stop');
  return new Promise((r) => t.on('exit', r));
}));
stopSite();
await new Promise((r) => siteProc.on('exit', r));
if (!args.dir && existsSync(dir)) console.log(`bench/site: logs in ${dir}`);
process.exit(0);
