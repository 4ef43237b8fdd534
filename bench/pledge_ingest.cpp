// bench/pledge_ingest: pledges acknowledged after commit per second, and the p99 time to
// acknowledge, at 1, 8 and 64 concurrent submitters; beside pgbench inserting one row per
// transaction (INSERT ... ON CONFLICT DO NOTHING on a unique key) on the same PostgreSQL.
//
//   pledge_ingest [--seconds N] [--database-url URL] [--submitters 1,8,64]
//                 [--workers N] [--max-wait-us N]   (to try other batcher settings than serve's)
//                 [--thread-each 1]   (a blocking thread per submitter instead of client loops)
// Without a URL it starts a private cluster in a temporary directory, like `boai serve`.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>
#include <vector>

#include "app/embedded_postgres.hpp"
#include "app/subprocess.hpp"
#include "donations/catalog.hpp"
#include "donations/pledge_batcher.hpp"
#include "sql/connection.hpp"
#include "sql/migrations.hpp"

using namespace boai;
using Clock = std::chrono::steady_clock;

namespace {

struct Figures {
  double per_second = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  double batch = 0;      // pledges per transaction
  double write_ms = 0;   // per transaction, in the writer
  double window_ms = 0;  // per transaction, waiting for the batch to fill
};

donations::PledgeRequest bench_pledge(int submitters, int who, long i) {
  static const std::string pid = std::to_string(getpid());
  donations::PledgeRequest r;
  r.idempotency_key = "bench-" + std::to_string(submitters) + "-" + std::to_string(who) + "-" +
                      std::to_string(i) + "-" + pid;
  r.campaign = "bench";
  r.amount = donations::Money::from_fen(1000 + i % 5000);
  r.display_name = "张三";
  r.message = "加油";
  return r;
}

// Submitters on client loops, as in `boai serve` (whose loop thread submits for every WebSocket
// and gets each acknowledgement handed back to it) and in pgbench (-j 2): each loop owns some of
// the submitters; each submitter has one pledge in flight and sends its next only when the
// acknowledgement of the last has come back to its loop. The ack crosses threads, as in serve.
struct ClientLoop {
  struct Ack {
    int who;
    bool ok;
  };
  std::mutex mutex;
  std::condition_variable wake;
  std::vector<Ack> inbox;
};

void run_loop(donations::PledgeBatcher& batcher, ClientLoop& loop, std::vector<int> mine,
              int submitters, Clock::time_point stop_at, std::vector<double>& latencies) {
  std::vector<Clock::time_point> sent(static_cast<std::size_t>(submitters));
  std::vector<long> count(static_cast<std::size_t>(submitters));
  auto send = [&](int who) {
    auto w = static_cast<std::size_t>(who);
    sent[w] = Clock::now();
    batcher.submit(bench_pledge(submitters, who, count[w]++), [&loop, who](auto result) {
      if (!result) {
        std::fprintf(stderr, "pledge failed: %s\n", result.error().message.c_str());
      }
      {
        std::lock_guard lock(loop.mutex);
        loop.inbox.push_back({who, result.has_value()});
      }
      loop.wake.notify_one();
    });
  };
  for (int who : mine) {
    send(who);
  }
  std::size_t in_flight = mine.size();
  std::vector<ClientLoop::Ack> acks;
  while (in_flight > 0) {
    {
      std::unique_lock lock(loop.mutex);
      loop.wake.wait(lock, [&] { return !loop.inbox.empty(); });
      acks.swap(loop.inbox);
    }
    auto now = Clock::now();
    for (const auto& a : acks) {
      --in_flight;
      if (now >= stop_at || !a.ok) {
        continue;  // late: not counted; failed: that submitter stops
      }
      latencies.push_back(
          std::chrono::duration<double, std::milli>(now - sent[static_cast<std::size_t>(a.who)])
              .count());
      send(a.who);
      ++in_flight;
    }
    acks.clear();
  }
}

// The batcher as `boai serve` builds it (its defaults), and real submitters that wait for their
// acknowledgements: on two client loops, or (--thread-each) on a thread each, blocking.
Figures run_boai(const donations::PledgeBatcher::Options& options, int submitters, int seconds,
                 bool thread_each) {
  donations::PledgeBatcher batcher(options);
  std::mutex mutex;
  std::vector<double> latencies;
  auto stop_at = Clock::now() + std::chrono::seconds(seconds);
  std::vector<std::thread> threads;
  int loops = thread_each ? submitters : std::min(submitters, 2);
  std::vector<ClientLoop> client_loops(static_cast<std::size_t>(loops));
  for (int l = 0; l < loops; ++l) {
    threads.emplace_back([&, l] {
      std::vector<double> times;
      if (thread_each) {
        for (long i = 0; Clock::now() < stop_at; ++i) {
          auto start = Clock::now();
          auto p = batcher.submit_and_wait(bench_pledge(submitters, l, i));
          if (!p) {
            break;
          }
          times.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
        }
      } else {
        std::vector<int> mine;  // this loop's submitters
        for (int who = l; who < submitters; who += loops) {
          mine.push_back(who);
        }
        run_loop(batcher, client_loops[static_cast<std::size_t>(l)], mine, submitters, stop_at,
                 times);
      }
      std::lock_guard lock(mutex);
      latencies.insert(latencies.end(), times.begin(), times.end());
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  auto done = latencies.size();
  auto stats = batcher.stats();
  std::sort(latencies.begin(), latencies.end());
  auto pct = [&](double q) {
    return latencies.empty()
               ? 0
               : latencies[std::min(
                     latencies.size() - 1,
                     static_cast<std::size_t>(q * static_cast<double>(latencies.size())))];
  };
  double batches = std::max<double>(1, static_cast<double>(stats.batches));
  return {static_cast<double>(done) / seconds,
          pct(0.50),
          pct(0.99),
          static_cast<double>(stats.pledges) / batches,
          static_cast<double>(stats.write_us) / batches / 1000.0,
          static_cast<double>(stats.window_us) / batches / 1000.0};
}

double run_pgbench(const std::string& pgbench, const std::string& conninfo, int clients,
                   int seconds, const std::filesystem::path& script) {
  auto r = app::run_process({pgbench, "-n", "-c", std::to_string(clients), "-j",
                             std::to_string(std::min(clients, 2)), "-T", std::to_string(seconds),
                             "-f", script.string(), conninfo});
  auto at = r.output.find("tps = ");
  if (r.exit_code != 0 || at == std::string::npos) {
    std::fprintf(stderr, "pgbench failed: %s\n", app::last_lines(r.output, 3).c_str());
    return 0;
  }
  return std::atof(r.output.c_str() + at + 6);
}

std::string find_pgbench() {
  for (const auto& e : std::filesystem::directory_iterator("/usr/lib/postgresql")) {
    auto p = e.path() / "bin" / "pgbench";
    if (std::filesystem::exists(p)) {
      return p.string();
    }
  }
  return "pgbench";
}

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

std::vector<int> parse_list(const char* text) {
  std::vector<int> out;
  for (const char* p = text; *p != '\0';) {
    out.push_back(std::atoi(p));
    p = std::strchr(p, ',');
    if (p == nullptr) {
      break;
    }
    ++p;
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  int seconds = 5;
  std::string url;
  std::vector<int> counts = {1, 8, 64};
  donations::PledgeBatcher::Options options;  // serve's defaults unless told otherwise
  bool thread_each = false;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--seconds") == 0) {
      seconds = std::atoi(argv[i + 1]);
    }
    if (std::strcmp(argv[i], "--database-url") == 0) {
      url = argv[i + 1];
    }
    if (std::strcmp(argv[i], "--submitters") == 0) {
      counts = parse_list(argv[i + 1]);
    }
    if (std::strcmp(argv[i], "--workers") == 0) {
      options.workers = std::atoi(argv[i + 1]);
    }
    if (std::strcmp(argv[i], "--thread-each") == 0) {
      thread_each = std::atoi(argv[i + 1]) != 0;
    }
    if (std::strcmp(argv[i], "--max-wait-us") == 0) {
      options.max_wait = std::chrono::microseconds(std::atoi(argv[i + 1]));
    }
  }
  std::unique_ptr<app::EmbeddedPostgres> pg;
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("boai-bench-" + std::to_string(getpid()));
  if (url.empty()) {
    std::filesystem::create_directories(dir);
    std::filesystem::permissions(dir, std::filesystem::perms::all);
    auto started = app::EmbeddedPostgres::start(dir);
    if (!started) {
      std::fprintf(stderr, "pledge_ingest: %s\n", started.error().message.c_str());
      return 1;
    }
    pg = std::move(*started);
    url = pg->conninfo();
  }
  auto conn = sql::Connection::open(url);
  if (!conn) {
    std::fprintf(stderr, "pledge_ingest: %s\n", conn.error().message.c_str());
    return 1;
  }
  auto known = sql::parse_migrations(sql::embedded_migrations());
  if (!known || !sql::migrate(*conn, *known)) {
    return 1;
  }
  (void)donations::add_campaign(
      *conn, {"bench", "Benchmark", donations::Money::from_yuan(1'000'000), "general", {}, "live"});
  (void)conn->exec("CREATE TABLE IF NOT EXISTS pgbench_pledges (k bigint PRIMARY KEY, v bigint)");
  auto script = dir / "insert.sql";
  std::filesystem::create_directories(dir);
  std::ofstream(script)
      << "\\set k random(1, 1000000000000)\n"
         "INSERT INTO pgbench_pledges (k, v) VALUES (:k, 1) ON CONFLICT DO NOTHING;\n";
  std::filesystem::permissions(script, std::filesystem::perms::all);
  auto pgbench = find_pgbench();

  options.conninfo = url;
  std::printf(
      "pledge_ingest: %d s per run, PostgreSQL with fsync on, %d batch writers, "
      "batch window up to %lld us; load average %s\n",
      seconds, options.workers, static_cast<long long>(options.max_wait.count()),
      load_average().c_str());
  std::printf("%10s %12s %8s %8s %8s %10s %10s %12s %7s\n", "submitters", "pledges/s", "p50 ms",
              "p99 ms", "batch", "write ms", "window ms", "pgbench tps", "ratio");
  for (int n : counts) {
    auto f = run_boai(options, n, seconds, thread_each);
    double tps = run_pgbench(pgbench, url, n, seconds, script);
    std::printf("%10d %12.0f %8.2f %8.2f %8.1f %10.2f %10.2f %12.0f %7.2f\n", n, f.per_second,
                f.p50_ms, f.p99_ms, f.batch, f.write_ms, f.window_ms, tps,
                tps > 0 ? f.per_second / tps : 0.0);
    std::fflush(stdout);
  }
  std::printf("load average after: %s\n", load_average().c_str());
  pg.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return 0;
}
