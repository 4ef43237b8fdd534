// `ledger verify`, `ledger checkpoint` and `ledger key`: checking the books, and signing and
// publishing their head (docs/LEDGER.md "Signed checkpoints").
#include <cstdio>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "app/command_support.hpp"
#include "app/commands.hpp"
#include "app/url_fetch.hpp"
#include "donations/ledger_checkpoint.hpp"
#include "donations/ledger_verify.hpp"
#include "notices/keys.hpp"
#include "openbooks/checkpoints.hpp"
#include "openbooks/published_checkpoints.hpp"
#include "sql/connection.hpp"

namespace boai::app {

namespace {

using namespace boai::donations;

constexpr std::size_t kMaxCheckpointsDocument = 256 * 1024 * 1024;

// The key that checks published checkpoints: --key (a public key someone saved from
// /api/ledger/key), else the station's own key when this machine has it, else the one the
// document names, said aloud since it proves only that the document is self-consistent.
std::expected<openbooks::PublicKey, Error> trusted_key(
    const Invocation& inv, const openbooks::PublishedCheckpoints& published) {
  if (inv.has("--key")) {
    auto text = notices::read_small_file(inv.value("--key"));
    if (!text) {
      return std::unexpected(text.error());
    }
    return openbooks::parse_public_key(*text);
  }
  auto own_file = ledger_key_file(inv.options);
  std::error_code ec;
  if (std::filesystem::exists(own_file, ec)) {
    auto own = openbooks::LedgerKey::load_or_create(own_file);
    if (!own) {
      return std::unexpected(own.error());
    }
    return own->public_key();
  }
  if (!published.key) {
    return std::unexpected(
        Error{"ledger_key_missing", "no key to check the checkpoints with: give --key FILE"});
  }
  std::printf(
      "ledger: checking signatures with the key the checkpoints name (%s); give --key "
      "to check them against a key you trust\n",
      published.key->id.c_str());
  return *published.key;
}

// Every page of a station's /api/ledger/checkpoints (a URL), or one file.
std::expected<std::string, Error> read_checkpoints(const std::string& where) {
  if (where.find("://") == std::string::npos) {
    return notices::read_small_file(where);
  }
  nlohmann::json all = nlohmann::json::array();
  nlohmann::json key;
  std::int64_t after = 0;
  for (;;) {
    auto page = fetch_url(where + (where.find('?') == std::string::npos ? "?" : "&") +
                              "after_seq=" + std::to_string(after),
                          kMaxCheckpointsDocument);
    if (!page) {
      return std::unexpected(page.error());
    }
    auto doc = nlohmann::json::parse(*page, nullptr, false);
    if (!doc.is_object() || !doc.contains("checkpoints") || !doc["checkpoints"].is_array()) {
      return std::unexpected(Error{"checkpoints_invalid", where + " is not a checkpoints page"});
    }
    if (doc["checkpoints"].empty()) {
      break;
    }
    key = doc.value("key", nlohmann::json());
    for (auto& c : doc["checkpoints"]) {
      all.push_back(c);
    }
    after = all.back().value("seq", after);
  }
  return nlohmann::json{{"key", key}, {"checkpoints", all}}.dump();
}

std::expected<std::vector<PublishedHead>, Error> published_heads(const Invocation& inv) {
  auto text = read_checkpoints(inv.value("--checkpoints"));
  if (!text) {
    return std::unexpected(text.error());
  }
  auto published = openbooks::parse_published(*text);
  if (!published) {
    return std::unexpected(published.error());
  }
  auto key = trusted_key(inv, *published);
  if (!key) {
    return std::unexpected(key.error());
  }
  auto heads = openbooks::trusted_heads(published->checkpoints, *key);
  if (heads) {
    std::printf("ledger: %zu checkpoints signed by key %s\n", published->checkpoints.size(),
                key->id.c_str());
  }
  return heads;
}

// The whole chain, or (--from-checkpoint FILE) what came after the head FILE keeps; a verified
// head is kept in FILE for the next time. --checkpoints: and through every head published there.
int ledger_verify(const Invocation& inv, sql::Connection& conn) {
  std::optional<std::filesystem::path> file;
  std::optional<Checkpoint> from;
  if (inv.has("--from-checkpoint")) {
    file = inv.value("--from-checkpoint");
    auto loaded = load_checkpoint(*file);
    if (!loaded) {
      return report(loaded.error());
    }
    from = *loaded;
    if (!from) {
      std::printf("ledger: no checkpoint in %s yet: verifying from the start\n", file->c_str());
    }
  }
  std::vector<PublishedHead> heads;
  if (inv.has("--checkpoints")) {
    auto read = published_heads(inv);
    if (!read) {
      return report(read.error());
    }
    heads = std::move(*read);
  }
  auto v = verify_ledger(conn, from, heads);
  if (!v) {
    return report(v.error());
  }
  if (!v->ok()) {
    for (const auto& p : v->problems) {
      std::printf("ledger: %s\n", p.c_str());
    }
    std::printf("ledger: NOT VERIFIED; first bad entry %lld\n",
                static_cast<long long>(v->first_bad_seq.value_or(0)));
    return 1;
  }
  if (from) {
    std::printf(
        "ledger: verified %lld entries (%lld new since the checkpoint at entry %lld); "
        "head %s\n",
        static_cast<long long>(v->entries), static_cast<long long>(v->checked),
        static_cast<long long>(v->from_seq), v->head_hash.c_str());
  } else {
    std::printf("ledger: verified %lld entries; head %s\n", static_cast<long long>(v->entries),
                v->head_hash.c_str());
  }
  if (file) {
    if (auto saved = save_checkpoint(*file, v->reached); !saved) {
      return report(saved.error());
    }
  }
  return 0;
}

int ledger_checkpoint(const Invocation& inv, sql::Connection& conn) {
  auto key = openbooks::LedgerKey::load_or_create(ledger_key_file(inv.options));
  if (!key) {
    return report(key.error());
  }
  auto made = openbooks::make_checkpoint(conn, *key);
  if (!made) {
    return report(made.error());
  }
  if (!*made) {
    std::printf("ledger: nothing new to sign: the newest checkpoint already names the head\n");
    return 0;
  }
  std::printf("checkpoint at entry %lld: head %s, signed by key %s\n",
              static_cast<long long>((*made)->seq), (*made)->head_hash.c_str(),
              (*made)->key_id.c_str());
  return 0;
}

int ledger_key(const Invocation& inv) {
  auto key = openbooks::LedgerKey::load_or_create(ledger_key_file(inv.options));
  if (!key) {
    return report(key.error());
  }
  std::printf("key id %s (Ed25519)\n%s", key->public_key().id.c_str(),
              key->public_key().pem.c_str());
  return 0;
}

}  // namespace

int run_ledger_check_command(const Invocation& inv) {
  if (inv.command == Command::kLedgerKey) {
    return ledger_key(inv);
  }
  auto run = inv.command == Command::kLedgerVerify ? ledger_verify : ledger_checkpoint;
  return with_database(inv, [&](sql::Connection& conn) { return run(inv, conn); });
}

}  // namespace boai::app
