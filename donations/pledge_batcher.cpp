// PledgeBatcher: group commit. One writer at a time gathers: it takes what is queued, waiting a
// moment for the submitters the last batch acknowledged, who tend to come straight back; then it
// writes while the next writer gathers. A writer that grabbed whatever came first made batches of
// one or two at 64 submitters, each paying a transaction's fixed cost (measured in bench/).
#include "donations/pledge_batcher.hpp"

#include <algorithm>
#include <future>

#include "sql/connection.hpp"

namespace boai::donations {

using Clock = std::chrono::steady_clock;

PledgeBatcher::PledgeBatcher(Options options, EventSink sink)
    : options_(std::move(options)), sink_(std::move(sink)) {
  options_.max_batch = std::max<std::size_t>(1, options_.max_batch);
  for (int i = 0; i < std::max(1, options_.workers); ++i) {
    workers_.emplace_back([this] { worker_main(); });
  }
}

PledgeBatcher::~PledgeBatcher() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : workers_) {
    t.join();
  }
}

void PledgeBatcher::submit(PledgeRequest request, Done done) {
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(Job{std::move(request), std::move(done)});
    // Waking the gatherer for every pledge of a batch it is still filling costs a context
    // switch each: only the first one, or the one that fills it.
    wake = queue_.size() == 1 || queue_.size() >= wake_at_;
  }
  if (wake) {
    wake_.notify_all();
  }
}

std::expected<Pledge, Error> PledgeBatcher::submit_and_wait(PledgeRequest request) {
  std::promise<std::expected<Pledge, Error>> promise;
  auto future = promise.get_future();
  submit(std::move(request), [&promise](auto result) { promise.set_value(std::move(result)); });
  return future.get();
}

PledgeBatcher::Stats PledgeBatcher::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

std::vector<PledgeBatcher::Job> PledgeBatcher::gather() {
  std::unique_lock lock(mutex_);
  wake_.wait(lock, [&] { return stopping_ || (!gathering_ && !queue_.empty()); });
  if (queue_.empty()) {
    return {};  // stopping, and nothing left to write
  }
  gathering_ = true;
  // Wait for as many as the last batch had, but not longer than a write takes: beyond that,
  // waiting costs more than the transaction it saves.
  auto want = std::min(last_size_, options_.max_batch);
  auto opened = Clock::now();
  auto deadline = opened + std::min(options_.max_wait, last_write_);
  wake_at_ = want;
  while (!stopping_ && queue_.size() < want) {
    if (wake_.wait_until(lock, deadline) == std::cv_status::timeout) {
      break;
    }
  }
  wake_at_ = 1;
  stats_.window_us +=
      std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - opened).count();
  std::vector<Job> jobs;
  auto n = std::min(queue_.size(), options_.max_batch);
  jobs.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    jobs.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  gathering_ = false;
  lock.unlock();
  wake_.notify_all();  // the turn is free
  return jobs;
}

void PledgeBatcher::worker_main() {
  std::unique_ptr<sql::Connection> conn;
  CampaignCache campaigns;
  for (;;) {
    auto jobs = gather();
    if (jobs.empty()) {
      return;
    }
    auto started = Clock::now();
    write(jobs, conn, campaigns);
    auto took = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started);
    std::lock_guard lock(mutex_);
    last_size_ = jobs.size();
    last_write_ = took;
  }
}

void PledgeBatcher::write(std::vector<Job>& jobs, std::unique_ptr<sql::Connection>& conn,
                          CampaignCache& campaigns) {
  auto fail_all = [&](const Error& e) {
    for (auto& j : jobs) {
      j.done(std::unexpected(e));
    }
  };
  if (!conn || !conn->healthy()) {
    auto c = sql::Connection::open(options_.conninfo);
    if (!c) {
      fail_all(make_error("db_unavailable", "the database is not reachable; try again"));
      conn.reset();
      return;
    }
    conn = std::make_unique<sql::Connection>(std::move(*c));
    conn->reuse_plans();  // the same few statement texts, batch after batch
  }
  std::vector<PledgeRequest> requests;  // moved out once: a batch's requests are not copied
  requests.reserve(jobs.size());
  for (auto& j : jobs) {
    requests.push_back(std::move(j.request));
  }
  write_apart(jobs, requests, 0, jobs.size(), *conn, campaigns);
  if (!conn->healthy()) {
    conn.reset();
  }
}

// Writes jobs[begin, end) in one transaction. If something in it breaks the transaction, each
// half goes again on its own, so one bad request cannot sink the others and costs a few
// transactions, not one per pledge.
void PledgeBatcher::write_apart(std::vector<Job>& jobs, const std::vector<PledgeRequest>& all,
                                std::size_t begin, std::size_t end, sql::Connection& conn,
                                CampaignCache& campaigns) {
  std::vector<PledgeRequest> part;  // only when the batch went again in halves
  if (begin > 0 || end < all.size()) {
    part.assign(all.begin() + static_cast<std::ptrdiff_t>(begin),
                all.begin() + static_cast<std::ptrdiff_t>(end));
  }
  const auto& requests = part.empty() ? all : part;

  auto started = Clock::now();
  auto batch = write_pledges(conn, requests, options_.limits, campaigns);
  if (batch) {
    auto took = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started);
    {
      std::lock_guard lock(mutex_);
      stats_.batches += 1;
      stats_.pledges += static_cast<std::int64_t>(requests.size());
      stats_.write_us += took.count();
    }
    for (auto i = begin; i < end; ++i) {
      jobs[i].done(std::move(batch->pledges[i - begin]));
    }
    if (sink_ && !batch->events.empty()) {
      sink_(batch->events);
    }
    return;
  }
  if (!conn.healthy()) {
    // The connection broke, perhaps during COMMIT: whether it landed is unknown, so the client
    // retries with its idempotency key and gets the first result if it did.
    for (auto i = begin; i < end; ++i) {
      jobs[i].done(std::unexpected(
          make_error("db_unavailable", "the database connection was lost; try again")));
    }
    return;
  }
  if (end - begin == 1) {
    jobs[begin].done(std::unexpected(batch.error()));
    return;
  }
  auto middle = begin + (end - begin) / 2;
  write_apart(jobs, all, begin, middle, conn, campaigns);
  write_apart(jobs, all, middle, end, conn, campaigns);
}

}  // namespace boai::donations
