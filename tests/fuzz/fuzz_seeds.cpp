// The seeds: one list shared by the first parsers (frames, money, codes, names, command lines),
// and a list of its own for each parser added since, of what that parser really receives.
#include "tests/fuzz/fuzz_seeds.hpp"

#include "tests/fuzz/fuzz_targets.hpp"

namespace boai::fuzz {

namespace {

std::string args(std::initializer_list<std::string> parts) {
  std::string out;
  for (const auto& p : parts) {
    out += (out.empty() ? "" : std::string(1, '\0')) + p;  // arguments separated by NUL bytes
  }
  return out;
}

std::vector<std::string> shared_seeds() {
  return {"",
          "{}",
          R"({"type":"hello","room":"firstaid","last_seq":3})",
          R"({"type":"pledge.create","rid":"1","idempotency_key":"k-12345678","amount_fen":5000})",
          R"({"type":"chat.send","text":"大家好"})",
          "¥1,234.50",
          "100.5",
          "1234.50元",
          "RMB 20",
          "捐款 7KQ2MZ9D 张三",
          "张三丰",
          "Lily",
          "\xe5\xbc\xa0",
          "0001_foundation.sql",
          args({"serve", "--listen", "127.0.0.1:0"}),
          args({"pledge", "add", "--amount", "x"}),
          "\xff\xfe\xfd",
          "{\"type\":\"x\",\"rid\":[1,2]}",
          "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["};
}

std::vector<std::string> login_body_seeds() {
  return {R"({"name":"王站长","password":"a long password"})",
          R"({"name":"","password":""})",
          R"({"password":"only a password"})",
          R"({"name":1,"password":"x"})",
          R"({"name":"a\u0000b","password":"p\ud83d\ude00"})",
          R"({"name":"x","password":"y","extra":[1,{"z":null}]})",
          R"({"name":"\ud800","password":"lone surrogate"})",
          "[]",
          "null",
          ""};
}

std::vector<std::string> cookie_header_seeds() {
  return {"boai_session=Zm9vYmFyMTIzNDU2",
          "theme=dark; boai_session=abc123; lang=zh-CN",
          "  boai_session=spaced  ;x=1",
          "boai_session=",
          "boai_session_old=1; boai_session=2",
          "BOAI_SESSION=upper",
          "boai_session==equals=",
          ";;; ;",
          ""};
}

std::vector<std::string> room_presence_seeds() {
  return {"node-a firstaid 12",
          "node-b firstaid 0",
          "this-node firstaid 3",
          "n room with spaces 7",
          "n  3",
          "n room -1",
          "n room 18446744073709551616",
          " room 1",
          "n room ",
          "n\x01 r\xff 42"};
}

std::vector<std::string> room_notice_seeds() {
  return {"firstaid:1:1",
          "firstaid:12:40",
          "a:b:7:9",
          "x:0:0",
          "x:5:3",
          "firstaid:01:2",
          "r:9223372036854775807:9223372036854775807",
          "r:1:9223372036854775808",
          "::",
          ":1:2",
          "firstaid"};
}

std::vector<std::string> stored_password_hash_seeds() {
  return {"scrypt$16$1$1$AQIDBAUGBwgJCgsMDQ4PEA==$meNTH/H8L4HMvLyfLQ5omXiJDUcpfsU2M7aQ2/qf1RE=",
          "scrypt$2$1$1$Ym9haS1mdXp6LXNhbHQhIQ==$UAfL6Np8RBYuBcB62Qm2nMDU842VsmcnSj65amj3/0I=",
          "scrypt$32$2$1$ZGVmZ2hpams=$3VG691Zn/1a0+k0jPfeZ/TTI9rVQnEhwgZ/bwHE0Rmk=",
          "scrypt$16$1$1$AQIDBAUGBwgJCgsMDQ4PEA==$meNTH/H8L4HMvLyfLQ5omXiJDUcpfsU2M7aQ2/qf1RE",
          "scrypt$015$1$1$AQIDBAUGBwgJCgsMDQ4PEA==$",
          "scrypt$16$0$1$$",
          "scrypt$4294967296$1$1$AAAAAAAAAAA=$AAAA",
          "bcrypt$2b$10$abcdefghijklmnopqrstuv",
          "$$$$$",
          ""};
}

std::vector<std::string> paging_seeds() {
  return {"limit=50",
          "after_seq=100&limit=500",
          "limit=10&before=firstaid-20260311T091502Z.mkv",
          "before=first-aid-20260311T091502Z-2.mkv",
          "limit=-1&limit=5",
          "after_seq=99999999999999999999",
          "limit",
          "=&&=",
          "before=../x-20260101T000000Z.mkv",
          "x-20260311T0915Z.mkv",
          ""};
}

std::vector<std::string> source_seeds() {
  return {"test",
          "",
          "v4l2:/dev/video0",
          "v4l2:/dev/video0?audio=pulse:alsa_input.usb-mic",
          "v4l2:/dev/video2?audio=alsa:hw:1",
          "srt://:9000",
          "srt://0.0.0.0:9000?latency=200&passphrase=secret123",
          "srt://:9000?mode=caller",
          "srt://host:0",
          "rtmp://live.example.com/app/stream-key",
          "rtmps://live.example.com:443/app/key",
          "rtmp://h/app",
          "file:/srv/class.mp4",
          "file:///srv/first aid.mp4",
          "file:",
          "http://example.com/video"};
}

std::vector<std::string> push_url_seeds() {
  return {"rtmp://live.example.com/app/secret-stream-key",
          "rtmps://live-push.bilivideo.com:443/live-bvc/?streamname=live_1_2&key=abc",
          "rtmp://127.0.0.1:1935/live/k", "rtmp://h/app/", "rtmp:///app/key", "rtmp://h:0/app/key",
          "rtmp://h:99999/app/key", "rtmp://h_x/app/key", "rtmp://h/app/key with space",
          "http://example.com/app/key", "rtmp://",
          // Found by scripts/fuzz: keys the mask and the message's words spell themselves.
          "rtmp://h:99999rr\x83rrrrrrrr???pp/***",
          "rtrtmp://hp/:9k99e98/****\" is not valid: it mu", "rt with rtmp:// or rtmps://."};
}

// WeChat Pay: decrypted transactions (the target seals them) and whole envelopes.
std::vector<std::string> wechat_notice_seeds() {
  return {R"({"mchid":"1900000109","out_trade_no":"7KQ2MZ9D","transaction_id":"4200000001",)"
          R"("trade_state":"SUCCESS","success_time":"2024-06-01T10:00:00+08:00",)"
          R"("amount":{"total":100,"payer_total":100,"currency":"CNY"}})",
          R"({"mchid":"1900000109","out_trade_no":"A","transaction_id":"B","trade_state":"CLOSED",)"
          R"("amount":{"total":9223372036854775807}})",
          R"({"mchid":"1900000109","out_trade_no":"","transaction_id":"B",)"
          R"("trade_state":"SUCCESS","amount":{"total":1,"currency":"USD"}})",
          R"({"id":"EV-1","event_type":"TRANSACTION.SUCCESS","resource":{"original_type":)"
          R"("transaction","algorithm":"AEAD_AES_256_GCM","ciphertext":"AAAAAAAAAAAAAAAAAAAAAA==",)"
          R"("nonce":"r4nd0mN0nce1","associated_data":"transaction"}})",
          R"({"resource":{"algorithm":"AEAD_AES_256_GCM","ciphertext":"","nonce":""}})",
          "{}",
          ""};
}

std::vector<std::string> alipay_notice_seeds() {
  return {
      "app_id=2021000000000001&seller_id=2088102177846880&out_trade_no=7KQ2MZ9D&"
      "trade_no=2024060122001473030500000001&trade_status=TRADE_SUCCESS&total_amount=88.80&"
      "gmt_payment=2024-06-01+10%3A00%3A00&sign_type=RSA2&sign=AAAA",
      "app_id=2021000000000001&seller_id=2088102177846880&out_trade_no=A&trade_no=B&"
      "trade_status=WAIT_BUYER_PAY&total_amount=0.01&subject=%E7%88%B1%E5%BF%83",
      "total_amount=1%2C000.00&total_amount=-5&charset=GBK&sign=%zz", "a=&=b&&c", ""};
}

std::vector<std::string> generic_notice_seeds() {
  return {R"({"provider":"bank","transaction_id":"CMB-1","reference":"7KQ2MZ9D",)"
          R"("amount_fen":10000,"status":"paid","paid_at":"2024-06-01T10:00:00+08:00"})",
          R"({"transaction_id":"T","amount_fen":1,"status":"pending","remark":"捐款 7KQ2MZ9D"})",
          R"({"transaction_id":"T","amount_fen":18446744073709551615,"status":"paid"})",
          R"({"provider":"cash","transaction_id":"","amount_fen":-1})",
          "t=1717207200,v1=00ff",
          "t=,v1=",
          ""};
}

// Query answers: Alipay's gateway text and WeChat Pay's transaction.
std::vector<std::string> provider_answer_seeds() {
  return {R"({"alipay_trade_query_response":{"code":"10000","msg":"Success","out_trade_no":)"
          R"("7KQ2MZ9D","trade_no":"2026120522001","trade_status":"TRADE_SUCCESS",)"
          R"("total_amount":"88.80","send_pay_date":"2026-12-05 10:00:00"},"sign":"AAAA"})",
          R"({"alipay_trade_query_response":{"code":"10000","out_trade_no":"7KQ2MZ9D",)"
          R"("trade_status":"WAIT_BUYER_PAY","msg":"a \"}\" inside"},"sign":"x"})",
          R"({"appid":"wx1","mchid":"1900000109","out_trade_no":"7KQ2MZ9D","transaction_id":)"
          R"("4200000001","trade_state":"SUCCESS","success_time":"2026-12-05T10:00:00+08:00",)"
          R"("amount":{"total":8880,"payer_total":8880,"currency":"CNY"}})",
          R"({"mchid":"1900000109","out_trade_no":"7KQ2MZ9D","trade_state":"NOTPAY"})",
          "{}",
          ""};
}

}  // namespace

