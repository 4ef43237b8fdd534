// The command line: commands, flags, environment variables and their precedence.
#include "app/options.hpp"

#include <catch2/catch.hpp>

using namespace boai::app;

TEST_CASE("defaults") {
  auto inv = parse_command_line({"serve"}, {});
  REQUIRE(inv);
  CHECK(inv->command == Command::kServe);
  CHECK(inv->options.listen_host == "127.0.0.1");
  CHECK(inv->options.listen_port == 8080);
  CHECK(inv->options.data_dir == "./var");
  CHECK_FALSE(inv->options.database_url);
}

TEST_CASE("flags in both spellings") {
  auto inv = parse_command_line(
      {"serve", "--listen", "0.0.0.0:0", "--data-dir=/srv/boai", "--database-url", "dbname=x"}, {});
  REQUIRE(inv);
  CHECK(inv->options.listen_host == "0.0.0.0");
  CHECK(inv->options.listen_port == 0);
  CHECK(inv->options.data_dir == "/srv/boai");
  CHECK(inv->options.database_url == "dbname=x");
}

TEST_CASE("flags beat the environment, which beats the defaults") {
  Environment env = {{"BOAI_LISTEN", "127.0.0.1:9000"}, {"BOAI_DATA_DIR", "/env/dir"}};
  auto from_env = parse_command_line({"serve"}, env);
  REQUIRE(from_env);
  CHECK(from_env->options.listen_port == 9000);
  CHECK(from_env->options.data_dir == "/env/dir");
  auto from_flag = parse_command_line({"serve", "--data-dir", "/flag/dir"}, env);
  REQUIRE(from_flag);
  CHECK(from_flag->options.data_dir == "/flag/dir");
  CHECK(from_flag->options.listen_port == 9000);
}

TEST_CASE("bad command lines are usage errors") {
  for (auto args : std::vector<std::vector<std::string>>{{"nope"},
                                                         {"serve", "--bogus"},
                                                         {"serve", "--listen"},
                                                         {"serve", "--listen", "8080"},
                                                         {"serve", "--listen", "h:99999"},
                                                         {"serve", "--listen", "h:12x"}}) {
    INFO(args.back());
    CHECK_FALSE(parse_command_line(args, {}));
  }
  auto bad_env = parse_command_line({"serve"}, {{"BOAI_LISTEN", "nonsense"}});
  REQUIRE_FALSE(bad_env);
  CHECK(bad_env.error().message.find("BOAI_LISTEN") != std::string::npos);
}

TEST_CASE("help and version") {
  CHECK(parse_command_line({}, {})->command == Command::kHelp);
  CHECK(parse_command_line({"--help"}, {})->command == Command::kHelp);
  CHECK(parse_command_line({"serve", "--help"}, {})->command == Command::kHelp);
  CHECK(parse_command_line({"--version"}, {})->command == Command::kVersion);
}

TEST_CASE("payment notice flags: certificates as a list, the skew in whole seconds") {
  Environment env = {{"BOAI_ALIPAY_APP_ID", "2021000000000001"},
                     {"BOAI_PAY_NOTIFY_HMAC_KEY_FILE", "/etc/boai/hmac.key"}};
  auto inv = parse_command_line(
      {"serve", "--wechatpay-mchid", "1900000109", "--wechatpay-platform-cert", "a.pem,b.pem",
       "--wechatpay-apiv3-key-file", "/etc/boai/apiv3.key", "--pay-notify-max-skew", "60"},
      env);
  REQUIRE(inv);
  const auto& n = inv->options.pay_notices;
  CHECK(n.wechat_mchid == "1900000109");
  CHECK(n.wechat_platform_certs == std::vector<std::string>{"a.pem", "b.pem"});
  CHECK(n.wechat_apiv3_key_file == "/etc/boai/apiv3.key");
  CHECK(n.max_skew_seconds == 60);
  CHECK(n.alipay_app_id == "2021000000000001");
  CHECK(n.hmac_key_file == "/etc/boai/hmac.key");
  for (const char* skew : {"0", "-5", "1.5", "86401", "x"}) {
    INFO(skew);
    CHECK_FALSE(parse_command_line({"serve", "--pay-notify-max-skew", skew}, {}));
  }
  auto show = parse_command_line({"pledge", "show", "7KQ2MZ9D"}, {});
  REQUIRE(show);
  CHECK(show->command == Command::kPledgeShow);
  CHECK(show->positional == std::vector<std::string>{"7KQ2MZ9D"});
}
