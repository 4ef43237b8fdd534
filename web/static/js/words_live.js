// The live room's newer words (staff badges in the chat, hiding a donor's name, the console's
// viewer picture) and error codes in zh-CN and English;
// i18n.js merges them into the pages' words.

export const LIVE_WORDS = {
  'zh-CN': {
    'chat.badge_host': '主持',
    'chat.badge_staff': '工作人员',
    'host.hide_donation': '隐藏署名',
    'host.watch': '观众画面',
    'host.watch.stop': '关闭观众画面',
    'host.watch.waiting': '正在连接直播…',
    'host.watch.delay': '观众看到的画面约晚 {seconds} 秒（{mode}）',
    'host.watch.ll': '低延迟',
    'host.watch.classic': '标准 HLS',
  },
  en: {
    'chat.badge_host': 'Host',
    'chat.badge_staff': 'Staff',
    'host.hide_donation': 'Hide name',
    'host.watch': 'Viewer\'s picture',
    'host.watch.stop': 'Close the viewer\'s picture',
    'host.watch.waiting': 'Connecting to the stream…',
    'host.watch.delay': 'Viewers see this about {seconds} s late ({mode})',
    'host.watch.ll': 'low latency',
    'host.watch.classic': 'classic HLS',
  },
};

export const LIVE_ERRORS = {
  'zh-CN': {
    nickname_reserved: '这个昵称留给工作人员使用，请换一个',
    too_deep: '请求的格式不正确',
    pledge_not_found: '找不到这笔认捐',
    busy: '服务器正忙，请稍后再试',
  },
  en: {
    nickname_reserved: 'That nickname is kept for the station\'s staff: choose another',
    too_deep: 'The request was malformed',
    pledge_not_found: 'No such pledge',
    busy: 'The server is busy: try again in a moment',
  },
};
