// PledgeBatcher: batches form by themselves: while one transaction commits, the next requests
// queue up and go together in the next one.
#include "donations/pledge_batcher.hpp"

#include <future>

#include "sql/connection.hpp"

namespace boai::donations {

PledgeBatcher::PledgeBatcher(Options options, EventSink sink)
    : options_(std::move(options)), sink_(std::move(sink)) {
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
  for (auto& t : workers_) t.join();
}

void PledgeBatcher::submit(PledgeRequest request, Done done) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(Job{std::move(request), std::move(done)});
  }
  wake_.notify_one();
}

std::expected<Pledge, Error> PledgeBatcher::submit_and_wait(PledgeRequest request) {
  std::promise<std::expected<Pledge, Error>> promise;
  auto future = promise.get_future();
  submit(std::move(request), [&promise](auto result) { promise.set_value(std::move(result)); });
  return future.get();
}

void PledgeBatcher::worker_main() {
  std::unique_ptr<sql::Connection> conn;
  for (;;) {
    std::vector<Job> jobs;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left to write
      while (!queue_.empty() && jobs.size() < options_.max_batch) {
        jobs.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    write(jobs, conn);
  }
}

void PledgeBatcher::write(std::vector<Job>& jobs, std::unique_ptr<sql::Connection>& conn) {
  auto fail_all = [&](const Error& e) {
    for (auto& j : jobs) j.done(std::unexpected(e));
  };
  if (!conn || !conn->healthy()) {
    auto c = sql::Connection::open(options_.conninfo);
    if (!c) {
      fail_all(make_error("db_unavailable", "the database is not reachable; try again"));
      conn.reset();
      return;
    }
    conn = std::make_unique<sql::Connection>(std::move(*c));
  }
  std::vector<PledgeRequest> requests;
  requests.reserve(jobs.size());
  for (const auto& j : jobs) requests.push_back(j.request);

  auto batch = write_pledges(*conn, requests, options_.limits);
  if (batch) {
    for (std::size_t i = 0; i < jobs.size(); ++i) jobs[i].done(std::move(batch->pledges[i]));
    if (sink_ && !batch->events.empty()) sink_(batch->events);
    return;
  }
  if (!conn->healthy()) {
    // The connection broke, perhaps during COMMIT: whether it landed is unknown, so the client
    // retries with its idempotency key and gets the first result if it did.
    conn.reset();
    fail_all(make_error("db_unavailable", "the database connection was lost; try again"));
    return;
  }
  // Something in the batch broke the transaction: write each on its own so one bad request
  // cannot sink the others.
  for (auto& j : jobs) {
    auto one = write_pledges(*conn, {j.request}, options_.limits);
    if (one) {
      j.done(std::move(one->pledges[0]));
      if (sink_ && !one->events.empty()) sink_(one->events);
    } else {
      j.done(std::unexpected(one.error()));
    }
  }
}

}  // namespace boai::donations
