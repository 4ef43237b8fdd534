// The pages' words in zh-CN and English, the switch in localStorage, and error codes in words.
import { WISH_WORDS, WISH_ERRORS } from './words_wishes.js';
import { SALE_WORDS, SALE_ERRORS } from './words_sales.js';
import { DESK_WORDS, DESK_ERRORS } from './words_finance.js';
import { PERIOD_WORDS, PERIOD_ERRORS } from './words_periods.js';
import { LEDGER_WORDS, LEDGER_ERRORS } from './words_ledger.js';
import { PAY_WORDS, PAY_ERRORS } from './words_pay.js';
import { REPLAY_WORDS } from './words_replays.js';
import { LIVE_WORDS, LIVE_ERRORS } from './words_live.js';

const WORDS = {
  'zh-CN': {
    'app.name': '博爱直播',
    'lang.switch': 'English',
    'live.badge': '直播中',
    'live.offline': '直播暂未开始或信号中断',
    'live.offline_hint': '恢复后会自动播放，请稍候…',
    'live.unmute': '点击开启声音',
    'live.viewers': '{n} 人在看',
    'live.connecting': '正在连接…',
    'live.reconnecting': '网络中断，正在重新连接…',
    'room.none': '现在没有正在直播的房间',
    'room.pick': '选择一个直播间',
    'room.not_found': '找不到这个直播间',
    'room.status.live': '直播中',
    'room.status.draft': '未开始',
    'room.status.closed': '已结束',
    'goal.pledged': '已认捐',
    'goal.received': '已到账',
    'goal.target': '目标',
    'goal.count': '{n} 笔爱心',
    'tab.chat': '聊天',
    'tab.donate': '捐款',
    'chat.nickname': '昵称',
    'chat.nickname_placeholder': '起个昵称',
    'chat.nickname_save': '确定',
    'chat.nickname_change': '改昵称',
    'chat.placeholder': '说点什么…',
    'chat.send': '发送',
    'chat.empty': '还没有人发言，来说第一句吧',
    'chat.removed_note': '一条消息已被主持人移除',
    'chat.cleared': '主持人清空了聊天记录',
    'chat.slow_mode': '慢速模式：每 {n} 秒可发一条',
    'chat.you_are': '你的昵称：',
    'chat.donated': '捐赠',
    'donate.title': '为本场公益捐款',
    'donate.amount': '金额',
    'donate.custom': '其他金额',
    'donate.custom_placeholder': '输入金额（元）',
    'donate.fund': '捐给',
    'donate.name': '署名',
    'donate.name_placeholder': '您的名字（公开时只显示姓）',
    'donate.anonymous': '匿名（显示为“爱心人士”）',
    'donate.message': '留言',
    'donate.message_placeholder': '写一句祝福（可不填）',
    'donate.submit': '认捐 {amount}',
    'donate.submit_none': '请选择金额',
    'donate.sending': '正在提交…',
    'donate.bad_amount': '请输入正确的金额，例如 100 或 100.50',
    'donate.thanks': '感谢您的爱心！认捐已登记',
    'donate.reference': '认捐编号',
    'donate.how_to_pay': '如何付款',
    'donate.pay_account': '收款账户',
    'donate.pay_remark': '付款时请在备注中填写认捐编号：',
    'donate.pay_qr': '扫码付款',
    'donate.copy': '复制编号',
    'donate.copied': '已复制',
    'donate.again': '再捐一笔',
    'donate.amount_label': '金额',
    'donate.latest': '最新爱心',
    'donate.none_yet': '还没有捐款，成为第一位爱心人士吧',
    'donate.closed': '本场募捐已结束',
    'footer.certificate': '登记证书',
    'footer.credit_code': '统一社会信用代码',
    'footer.note': '善款收支公开，接受社会监督',
    'host.title': '主播控制台',
    'host.signin': '工作人员登录',
    'host.name': '用户名',
    'host.password': '密码',
    'host.signin_button': '登录',
    'host.signout': '退出登录',
    'host.signed_in_as': '{name}（{role}）',
    'host.room': '直播间',
    'host.connection.open': '已连接',
    'host.connection.closed': '连接中断，正在重连…',
    'host.broadcast': '直播',
    'host.go_live': '开始直播',
    'host.stop': '结束直播',
    'host.stop_confirm': '确定结束本场直播吗？',
    'host.state.live': '直播中',
    'host.state.off': '未开播',
    'host.preview': '画面预览',
    'host.preview_none': '暂无画面',
    'host.scene': '场景',
    'host.scene.camera': '摄像头',
    'host.scene.slides': '课件',
    'host.scene.slate': '等待画面',
    'host.slide_prev': '上一页',
    'host.slide_next': '下一页',
    'host.slide_index': '第 {i} / {n} 页',
    'host.source': '视频源',
    'host.source_apply': '切换',
    'host.lower_third': '字幕条',
    'host.lt_name': '姓名',
    'host.lt_role': '身份',
    'host.show': '显示',
    'host.hide': '隐藏',
    'host.feature': '推荐卡片（红心愿 / 爱心特卖）',
    'host.feature_title': '标题',
    'host.feature_subtitle': '说明',
    'host.feature_amount': '金额（元，可不填）',
    'host.qr': '捐款二维码',
    'host.qr_show': '显示二维码',
    'host.qr_hide': '隐藏二维码',
    'host.health': '推流状态',
    'host.health.fps': '帧率',
    'host.health.frames': '总帧数',
    'host.health.dropped': '丢帧',
    'host.health.on_air': '正在播出',
    'host.health.renditions': '码率',
    'host.health.inputs': '输入',
    'host.health.outputs': '输出',
    'host.health.none': '还没有收到状态',
    'host.health.last_error': '最近错误',
    'host.health.bitrate': '码率',
    'host.health.queue': '排队帧',
    'host.health.source': '来源',
    'host.health.state': '状态',
    'host.health.target': '目标',
    'host.health.retries': '重试',
    'host.events': '直播事件',
    'host.chat': '聊天管理',
    'host.delete': '删除',
    'host.mute': '禁言',
    'host.ban': '封禁',
    'host.ban_confirm': '确定封禁“{name}”吗？',
    'host.slow': '慢速模式',
    'host.slow_off': '关闭',
    'host.slow_apply': '设置',
    'host.clear': '清空聊天',
    'host.clear_confirm': '确定清空全部聊天消息吗？',
    'host.blocked_words': '屏蔽词（用逗号分隔）',
    'host.blocked_apply': '保存',
    'host.pledges': '认捐动态',
    'host.push': '第三方推流（视频号、B站、抖音）',
    'host.push_url': 'RTMP 地址（含推流码）',
    'host.push_add': '添加',
    'host.push_remove': '移除',
    'host.push_none': '没有推流目标',
    'host.done': '已完成',
    'host.need_host': '此账号没有主播或财务权限',
    'host.no_studio': '这台服务器没有运行演播室，只能管理聊天',
    'error.prefix': '操作失败：',
  },
  en: {
    'app.name': 'Boai Live',
    'lang.switch': '中文',
    'live.badge': 'LIVE',
    'live.offline': 'The stream has not started or is interrupted',
    'live.offline_hint': 'It will play by itself when it is back…',
    'live.unmute': 'Tap for sound',
    'live.viewers': '{n} watching',
    'live.connecting': 'Connecting…',
    'live.reconnecting': 'Connection lost, reconnecting…',
    'room.none': 'No room is live right now',
    'room.pick': 'Pick a live room',
    'room.not_found': 'This live room does not exist',
    'room.status.live': 'live',
    'room.status.draft': 'not started',
    'room.status.closed': 'ended',
    'goal.pledged': 'Pledged',
    'goal.received': 'Received',
    'goal.target': 'Goal',
    'goal.count': 'Pledges: {n}',
    'tab.chat': 'Chat',
    'tab.donate': 'Donate',
    'chat.nickname': 'Nickname',
    'chat.nickname_placeholder': 'Pick a nickname',
    'chat.nickname_save': 'OK',
    'chat.nickname_change': 'Rename',
    'chat.placeholder': 'Say something…',
    'chat.send': 'Send',
    'chat.empty': 'Nobody has spoken yet: say the first word',
    'chat.removed_note': 'A message was removed by the host',
    'chat.cleared': 'The host cleared the chat',
    'chat.slow_mode': 'Slow mode: one message every {n} s',
    'chat.you_are': 'You are: ',
    'chat.donated': 'gave',
    'donate.title': 'Give to this campaign',
    'donate.amount': 'Amount',
    'donate.custom': 'Other',
    'donate.custom_placeholder': 'Amount in yuan',
    'donate.fund': 'Fund',
    'donate.name': 'Name',
    'donate.name_placeholder': 'Your name (only the first letter is shown)',
    'donate.anonymous': 'Anonymous (shown as 爱心人士)',
    'donate.message': 'Message',
    'donate.message_placeholder': 'A few kind words (optional)',
    'donate.submit': 'Pledge {amount}',
    'donate.submit_none': 'Choose an amount',
    'donate.sending': 'Sending…',
    'donate.bad_amount': 'Enter an amount such as 100 or 100.50',
    'donate.thanks': 'Thank you! Your pledge is recorded',
    'donate.reference': 'Reference',
    'donate.how_to_pay': 'How to pay',
    'donate.pay_account': 'Account',
    'donate.pay_remark': 'Put the reference in the payment remark:',
    'donate.pay_qr': 'Scan to pay',
    'donate.copy': 'Copy reference',
    'donate.copied': 'Copied',
    'donate.again': 'Give again',
    'donate.amount_label': 'Amount',
    'donate.latest': 'Latest gifts',
    'donate.none_yet': 'No gifts yet: be the first',
    'donate.closed': 'This campaign is closed',
    'footer.certificate': 'Registration certificate',
    'footer.credit_code': 'Unified social credit code',
    'footer.note': 'Every yuan received and spent is published',
    'host.title': 'Host console',
    'host.signin': 'Staff sign-in',
    'host.name': 'Name',
    'host.password': 'Password',
    'host.signin_button': 'Sign in',
    'host.signout': 'Sign out',
    'host.signed_in_as': '{name} ({role})',
    'host.room': 'Room',
    'host.connection.open': 'Connected',
    'host.connection.closed': 'Disconnected, reconnecting…',
    'host.broadcast': 'Broadcast',
    'host.go_live': 'Go live',
    'host.stop': 'Stop',
    'host.stop_confirm': 'End this broadcast?',
    'host.state.live': 'LIVE',
    'host.state.off': 'Off air',
    'host.preview': 'Preview',
    'host.preview_none': 'No picture yet',
    'host.scene': 'Scene',
    'host.scene.camera': 'Camera',
    'host.scene.slides': 'Slides',
    'host.scene.slate': 'Slate',
    'host.slide_prev': 'Previous',
    'host.slide_next': 'Next',
    'host.slide_index': 'Slide {i} of {n}',
    'host.source': 'Video source',
    'host.source_apply': 'Switch',
    'host.lower_third': 'Lower third',
    'host.lt_name': 'Name',
    'host.lt_role': 'Role',
    'host.show': 'Show',
    'host.hide': 'Hide',
    'host.feature': 'Featured card (wish / charity sale)',
    'host.feature_title': 'Title',
    'host.feature_subtitle': 'Subtitle',
    'host.feature_amount': 'Amount in yuan (optional)',
    'host.qr': 'Donation QR code',
    'host.qr_show': 'Show QR',
    'host.qr_hide': 'Hide QR',
    'host.health': 'Stream health',
    'host.health.fps': 'fps',
    'host.health.frames': 'frames',
    'host.health.dropped': 'dropped',
    'host.health.on_air': 'on air',
    'host.health.renditions': 'Bitrates',
    'host.health.inputs': 'Inputs',
    'host.health.outputs': 'Outputs',
    'host.health.none': 'No health report yet',
    'host.health.last_error': 'last error',
    'host.health.bitrate': 'bitrate',
    'host.health.queue': 'queued',
    'host.health.source': 'source',
    'host.health.state': 'state',
    'host.health.target': 'target',
    'host.health.retries': 'retries',
    'host.events': 'Studio events',
    'host.chat': 'Chat moderation',
    'host.delete': 'Delete',
    'host.mute': 'Mute',
    'host.ban': 'Ban',
    'host.ban_confirm': 'Ban “{name}”?',
    'host.slow': 'Slow mode',
    'host.slow_off': 'off',
    'host.slow_apply': 'Set',
    'host.clear': 'Clear chat',
    'host.clear_confirm': 'Remove every chat message?',
    'host.blocked_words': 'Blocked words (comma separated)',
    'host.blocked_apply': 'Save',
    'host.pledges': 'Pledges',
    'host.push': 'Push targets (WeChat Channels, Bilibili, Douyin)',
    'host.push_url': 'RTMP URL with stream key',
    'host.push_add': 'Add',
    'host.push_remove': 'Remove',
    'host.push_none': 'No push targets',
    'host.done': 'Done',
    'host.need_host': 'This account has no host or finance role',
    'host.no_studio': 'No studio runs on this server: chat moderation only',
    'error.prefix': 'Failed: ',
  },
};

