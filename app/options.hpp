// The command line: which command to run and with what settings. Flags beat BOAI_* environment
// variables, which beat the defaults. Each command accepts the shared flags and its own.
#pragma once

#include <cstdint>
#include <expected>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "notices/notice_settings.hpp"
#include "payorders/pay_settings.hpp"

namespace boai::app {

enum class Command {
  kHelp,
  kVersion,
  kServe,
  kMigrate,
  kFundAdd,
  kCampaignAdd,
  kCampaignStatus,
  kPledgeAdd,
  kPledgeCancel,
  kPledgeShow,
  kPaymentAdd,
  kRefundAdd,
  kExpenditureAdd,
  kLedgerVerify,
  kLedgerExport,
  kLedgerCheckpoint,
  kLedgerKey,
  kUserAdd,
  kUserSet,
  kRecordingsConvert,
  kWishList,
  kWishReview,
  kWishFulfil,
  kSaleAdd,
  kSaleList,
  kSaleWithdraw,
  kSaleOrders,
  kSaleHandOver,
  kReconcileImport,
  kReconcilePost,
  kReconcileExceptions,
  kReconcileOverdue,
  kReconcileBankProfile,
  kPeriodClose,
  kPeriodList,
  kReportReconciliation,
  kReportCloseout,
  kCorrectionAdd,
};

// Settings shared by every command that touches the database, and those of `serve`.
struct Options {
  std::string listen_host = "127.0.0.1";
  int listen_port = 8080;
  std::string data_dir = "./var";
  std::optional<std::string> database_url;
  std::string static_dir;  // default: the built pages of this binary's build (BUILD/static)
  std::string tls_cert, tls_key;
  std::vector<std::string> allowed_origins;  // for /ws; empty: the page's own origin
  std::vector<std::string> trusted_proxies;  // CIDRs whose forwarded client address is believed
  std::string pay_account;                   // how donors pay, shown after a pledge
  std::string metrics_token;                 // set: /metrics wants "Authorization: Bearer" it
  std::string pay_qr_url;
  // The studio.
  bool studio = true;
  bool go_live = false;
  std::string studio_room;  // empty: the first live campaign
  std::string source = "test";
  std::string hls_dir;                     // empty: DATA_DIR/hls
  std::string recordings_dir;              // empty: DATA_DIR/recordings
  std::uint64_t recordings_max_bytes = 0;  // 0: no budget
  std::uint64_t recordings_min_free_bytes = 1'000'000'000;
  std::string slides_dir;
  std::vector<std::string> push_targets;
  std::string
      public_url;  // how viewers reach this site, for the QR code; empty: the listen address
  // The station, shown in the pages' footer and on the video.
  std::string station_name = "博爱家园 · 大爱玉兰 直播间";
  std::string certificate;
  std::string credit_code;
  // The Ed25519 key that signs ledger checkpoints; empty: DATA_DIR/ledger-key.pem.
  std::string ledger_key;
  // Payment notices: the providers' merchant ids and the files of their keys (serve only).
  notices::NoticeFiles pay_notices;
  // Payment orders: the merchant's signing keys and the providers' addresses (serve only).
  payorders::OrderFiles pay_orders;
  // The live room's limits from --limits "name=value,..." (see limit_defaults()).
  std::map<std::string, double> limits;
};

// Where the ledger's signing key is (made there on first use).
std::filesystem::path ledger_key_file(const Options& options);

// The limits --limits accepts, with their defaults.
const std::map<std::string, double>& limit_defaults();

struct Invocation {
  Command command = Command::kHelp;
  Options options;
  std::vector<std::string> positional;        // "SLUG" of `campaign add SLUG`
  std::map<std::string, std::string> values;  // "--title" -> "…" for a command's own flags
  std::set<std::string> switches;             // "--anonymous", "--public"

  std::string value(const std::string& flag, const std::string& fallback = "") const {
    auto it = values.find(flag);
    return it == values.end() ? fallback : it->second;
  }
  bool has(const std::string& flag) const {
    return values.contains(flag) || switches.contains(flag);
  }
};

struct UsageError {
  std::string message;
};

using Environment = std::map<std::string, std::string>;
Environment current_environment();

// args excludes the program name.
std::expected<Invocation, UsageError> parse_command_line(const std::vector<std::string>& args,
                                                         const Environment& env);

std::string usage_text();

}  // namespace boai::app
