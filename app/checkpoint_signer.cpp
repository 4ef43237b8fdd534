#include "app/checkpoint_signer.hpp"

#include <cstdio>

#include "openbooks/checkpoints.hpp"

namespace boai::app {

CheckpointSigner::CheckpointSigner(sql::WorkerPool& pool, openbooks::LedgerKey key,
                                   std::chrono::milliseconds every)
    : pool_(pool), key_(std::make_shared<const openbooks::LedgerKey>(std::move(key))) {
  timer_ = std::make_unique<LoopTimer>(nullptr, every, [this] { sign_now(); });
}

void CheckpointSigner::sign_now() {
  if (signing_) {
    return;
  }
  signing_ = true;
  pool_.run_expected<bool>(
      [key = key_](sql::Connection& conn) -> std::expected<bool, Error> {
        auto made = openbooks::make_checkpoint(conn, *key);
        if (!made) {
          return std::unexpected(made.error());
        }
        return made->has_value();
      },
      [this](std::expected<bool, Error> made) {
        signing_ = false;
        if (!made) {
          std::fprintf(stderr, "boai: ledger checkpoint: %s\n", made.error().message.c_str());
        }
      });
}

void CheckpointSigner::sign_blocking(const std::string& conninfo) {
  auto conn = sql::Connection::open(conninfo);
  if (!conn) {
    return;
  }
  if (auto made = openbooks::make_checkpoint(*conn, *key_); !made) {
    std::fprintf(stderr, "boai: ledger checkpoint: %s\n", made.error().message.c_str());
  }
}

}  // namespace boai::app
