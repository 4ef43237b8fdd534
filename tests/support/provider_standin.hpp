// The providers' stand-in (tests/providers/standin.mjs) as a child process of a test: keys made
// fresh for the run, the stand-in's config written beside them, the PaySettings our side uses
// to reach it, and the stand-in's control requests (pay, notices, its view of the orders).
#pragma once

#include <sys/types.h>

#include <nlohmann/json.hpp>
#include <string>

#include "payorders/pay_settings.hpp"
#include "tests/support/notice_keys.hpp"

namespace boai::test {

class ProviderStandin {
 public:
  ProviderStandin();  // starts node; throws when it does not say it listens
  ~ProviderStandin();
  ProviderStandin(const ProviderStandin&) = delete;
  ProviderStandin& operator=(const ProviderStandin&) = delete;

  int port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // Our side's settings pointing at this stand-in; notify URLs at public_url.
  payorders::PaySettings settings(const std::string& public_url = "https://boai.example") const;
  // The flags for `boai serve` pointing at it (files under dir).
  std::vector<std::string> serve_flags(const std::string& dir) const;

  // POST /_standin/<what> with a JSON body; the answer's JSON.
  nlohmann::json control(const std::string& what, const nlohmann::json& body = {}) const;
  // The stand-in's record of one order ({creates, closes, queries, state, ...}), or null.
  nlohmann::json order(const std::string& provider, const std::string& reference) const;

  TestKey merchant;  // our WeChat Pay API key (the merchant certificate's)
  TestKey platform;  // WeChat Pay's platform certificate
  TestKey app;       // our Alipay app key
  TestKey alipay;    // Alipay's key
  TestKey wrong;     // anybody else's
  std::string apiv3_key = "0123456789abcdefghijklmnopqrstuv";
  std::string mchid = "1900000109";
  std::string appid = "wxd678efh567hg6787";
  std::string app_secret = "standin-app-secret";
  std::string alipay_app_id = "2021000000000001";
  std::string alipay_seller_id = "2088101117955611";

 private:
  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  int port_ = 0;
  std::string dir_;
};

}  // namespace boai::test
