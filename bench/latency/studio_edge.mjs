// The studio's share of the latency, seen from outside: polls the 720p playlist and, for each new
// segment, reads the clock in its first frame (ffmpeg, then zbarimg from zbar-tools) and keeps
// how long after that capture the segment was listed. A segment a second, one decode each.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

async function firstFrameClock(bytes, dir) {
  const ts = join(dir, 'segment.ts'), pgm = join(dir, 'frame.pgm');
  writeFileSync(ts, bytes);
  await run('ffmpeg', ['-v', 'error', '-y', '-i', ts, '-frames:v', '1', '-pix_fmt', 'gray', pgm]);
  const { stdout } = await run('zbarimg', ['-q', '--raw', pgm]).catch(() => ({ stdout: '' }));
  const ms = /boai-clock:(\d+)/.exec(stdout);
  return ms ? Number(ms[1]) : null;
}

// Watches until stop() is called; stop() resolves to the seconds from capture to listing.
export function watchStudioEdge(base, room) {
  const dir = mkdtempSync(join(tmpdir(), 'boai-bench-latency-'));
  const playlist = `${base}/hls/${room}/720p/index.m3u8`;
  const delays = [];
  let last = null;
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        const text = await (await fetch(playlist)).text();
        const segment = text.trim().split('\n').filter((l) => l && !l.startsWith('#')).at(-1);
        if (segment && segment !== last) {
          const listedAt = Date.now();
          const first = last === null;
          last = segment;
          if (!first) {  // the one listed before the watch began has no listing time
            const bytes = Buffer.from(await (await fetch(`${base}/hls/${room}/720p/${segment}`))
              .arrayBuffer());
            const captured = await firstFrameClock(bytes, dir);
            if (captured !== null) delays.push((listedAt - captured) / 1000);
          }
        }
      } catch { /* a read between renames: the next poll */ }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      rmSync(dir, { recursive: true, force: true });
      return delays.sort((a, b) => a - b);
    },
  };
}
