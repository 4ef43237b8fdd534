// The one-tap payment's words (pay_online.js) in zh-CN and English, and its error codes
// (web/PROTOCOL.md, "Paying online"); i18n.js merges them into the pages' words.

export const PAY_WORDS = {
  'zh-CN': {
    'pay.online': '在线支付',
    'pay.wechat': '微信支付',
    'pay.alipay': '支付宝',
    'pay.scan_wechat': '请用微信扫码支付',
    'pay.scan_alipay': '请用支付宝扫码支付',
    'pay.opening': '正在打开支付…',
    'pay.waiting': '支付完成后本页会自动显示结果',
    'pay.success': '支付成功，感谢您的爱心！',
    'pay.or_bank': '也可以银行转账（备注认捐编号）：',
  },
  en: {
    'pay.online': 'Pay online',
    'pay.wechat': 'WeChat Pay',
    'pay.alipay': 'Alipay',
    'pay.scan_wechat': 'Scan with WeChat to pay',
    'pay.scan_alipay': 'Scan with Alipay to pay',
    'pay.opening': 'Opening the payment…',
    'pay.waiting': 'This page shows the result once you have paid',
    'pay.success': 'Paid. Thank you!',
    'pay.or_bank': 'Or pay by bank transfer (with the reference in the remark):',
  },
};

export const PAY_ERRORS = {
  'zh-CN': {
    provider_refused: '支付平台暂时无法下单，请稍后再试或使用银行转账',
    provider_unreachable: '支付平台暂时无法连接，请稍后再试或使用银行转账',
    response_signature_invalid: '支付平台的应答未通过验证，请使用银行转账',
    method_not_configured: '本站未开通这种支付方式',
  },
  en: {
    provider_refused: 'The payment provider refused the order: try again later or pay by bank',
    provider_unreachable: 'The payment provider cannot be reached: try again later or pay by bank',
    response_signature_invalid: "The provider's answer failed its check: pay by bank transfer",
    method_not_configured: 'This station does not take that kind of payment',
  },
};
