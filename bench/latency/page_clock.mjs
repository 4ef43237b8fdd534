// What bench/latency does inside the viewer page: jsQR (bench/latency/node_modules) read from the
// <video> the page's own player plays, and the counters of its stalls. Runs in Chromium.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
export const JSQR_PATH = require.resolve('jsqr/dist/jsQR.js');

// Added to the page before its own scripts (addInitScript is not bound by the page's CSP): counts
// the video's `waiting` events from the start.
export function watchVideo() {
  window.clockBench = { waiting: 0 };
  document.addEventListener('waiting', (e) => {
    if (e.target.id === 'video') window.clockBench.waiting += 1;
  }, true);
}

// One reading: the picture on the video now, the wall clock just before it was copied, the QR's
// text in the middle of it (where the clock source draws its face: docs/STREAM.md "Sources").
export function readFrame() {
  const video = document.querySelector('#video');
  const w = video.videoWidth, h = video.videoHeight;
  const out = { now: Date.now(), text: null, time: video.currentTime, height: h,
    waiting: window.clockBench.waiting };
  if (!w || !h) return out;
  const sx = Math.floor(w * 0.28), sy = Math.floor(h * 0.26);
  const sw = Math.floor(w * 0.44), sh = Math.floor(h * 0.56);
  window.clockBench.canvas ??= document.createElement('canvas');
  const canvas = window.clockBench.canvas;
  canvas.width = sw;
  canvas.height = sh;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  context.drawImage(video, sx, sy, sw, sh, 0, 0, sw, sh);
  const code = window.jsQR(context.getImageData(0, 0, sw, sh).data, sw, sh,
    { inversionAttempts: 'dontInvert' });
  out.text = code ? code.data : null;
  return out;
}
