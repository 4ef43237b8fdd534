// The live video: hls.js where the browser supports it (window.Hls from /vendor/hls.min.js), the
// browser's own HLS elsewhere (Safari, WeChat). While the stream is not there it asks for the
// playlist every few seconds and starts playing by itself when it returns.

const PROBE_MS = 3000;
const STALL_MS = 15000;

// onState('live' | 'offline' | 'loading')
export function startLivePlayer(video, url, onState) {
  let hls = null;
  let probeTimer = null;
  let watchTimer = null;
  let lastTime = -1;
  let lastAdvance = 0;
  let state = '';

  const setState = (s) => {
    if (s === state) return;
    state = s;
    onState(s);
  };

  const teardown = () => {
    clearInterval(watchTimer);
    watchTimer = null;
    if (hls) {
      hls.destroy();
      hls = null;
    }
    video.removeAttribute('src');
    try {
      video.load();
    } catch {
      // nothing loaded
    }
  };

  const offline = () => {
    teardown();
    setState('offline');
    clearTimeout(probeTimer);
    probeTimer = setTimeout(probe, PROBE_MS);
  };

  // Is the playlist there? Only then hand it to a player.
  async function probe() {
    probeTimer = null;
    try {
      const res = await fetch(url, { cache: 'no-store' });
      const body = res.ok ? await res.text() : '';
      if (res.ok && body.includes('#EXTM3U')) return play();
    } catch {
      // offline or not yet there
    }
    offline();
  }

  function watch() {
    lastTime = -1;
    lastAdvance = Date.now();
    clearInterval(watchTimer);
    watchTimer = setInterval(() => {
      if (video.currentTime !== lastTime) {
        lastTime = video.currentTime;
        lastAdvance = Date.now();
        if (!video.paused) setState('live');
      } else if (Date.now() - lastAdvance > STALL_MS) {
        offline(); // stuck: the stream ended or broke; look for it again
      }
    }, 1000);
  }

  function play() {
    teardown();
    setState('loading');
    const Hls = window.Hls;
    if (Hls && Hls.isSupported()) {
      hls = new Hls({ liveDurationInfinity: true, manifestLoadingMaxRetry: 2, levelLoadingMaxRetry: 4 });
      hls.on(Hls.Events.MANIFEST_PARSED, () => {
        video.play().catch(() => {});
      });
      hls.on(Hls.Events.ERROR, (_, data) => {
        if (!data.fatal) return;
        if (data.type === Hls.ErrorTypes.MEDIA_ERROR) {
          hls.recoverMediaError();
          return;
        }
        offline();
      });
      hls.loadSource(url);
      hls.attachMedia(video);
    } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
      video.src = url;
      video.play().catch(() => {});
    } else {
      setState('offline');
      return;
    }
    watch();
  }

  video.addEventListener('playing', () => setState('live'));
  video.addEventListener('ended', () => offline());
  video.addEventListener('error', () => {
    if (!hls) offline();
  });

  probe();
  return {
    get state() {
      return state;
    },
    retryNow() {
      if (state === 'offline') {
        clearTimeout(probeTimer);
        probe();
      }
    },
  };
}
