// The live video: hls.js where the browser supports it (window.Hls from /vendor/hls.min.js), the
// browser's own HLS elsewhere (Safari, WeChat). Low-Latency HLS (/ll/, about 1.5 s behind the
// camera) unless the page asks for classic HLS (?hls=classic) or low latency fails once, then the
// classic playlists (/hls/, three segments behind). While the stream is not there it asks for the
// playlist every few seconds and starts playing by itself when it returns.

const PROBE_MS = 3000;
const STALL_MS = 15000;

// Behind its target (the part hold-back, 1 s) hls.js plays up to this much faster; more than
// JUMP_BEHIND_S past the target (a phone that slept, a stall), the page jumps to the live edge.
// (hls.js's own jump setting would also replace the server's hold-back with its own.)
const CATCH_UP_RATE = 1.5;
const JUMP_BEHIND_S = 3;

// urls: { ll, classic } master playlists; onState('live' | 'offline' | 'loading')
export function startLivePlayer(video, urls, onState, { lowLatency = true } = {}) {
  let mode = lowLatency && urls.ll ? 'll' : 'classic';
  let hls = null;
  let probeTimer = null;
  let watchTimer = null;
  let lastTime = -1;
  let lastAdvance = 0;
  let state = '';
  let stopped = false;

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
    if (stopped) return;
    teardown();
    setState('offline');
    clearTimeout(probeTimer);
    probeTimer = setTimeout(probe, PROBE_MS);
  };

  async function playlistThere(address) {
    const res = await fetch(address, { cache: 'no-store' });
    const body = res.ok ? await res.text() : '';
    return res.ok && body.includes('#EXTM3U');
  }

  // Is the playlist there? Only then hand it to a player. A server that serves no low-latency
  // playlists (an old node, a proxy that does not pass /ll/) gets classic HLS.
  async function probe() {
    probeTimer = null;
    try {
      if (await playlistThere(urls.classic)) {
        if (mode === 'll' && !(await playlistThere(urls.ll))) mode = 'classic';
        return play();
      }
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
      if (hls && hls.latency > hls.targetLatency + JUMP_BEHIND_S && hls.liveSyncPosition) {
        video.currentTime = hls.liveSyncPosition;
      }
      if (video.currentTime !== lastTime) {
        lastTime = video.currentTime;
        lastAdvance = Date.now();
        if (!video.paused) setState('live');
      } else if (Date.now() - lastAdvance > STALL_MS) {
        offline(); // stuck: the stream ended or broke; look for it again
      }
    }, 1000);
  }

  // Low latency failed: classic HLS from now on, for this page.
  function fallBack() {
    if (mode !== 'll') return false;
    mode = 'classic';
    play();
    return true;
  }

  function play() {
    if (stopped) return;
    teardown();
    setState('loading');
    const Hls = window.Hls;
    const source = mode === 'll' ? urls.ll : urls.classic;
    if (Hls && Hls.isSupported()) {
      hls = new Hls({
        liveDurationInfinity: true,
        manifestLoadingMaxRetry: 2,
        levelLoadingMaxRetry: 4,
        lowLatencyMode: mode === 'll',
        maxLiveSyncPlaybackRate: mode === 'll' ? CATCH_UP_RATE : 1,
      });
      hls.on(Hls.Events.MANIFEST_PARSED, () => {
        video.play().catch(() => {});
      });
      hls.on(Hls.Events.ERROR, (_, data) => {
        if (!data.fatal) return;
        if (data.type === Hls.ErrorTypes.MEDIA_ERROR) {
          hls.recoverMediaError();
          return;
        }
        // A playlist gone is the stream gone (the probe looks again); anything else in low
        // latency mode is low latency failing.
        if (data.type === Hls.ErrorTypes.NETWORK_ERROR || !fallBack()) offline();
      });
      hls.loadSource(source);
      hls.attachMedia(video);
    } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
      video.src = source;
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
    if (hls) return;
    // The browser's own player: a playlist or part it cannot play is low latency failing.
    const code = video.error ? video.error.code : 0;
    const unplayable = code === 3 || code === 4; // MEDIA_ERR_DECODE, MEDIA_ERR_SRC_NOT_SUPPORTED
    if (!(unplayable && fallBack())) offline();
  });

  probe();
  return {
    get state() {
      return state;
    },
    get mode() {
      return mode;
    },
    // Seconds from the packager's clock (EXT-X-PROGRAM-DATE-TIME) to the picture on screen; from
    // the live edge where the playlist has no dates; null before playback.
    delaySeconds() {
      if (state !== 'live') return null;
      if (hls && hls.playingDate) return (Date.now() - hls.playingDate.getTime()) / 1000;
      if (hls && Number.isFinite(hls.latency)) return hls.latency;
      const start = video.getStartDate ? video.getStartDate().getTime() : NaN;
      return Number.isFinite(start) ? (Date.now() - start) / 1000 - video.currentTime : null;
    },
    // Lets go of the stream for good (the host console's viewer window closing).
    stop() {
      stopped = true;
      clearTimeout(probeTimer);
      probeTimer = null;
      teardown();
    },
    retryNow() {
      if (state === 'offline') {
        clearTimeout(probeTimer);
        probe();
      }
    },
  };
}
