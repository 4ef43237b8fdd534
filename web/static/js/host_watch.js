// 观众画面: the host console plays the room's stream as a viewer's phone does (low-latency HLS,
// classic HLS where that fails) and shows how far behind the camera it runs, so the host knows
// how late a thank-you on air reaches the donor. Off until asked for: it costs a viewer's bandwidth.
import { $ } from './dom.js';
import { t } from './i18n.js';
import { startLivePlayer } from './player.js';

let player = null;
let timer = null;

function showDelay() {
  const line = $('#watch-delay');
  const seconds = player?.delaySeconds();
  line.textContent = seconds == null
    ? t('host.watch.waiting')
    : t('host.watch.delay', { seconds: seconds.toFixed(1), mode: t(`host.watch.${player.mode}`) });
  line.dataset.seconds = seconds == null ? '' : seconds.toFixed(2);
  line.dataset.mode = player?.mode ?? '';
}

export function watchRoom(room) {
  const video = $('#watch');
  const button = $('#watch-toggle');
  button.onclick = () => {
    const on = video.hidden;
    video.hidden = !on;
    $('#watch-delay').hidden = !on;
    button.textContent = t(on ? 'host.watch.stop' : 'host.watch');
    clearInterval(timer);
    if (player) {
      player.stop();
      player = null;
    }
    if (!on) return;
    const name = encodeURIComponent(room);
    player = startLivePlayer(video, { ll: `/ll/${name}/master.m3u8`, classic: `/hls/${name}/master.m3u8` }, showDelay);
    timer = setInterval(showDelay, 1000);
  };
}
