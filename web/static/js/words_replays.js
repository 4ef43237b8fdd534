// The replay library's words (replays.js) in zh-CN and English; i18n.js merges them into the
// pages' words.

export const REPLAY_WORDS = {
  'zh-CN': {
    'tab.replays': '往期回放',
    'replays.title': '急救知识课堂 · 往期回放',
    'replays.empty': '还没有回放',
    'replays.play': '播放',
    'replays.more': '更多',
  },
  en: {
    'tab.replays': 'Past classes',
    'replays.title': 'First-aid classes · past broadcasts',
    'replays.empty': 'No recordings yet',
    'replays.play': 'Play',
    'replays.more': 'More',
  },
};
