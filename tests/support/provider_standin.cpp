// Starting the stand-in: node with a pipe on its standard input (closing it ends the stand-in)
// and one on its standard output, where it prints its port.
#include "tests/support/provider_standin.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "payorders/http_client.hpp"

extern char** environ;

namespace boai::test {

namespace {

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) {
    throw std::runtime_error("cannot write " + path);
  }
}

std::string make_dir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "boai-standin-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("mkdtemp failed");
  }
  return pattern;
}

}  // namespace

ProviderStandin::ProviderStandin()
    : merchant(make_test_key("5157F09EFDC096DE15EBE81A47057A7232F1B8E1")),
      platform(make_test_key("1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C")),
      app(make_test_key("01")),
      alipay(make_test_key("02")),
      wrong(make_test_key("03")),
      dir_(make_dir()) {
  nlohmann::json config = {{"port", 0},
                           {"wrong_private_key_pem", wrong.private_pem},
                           {"wechat",
                            {{"mchid", mchid},
                             {"appid", appid},
                             {"app_secret", app_secret},
                             {"merchant_serial", merchant.serial},
                             {"merchant_public_key_pem", merchant.public_pem},
                             {"platform_private_key_pem", platform.private_pem},
                             {"platform_serial", platform.serial},
                             {"apiv3_key", apiv3_key}}},
                           {"alipay",
                            {{"app_id", alipay_app_id},
                             {"seller_id", alipay_seller_id},
                             {"app_public_key_pem", app.public_pem},
                             {"alipay_private_key_pem", alipay.private_pem},
                             {"alipay_public_key_pem", alipay.public_pem}}},
                           {"oauth_codes", {{"code-of-donor", "oDonorOpenid0001"}}}};
  write_file(dir_ + "/standin.json", config.dump());
  int in[2];
  int out[2];
  if (pipe(in) != 0 || pipe(out) != 0) {
    throw std::runtime_error("pipe failed");
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_addclose(&actions, in[1]);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  std::string script = std::string(BOAI_SOURCE_DIR) + "/tests/providers/standin.mjs";
  std::string config_path = dir_ + "/standin.json";
  std::string node = BOAI_NODE;
  char* argv[] = {node.data(), script.data(), config_path.data(), nullptr};
  int rc = posix_spawn(&pid_, node.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  close(in[0]);
  close(out[1]);
  stdin_fd_ = in[1];
  if (rc != 0) {
    close(out[0]);
    throw std::runtime_error("cannot start node");
  }
  FILE* said = fdopen(out[0], "r");
  char line[256] = {};
  while (std::fgets(line, sizeof line, said) != nullptr) {
    if (std::sscanf(line, "standin listening on %d", &port_) == 1) {
      break;
    }
  }
  std::fclose(said);  // node's later output goes nowhere; it prints nothing more
  if (port_ == 0) {
    throw std::runtime_error("the stand-in did not start (npm install in tests/providers?)");
  }
}

ProviderStandin::~ProviderStandin() {
  close(stdin_fd_);
  int status = 0;
  waitpid(pid_, &status, 0);
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

payorders::PaySettings ProviderStandin::settings(const std::string& public_url) const {
  payorders::PaySettings s;
  s.query_after_seconds = 1;
  auto cert = notices::parse_certificate(platform.cert_pem);
  auto key = payorders::parse_private_key(merchant.private_pem);
  auto app_key = payorders::parse_private_key(app.private_pem);
  auto alipay_key = notices::parse_public_key(alipay.public_pem);
  if (!cert || !key || !app_key || !alipay_key) {
    throw std::runtime_error("the stand-in's keys do not read back");
  }
  s.wechat = payorders::WechatOrderSettings{mchid,      merchant.serial,
                                            *key,       appid,
                                            app_secret, base_url(),
                                            base_url(), public_url + "/api/pay/notify/wechat",
                                            {*cert},    300};
  s.alipay = payorders::AlipayOrderSettings{
      alipay_app_id,   alipay_seller_id,           *app_key,
      *alipay_key,     base_url() + "/gateway.do", public_url + "/api/pay/notify/alipay",
      public_url + "/"};
  return s;
}

std::vector<std::string> ProviderStandin::serve_flags(const std::string& dir) const {
  write_file(dir + "/apiv3.key", apiv3_key);
  write_file(dir + "/platform.pem", platform.cert_pem);
  write_file(dir + "/merchant_key.pem", merchant.private_pem);
  write_file(dir + "/app_secret", app_secret + "\n");
  write_file(dir + "/alipay_public.pem", alipay.public_pem);
  write_file(dir + "/app_key.pem", app.private_pem);
  return {"--wechatpay-mchid",
          mchid,
          "--wechatpay-apiv3-key-file",
          dir + "/apiv3.key",
          "--wechatpay-platform-cert",
          dir + "/platform.pem",
          "--wechatpay-serial",
          merchant.serial,
          "--wechatpay-private-key",
          dir + "/merchant_key.pem",
          "--wechatpay-appid",
          appid,
          "--wechatpay-app-secret-file",
          dir + "/app_secret",
          "--wechatpay-api-base",
          base_url(),
          "--wechat-oauth-base",
          base_url(),
          "--alipay-app-id",
          alipay_app_id,
          "--alipay-seller-id",
          alipay_seller_id,
          "--alipay-public-key",
          dir + "/alipay_public.pem",
          "--alipay-private-key",
          dir + "/app_key.pem",
          "--alipay-gateway",
          base_url() + "/gateway.do"};
}

nlohmann::json ProviderStandin::control(const std::string& what, const nlohmann::json& body) const {
  payorders::HttpCall call{"POST",
                           base_url() + "/_standin/" + what,
                           {{"Content-Type", "application/json"}},
                           body.is_null() ? "{}" : body.dump(),
                           std::chrono::milliseconds(20000)};
  auto reply = payorders::http_call(call);
  if (!reply || reply->status != 200) {
    throw std::runtime_error("stand-in " + what + ": " +
                             (reply ? reply->body : reply.error().message));
  }
  return nlohmann::json::parse(reply->body);
}

nlohmann::json ProviderStandin::order(const std::string& provider,
                                      const std::string& reference) const {
  auto all = control("orders");
  for (const auto& o : all["orders"]) {
    if (o["provider"] == provider && o["out_trade_no"] == reference) {
      return o;
    }
  }
  return nullptr;
}

}  // namespace boai::test
