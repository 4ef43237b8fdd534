// Writing pledges in batches: callers on any thread submit, writer threads (each owning a
// connection) take turns to gather what is queued, write it in one transaction and acknowledge
// every pledge only after that commit. Events go to the sink after commit.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <expected>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/error.hpp"
#include "donations/pledges.hpp"
#include "donations/records.hpp"

namespace boai::donations {

class PledgeBatcher {
 public:
  struct Options {
    std::string conninfo;
    PledgeLimits limits;
    // Writers take turns to gather a batch: while one writes, the next gathers, so a batch is
    // never split between two that wait for the same lock.
    int workers = 2;
    std::size_t max_batch = 256;
    // Group commit: a batch waits up to this long (and never longer than the last write took)
    // for as many pledges as the last batch had, since those submitters tend to come back.
    std::chrono::microseconds max_wait{2000};
  };
  // Called on a worker thread, after commit.
  using Done = std::function<void(std::expected<Pledge, Error>)>;
  using EventSink = std::function<void(const std::vector<DomainEvent>&)>;

  // Committed transactions, the requests they answered, and the time they took in
  // write_pledges; counted before the acknowledgements go out.
  struct Stats {
    std::int64_t batches = 0;
    std::int64_t pledges = 0;
    std::int64_t write_us = 0;
    std::int64_t window_us = 0;  // waiting in the batch window, summed over gathers
  };

  explicit PledgeBatcher(Options options, EventSink sink = {});
  ~PledgeBatcher();  // finishes what is queued, then joins
  PledgeBatcher(const PledgeBatcher&) = delete;
  PledgeBatcher& operator=(const PledgeBatcher&) = delete;

  void submit(PledgeRequest request, Done done);
  std::expected<Pledge, Error> submit_and_wait(PledgeRequest request);
  Stats stats() const;

 private:
  struct Job {
    PledgeRequest request;
    Done done;
  };
  void worker_main();
  std::vector<Job> gather();
  void write(std::vector<Job>& jobs, std::unique_ptr<sql::Connection>& conn,
             CampaignCache& campaigns);
  void write_apart(std::vector<Job>& jobs, const std::vector<PledgeRequest>& all, std::size_t begin,
                   std::size_t end, sql::Connection& conn, CampaignCache& campaigns);

  Options options_;
  EventSink sink_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;  // a job came, a turn is free, or stopping
  std::deque<Job> queue_;
  bool gathering_ = false;     // a writer holds the turn to gather
  std::size_t last_size_ = 1;  // the last batch's size: what the next one waits for
  std::size_t wake_at_ = 1;    // the queue size at which submit wakes the gatherer
  std::chrono::microseconds last_write_{0};
  Stats stats_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace boai::donations
