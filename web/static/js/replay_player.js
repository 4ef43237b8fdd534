// A replay in the page's <video>: HLS video on demand through hls.js where the browser has Media
// Source Extensions, the browser's own HLS elsewhere (Safari, iPhone, WeChat on iOS); an older
// Matroska recording straight into the element. A chapter asks for a time, kept until the video
// knows its length.

let hls = null;
let current = '';

function stop(video) {
  if (hls) {
    hls.destroy();
    hls = null;
  }
  video.removeAttribute('src');
}

function seekWhenReady(video, seconds) {
  if (!(seconds > 0)) return;
  const go = () => {
    video.currentTime = seconds;
  };
  if (video.readyState >= 1) go();
  else video.addEventListener('loadedmetadata', go, { once: true });
}

// Plays `url` from `seconds` (0: the start); the same replay again only seeks.
export function playReplay(video, url, seconds = 0) {
  video.hidden = false;
  if (url === current && (hls || video.src)) {
    seekWhenReady(video, seconds);
    video.play().catch(() => {});
    return;
  }
  stop(video);
  current = url;
  const Hls = window.Hls;
  if (url.endsWith('.m3u8') && Hls && Hls.isSupported()) {
    // From the start even while the class is on (an EVENT playlist would start at its live end).
    hls = new Hls({ startPosition: seconds > 0 ? seconds : 0 });
    hls.on(Hls.Events.MANIFEST_PARSED, () => video.play().catch(() => {}));
    hls.on(Hls.Events.ERROR, (_, data) => {
      if (data.fatal && data.type === Hls.ErrorTypes.MEDIA_ERROR) hls.recoverMediaError();
    });
    hls.loadSource(url);
    hls.attachMedia(video);
  } else {
    video.src = url;
    seekWhenReady(video, seconds);
    video.play().catch(() => {});
  }
  video.dataset.replay = url;
  video.scrollIntoView({ block: 'nearest' });
}
