// bench/site's HLS players on a thread of their own, so that their segments (hundreds of Mbit/s
// of TLS) do not delay the viewers' chat on the main thread; their figures go to it 4 times a
// second.
import { parentPort, workerData } from 'node:worker_threads';
import { newStats, Player } from './load.mjs';

const stats = newStats();
const players = Array.from({ length: workerData.players }, () => new Player(workerData.site, stats));
players.forEach((p, i) => setTimeout(() => p.start(), (i * 1000) / players.length));
const report = () => parentPort.postMessage({
  requests: stats.requests, failed: stats.failed, statuses: stats.statuses, cache: stats.cache,
  segmentBytes: stats.segmentBytes,
  // The player that waited longest for a segment: when it has one, they all have.
  oldestSegmentAt: Math.min(...players.map((p) => p.lastSegmentAt)),
});
const timer = setInterval(report, 250);
parentPort.on('message', () => {
  clearInterval(timer);
  players.forEach((p) => p.stop());
  report();
  parentPort.close();
});