// Error codes from web/PROTOCOL.md and the HTTP API, in words.
const ERRORS = {
  'zh-CN': {
    rate_limited: '发送太快了，请稍等一会儿再试',
    blocked_word: '消息含有不允许的词语，未发送',
    muted: '你已被主持人禁言，暂时不能发言',
    slow_mode: '慢速模式已开启，请稍后再发',
    too_long: '内容太长了，请删减一些',
    banned: '你已被移出本直播间',
    not_in_room: '还没有进入直播间，请稍候',
    bad_request: '请求的内容不正确',
    bad_json: '请求的格式不正确',
    unknown_type: '服务器不认识这个请求',
    room_not_found: '找不到这个直播间',
    not_allowed: '没有权限执行这个操作',
    amount_out_of_range: '金额需在 ¥1 到 ¥50,000 之间',
    text_invalid: '文字里有不能使用的字符',
    fund_not_found: '找不到所选的项目',
    campaign_closed: '本场募捐已结束',
    campaign_not_open: '本场募捐还没有开始',
    idempotency_key_invalid: '提交编号无效，请刷新页面重试',
    idempotency_key_reused: '这笔认捐已提交过，请刷新后重新填写',
    db_unavailable: '服务器暂时繁忙，尚未记录，请再点一次',
    studio_unavailable: '这台服务器上没有运行演播室',
    already_live: '已经在直播了',
    not_live: '还没有开始直播',
    source_invalid: '视频源地址不正确',
    push_url_invalid: '推流地址不正确（需 rtmp:// 或 rtmps://）',
    push_not_found: '找不到这个推流目标',
    slides_empty: '没有课件可以翻页',
    slide_out_of_range: '已经是第一页或最后一页了',
    scene_invalid: '没有这个场景',
    login_failed: '用户名或密码不正确',
    login_throttled: '尝试次数太多，请 15 分钟后再试',
    not_signed_in: '请先登录',
    too_large: '内容太大了',
    disconnected: '网络中断，未能送达，请重试',
    timeout: '服务器没有及时回应，请重试',
    network: '网络连接失败，请检查网络',
  },
  en: {
    rate_limited: 'Too fast: wait a moment and try again',
    blocked_word: 'The message contains a blocked word and was not sent',
    muted: 'The host muted you for a while',
    slow_mode: 'Slow mode is on: wait a little before the next message',
    too_long: 'Too long: please shorten it',
    banned: 'You were removed from this room',
    not_in_room: 'Not in the room yet, one moment',
    bad_request: 'The request was not right',
    bad_json: 'The request was malformed',
    unknown_type: 'The server does not know this request',
    room_not_found: 'This live room does not exist',
    not_allowed: 'You are not allowed to do this',
    amount_out_of_range: 'An amount is ¥1 to ¥50,000',
    text_invalid: 'The text has characters that cannot be used',
    fund_not_found: 'The chosen fund does not exist',
    campaign_closed: 'This campaign is closed',
    campaign_not_open: 'This campaign has not opened yet',
    idempotency_key_invalid: 'Invalid submission id: reload the page',
    idempotency_key_reused: 'This pledge was sent already: reload and fill it in again',
    db_unavailable: 'The server is busy and did not record it: press again',
    studio_unavailable: 'No studio runs on this server',
    already_live: 'Already live',
    not_live: 'Not live',
    source_invalid: 'The video source is not valid',
    push_url_invalid: 'The push URL is not valid (rtmp:// or rtmps://)',
    push_not_found: 'No such push target',
    slides_empty: 'There are no slides',
    slide_out_of_range: 'That is the first or the last slide',
    scene_invalid: 'No such scene',
    login_failed: 'Wrong name or password',
    login_throttled: 'Too many attempts: try again in 15 minutes',
    not_signed_in: 'Please sign in',
    too_large: 'Too large',
    disconnected: 'The connection dropped before it arrived: try again',
    timeout: 'The server did not answer in time: try again',
    network: 'Network error: check the connection',
  },
};

