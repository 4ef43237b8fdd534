// Blocking database work off the GLib main loop: a few threads, each owning its connection, run
// jobs in order of arrival and hand each result back to the loop's context. The loop never waits.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <expected>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "sql/connection.hpp"

typedef struct _GMainContext GMainContext;

namespace boai::sql {

class WorkerPool {
 public:
  // Results are delivered on `context` (nullptr: the default main context). Past max_queued jobs
  // waiting, a new one is not queued: its caller gets the error `busy` at once (on the loop, later
  // in this turn), so a flood of requests waits in nobody's memory and gets a clear answer.
  WorkerPool(std::string conninfo, int threads, GMainContext* context = nullptr,
             std::size_t max_queued = kDefaultMaxQueued);
  static constexpr std::size_t kDefaultMaxQueued = 1024;
  ~WorkerPool();  // finishes queued jobs; their deliveries that never run are dropped
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Any thread: jobs waiting for a worker now, and jobs answered `busy` since the pool began
  // (for /metrics: a pool that refuses work needs more workers or less traffic).
  std::size_t queued() const;
  std::uint64_t refused() const { return refused_.load(std::memory_order_relaxed); }

  // work runs on a worker thread with a healthy connection, or is not run and done gets
  // db_unavailable. done runs on the loop with what work returned.
  template <typename T>
  void run(std::function<T(Connection&)> work, std::function<void(T)> done,
           std::function<T(const DbError&)> unavailable) {
    post([work = std::move(work), done = std::move(done), unavailable = std::move(unavailable)](
             Connection* conn, const DbError* error) mutable {
      auto result = std::make_shared<T>(conn != nullptr ? work(*conn) : unavailable(*error));
      return std::function<void()>([done = std::move(done), result] { done(std::move(*result)); });
    });
  }

  // The same for work that answers std::expected<T, Error>: when no connection can be had, done
  // gets the database's error (db_unavailable) as that Error, so callers need no converter.
  template <typename T>
  void run_expected(std::function<std::expected<T, Error>(Connection&)> work,
                    std::function<void(std::expected<T, Error>)> done) {
    run<std::expected<T, Error>>(
        std::move(work), std::move(done),
        [](const DbError& e) -> std::expected<T, Error> { return std::unexpected(e.to_error()); });
  }

 private:
  // A job returns what to run on the loop.
  using Job = std::function<std::function<void()>(Connection*, const DbError*)>;
  void post(Job job);
  void worker_main();
  void deliver(std::function<void()> on_loop);

  std::string conninfo_;
  GMainContext* context_;
  std::size_t max_queued_;
  std::atomic<std::uint64_t> refused_{0};
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace boai::sql
