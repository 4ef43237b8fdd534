// The database workers' queue is bounded: past it a job is not queued and its caller hears
// `busy` on the loop, while what was queued still runs.
#include "sql/worker_pool.hpp"

#include <glib.h>

#include <catch2/catch.hpp>
#include <future>
#include <string>
#include <vector>

#include "tests/support/test_cluster.hpp"

using namespace boai;

namespace {

// Turns the default main context until `done` holds (results arrive there).
template <typename F>
void turn_until(F done) {
  while (!done()) {
    g_main_context_iteration(nullptr, TRUE);
  }
}

}  // namespace

TEST_CASE("past its bound a worker pool answers busy, and runs what it queued") {
  sql::WorkerPool pool(test::fresh_database("worker_pool"), 1, nullptr, 2);
  std::promise<void> started, release;
  auto released = release.get_future().share();
  std::vector<std::string> answers;
  auto job = [&](const char* name) {
    return
        [name](sql::Connection& c) -> std::string { return c.exec("SELECT 1") ? name : "failed"; };
  };
  auto record = [&answers](std::string s) { answers.push_back(std::move(s)); };
  auto busy = [](const sql::DbError& e) { return e.code; };
  pool.run<std::string>(
      [&started, released](sql::Connection&) -> std::string {
        started.set_value();
        released.wait();  // holds the only worker until the queue is full
        return "first";
      },
      record, busy);
  started.get_future().wait();
  pool.run<std::string>(job("second"), record, busy);
  pool.run<std::string>(job("third"), record, busy);
  pool.run<std::string>(job("fourth"), record, busy);  // two wait already: refused
  turn_until([&] { return !answers.empty(); });
  CHECK(answers == std::vector<std::string>{"busy"});
  CHECK(pool.queued() == 2);
  CHECK(pool.refused() == 1);
  release.set_value();
  turn_until([&] { return answers.size() == 4; });
  CHECK(answers == std::vector<std::string>{"busy", "first", "second", "third"});
  CHECK(pool.queued() == 0);
  CHECK(pool.refused() == 1);
}