const std::vector<FuzzTarget>& fuzz_targets() {
  static const std::vector<FuzzTarget> kTargets = {
      {"client_frame", client_frame, shared_seeds()},
      {"money", money, shared_seeds()},
      {"reference_code", reference_code, shared_seeds()},
      {"text_rules", text_rules, shared_seeds()},
      {"migration_name", migration_name, shared_seeds()},
      {"command_line", command_line, shared_seeds()},
      {"login_body", login_body, login_body_seeds()},
      {"cookie_header", cookie_header, cookie_header_seeds()},
      {"room_presence", room_presence, room_presence_seeds()},
      {"room_notice", room_notice, room_notice_seeds()},
      {"stored_password_hash", stored_password_hash, stored_password_hash_seeds()},
      {"paging_query", paging_query, paging_seeds()},
      {"recording_name", recording_name, paging_seeds()},
      {"source", source, source_seeds()},
      {"push_url", push_url, push_url_seeds()},
      {"wechat_notice", wechat_notice, wechat_notice_seeds()},
      {"alipay_notice", alipay_notice, alipay_notice_seeds()},
      {"generic_notice", generic_notice, generic_notice_seeds()},
      {"provider_answer", provider_answer, provider_answer_seeds()},
      {"wechat_bill", wechat_bill, wechat_bill_seeds()},
      {"alipay_bill", alipay_bill, alipay_bill_seeds()},
      {"bank_statement", bank_statement, bank_statement_seeds()},
      {"published_checkpoints", published_checkpoints, checkpoint_seeds()},
      {"local_checkpoint", local_checkpoint, checkpoint_seeds()},
      {"copy_row", copy_row, copy_row_seeds()}};
  return kTargets;
}

}  // namespace boai::fuzz
