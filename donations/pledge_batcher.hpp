// Writing pledges in batches: callers on any thread submit, a few worker threads (each owning a
// connection) take whatever is queued, write it in one transaction and acknowledge every pledge
// only after that commit. Events go to the sink after commit.
#pragma once

#include <condition_variable>
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
    int workers = 2;
    std::size_t max_batch = 256;
  };
  // Called on a worker thread, after commit.
  using Done = std::function<void(std::expected<Pledge, Error>)>;
  using EventSink = std::function<void(const std::vector<DomainEvent>&)>;

  explicit PledgeBatcher(Options options, EventSink sink = {});
  ~PledgeBatcher();  // finishes what is queued, then joins
  PledgeBatcher(const PledgeBatcher&) = delete;
  PledgeBatcher& operator=(const PledgeBatcher&) = delete;

  void submit(PledgeRequest request, Done done);
  std::expected<Pledge, Error> submit_and_wait(PledgeRequest request);

 private:
  struct Job {
    PledgeRequest request;
    Done done;
  };
  void worker_main();
  void write(std::vector<Job>& jobs, std::unique_ptr<sql::Connection>& conn);

  Options options_;
  EventSink sink_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace boai::donations
