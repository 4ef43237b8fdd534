// `boai serve` signs the ledger's head every few minutes when it grew (--limits
// checkpoint_minutes), when a broadcast ends, and once more as it stops (docs/LEDGER.md).
#pragma once

#include <chrono>
#include <memory>

#include "base/loop_timer.hpp"
#include "openbooks/ledger_key.hpp"
#include "sql/worker_pool.hpp"

namespace boai::app {

class CheckpointSigner {
 public:
  // pool must outlive the signer; the timer runs on the default main context (the loop).
  CheckpointSigner(sql::WorkerPool& pool, openbooks::LedgerKey key,
                   std::chrono::milliseconds every);
  // Signs the head now, on a worker, unless a checkpoint already names it.
  void sign_now();
  // Signs on this thread with a connection of its own: for the end of serve, after the loop.
  void sign_blocking(const std::string& conninfo);
  const openbooks::PublicKey& public_key() const { return key_->public_key(); }

 private:
  sql::WorkerPool& pool_;
  std::shared_ptr<const openbooks::LedgerKey> key_;
  std::unique_ptr<LoopTimer> timer_;
  bool signing_ = false;  // one at a time: a slow database never piles them up
};

}  // namespace boai::app
