// bench/site's HLS players on a thread of their own, so that their segments (hundreds of Mbit/s
// of TLS) do not delay the viewers' chat on the main thread: classic players, low-latency players
// through nginx and a few low-latency players straight to the studio node (the yardstick of what
// nginx adds; main.mjs gives them a thread of their own, so that the crowd's lag is not theirs).
// Their figures go to the main thread 4 times a second; the parts' and playlists' lateness since
// the last report.
import { parentPort, workerData } from 'node:worker_threads';
import { LowLatencyPlayer, newStats, Player } from './load.mjs';

const { site, studio } = workerData;
const groups = {
  classic: { stats: newStats(), players: [] },
  ll: { stats: newStats(), players: [] },
  llDirect: { stats: newStats(), players: [] },
};
for (let i = 0; i < workerData.players; i++) {
  groups.classic.players.push(new Player(site, groups.classic.stats));
}
for (let i = 0; i < workerData.llPlayers; i++) {
  groups.ll.players.push(new LowLatencyPlayer(site, groups.ll.stats, site.https));
}
for (let i = 0; i < workerData.llDirect; i++) {
  groups.llDirect.players.push(new LowLatencyPlayer(site, groups.llDirect.stats,
    `http://${studio}/`));
}
const all = Object.values(groups).flatMap((g) => g.players);
all.forEach((p, i) => setTimeout(() => p.start(), (i * 1000) / all.length));
const report = () => {
  const out = {};
  for (const [name, { stats, players }] of Object.entries(groups)) {
    if (players.length === 0) continue;  // another thread's
    out[name] = { requests: stats.requests, failed: stats.failed, statuses: stats.statuses,
      cache: stats.cache, segmentBytes: stats.segmentBytes,
      partLate: stats.partLate.splice(0), playlistLate: stats.playlistLate.splice(0),
      // The player that waited longest for a segment: when it has one, they all have.
      oldestSegmentAt: Math.min(...players.map((p) => p.lastSegmentAt)) };
  }
  parentPort.postMessage(out);
};
const timer = setInterval(report, 250);
parentPort.on('message', () => {
  clearInterval(timer);
  all.forEach((p) => p.stop());
  report();
  parentPort.close();
});