for (const lang of ['zh-CN', 'en']) {
  Object.assign(WORDS[lang], WISH_WORDS[lang], SALE_WORDS[lang], DESK_WORDS[lang], PERIOD_WORDS[lang],
    LEDGER_WORDS[lang], PAY_WORDS[lang], REPLAY_WORDS[lang], LIVE_WORDS[lang]);
  Object.assign(ERRORS[lang], WISH_ERRORS[lang], SALE_ERRORS[lang], DESK_ERRORS[lang],
    PERIOD_ERRORS[lang], LEDGER_ERRORS[lang], PAY_ERRORS[lang], LIVE_ERRORS[lang]);
}

const KEY = 'boai.lang';
let current = 'zh-CN';
try {
  if (localStorage.getItem(KEY) === 'en') current = 'en';
} catch {
  // storage off (private mode): stay in Chinese
}

export function lang() {
  return current;
}

export function setLang(next) {
  current = next === 'en' ? 'en' : 'zh-CN';
  try {
    localStorage.setItem(KEY, current);
  } catch {
    // not kept, fine
  }
  document.documentElement.lang = current;
  applyWords(document);
  document.dispatchEvent(new CustomEvent('boai:lang'));
}

// t('live.viewers', {n: 3}) -> "3 人在看"
export function t(key, vars = {}) {
  const s = WORDS[current][key] ?? WORDS['zh-CN'][key] ?? key;
  return s.replace(/\{(\w+)\}/g, (_, k) => (k in vars ? String(vars[k]) : `{${k}}`));
}

// An error from the server (or the client) in words; the server's own sentence when the code is
// one we do not know.
export function errorText(error) {
  const code = error?.code ?? 'network';
  return ERRORS[current][code] ?? error?.message ?? code;
}

// For staff: the words and the server's sentence that names the input or output.
export function errorDetail(error) {
  const words = errorText(error);
  const msg = error?.message;
  return msg && msg !== words ? `${words}（${msg}）` : words;
}

// Fills every [data-i18n] with its words (textContent) and [data-i18n-placeholder] placeholders.
export function applyWords(root) {
  document.documentElement.lang = current;
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) {
    el.placeholder = t(el.dataset.i18nPlaceholder);
  }
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
}

// A button that switches between the two languages.
export function wireLangSwitch(button) {
  const label = () => (button.textContent = t('lang.switch'));
  label();
  button.addEventListener('click', () => {
    setLang(current === 'en' ? 'zh-CN' : 'en');
    label();
  });
}
