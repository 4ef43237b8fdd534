// WorkerPool: g_main_context_invoke_full carries each result back to the loop thread.
#include "sql/worker_pool.hpp"

#include <cstdio>

#include "base/on_loop.hpp"

namespace boai::sql {

WorkerPool::WorkerPool(std::string conninfo, int threads, GMainContext* context,
                       std::size_t max_queued)
    : conninfo_(std::move(conninfo)), context_(context), max_queued_(max_queued) {
  for (int i = 0; i < std::max(1, threads); ++i) {
    threads_.emplace_back([this] { worker_main(); });
  }
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_) {
    t.join();
  }
}

void WorkerPool::post(Job job) {
  {
    std::lock_guard lock(mutex_);
    if (jobs_.size() < max_queued_) {
      jobs_.push_back(std::move(job));
      wake_.notify_one();
      return;
    }
  }
  refused_.fetch_add(1, std::memory_order_relaxed);
  // Never run inside the caller: it may hold state a synchronous answer would change under it.
  static const DbError kBusy{"busy", "the database has too much waiting; try again", "", ""};
  run_on_loop_later(context_, job(nullptr, &kBusy));
}

std::size_t WorkerPool::queued() const {
  std::lock_guard lock(mutex_);
  return jobs_.size();
}

void WorkerPool::deliver(std::function<void()> on_loop) {
  run_on_loop(context_, std::move(on_loop));
}

void WorkerPool::worker_main() {
  std::unique_ptr<Connection> conn;
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) {
        return;
      }
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    if (!conn || !conn->healthy()) {
      auto c = Connection::open(conninfo_);
      if (c) {
        conn = std::make_unique<Connection>(std::move(*c));
      } else {
        conn.reset();
        deliver(job(nullptr, &c.error()));
        continue;
      }
    }
    try {
      deliver(job(conn.get(), nullptr));
    } catch (const std::exception& e) {
      // A bug in a job must not take the worker down; the caller's done never runs.
      std::fprintf(stderr, "boai: database job failed: %s\n", e.what());
    }
  }
}

}  // namespace boai::sql
