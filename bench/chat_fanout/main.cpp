// bench/chat_fanout: chat fan-out capacity of `boai serve` beside a Node `ws` broadcast server and
// Debian's libwebsockets-test-server (mirror protocol), under the same load in the same run.
//
//   chat_fanout [--viewers 10000] [--senders 4] [--seconds-per-step 5] [--max-rate 100] ...
// It starts each server itself, on 127.0.0.1 only, and stops it again, also on failure or Ctrl-C.
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <thread>

#include "bench/chat_fanout/load.hpp"
#include "bench/chat_fanout/report.hpp"
#include "bench/chat_fanout/servers.hpp"

#ifndef BOAI_BINARY
#define BOAI_BINARY ""
#endif
#ifndef BENCH_PEERS_DIR
#define BENCH_PEERS_DIR "bench/peers"
#endif

using namespace boai::bench;
namespace fs = std::filesystem;

namespace {

constexpr const char* kUsage = R"(usage: chat_fanout [options]
  --viewers N            connections in the room, senders included (default 10000)
  --senders N            how many of them chat (default 4)
  --seconds-per-step S   how long each rate is held (default 5)
  --drain-seconds S      how long late deliveries still count after a step (default 3)
  --min-rate R           lowest rate, messages per second in all (default 1)
  --max-rate R           highest rate (default 100); the steps go 1, 2, 5, 10, 20, 50...
  --rates R,R,...        these rates instead
  --p99-limit-ms MS      the latency that ends capacity (default 250)
  --stop-after N         stop after N steps in a row over the limit (default 2; 0: never)
  --servers LIST         of boai,ws,lws (default all three, in that order)
  --boai PATH            the boai binary (default: the one of this build tree)
  --peers-dir DIR        bench/peers with its node_modules (default: the source tree's)
  --node PATH            node (default: node)
  --lws-test-server PATH (default /usr/bin/libwebsockets-test-server)
  --source-addresses N   connect from 127.0.0.1 .. 127.0.0.N (default 4)
  --nice N               run the generator and the servers at this (autogroup) nice value;
                         negative, as root, measures the servers rather than busy neighbours
  --keep                 keep logs and boai's data directory
)";

void on_signal(int) {
  g_stop = 1;
}

void install_signals() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: epoll_wait returns and the loop sees g_stop
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);
}

// Every viewer is a descriptor here and one in the server, which inherits this limit.
bool raise_file_limit(long wanted) {
  rlimit r{};
  getrlimit(RLIMIT_NOFILE, &r);
  if (r.rlim_max != RLIM_INFINITY && static_cast<long>(r.rlim_max) < wanted) {
    rlimit higher{static_cast<rlim_t>(wanted), static_cast<rlim_t>(wanted)};
    if (setrlimit(RLIMIT_NOFILE, &higher) == 0) {
      return true;  // as root
    }
  }
  r.rlim_cur = r.rlim_max;
  setrlimit(RLIMIT_NOFILE, &r);
  getrlimit(RLIMIT_NOFILE, &r);
  return r.rlim_cur == RLIM_INFINITY || static_cast<long>(r.rlim_cur) >= wanted;
}

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> out;
  std::string item;
  for (char c : text + ",") {
    if (c != ',') {
      item += c;
    } else if (!item.empty()) {
      out.push_back(item);
      item.clear();
    }
  }
  return out;
}

// Connections lost during the steps; those lost while joining were printed when joining ended.
std::map<std::string, int> after_joining(const std::map<std::string, int>& failures) {
  std::map<std::string, int> out;
  for (const auto& [why, n] : failures) {
    if (why.rfind("after", 0) == 0) {
      out[why] = n;
    }
  }
  return out;
}

std::string default_boai() {
  std::string built = BOAI_BINARY;
  if (!built.empty() && access(built.c_str(), X_OK) == 0) {
    return built;
  }
  for (const char* p : {"build/release/app/boai", "build/dev/app/boai", "build/bench/app/boai"}) {
    if (access(p, X_OK) == 0) {
      return fs::absolute(p).string();
    }
  }
  return built;
}

}  // namespace

int main(int argc, char** argv) {
  LoadConfig config;
  Tools tools;
  tools.boai = default_boai();
  tools.peers_dir = BENCH_PEERS_DIR;
  tools.lws_test_server = "/usr/bin/libwebsockets-test-server";
  std::string servers = "boai,ws,lws";
  double min_rate = 1;
  double max_rate = 100;
  std::string rates;
  int nice_value = 0;
  bool have_nice = false;
  try {
    for (int i = 1; i < argc; ++i) {
      std::string a = argv[i];
      auto value = [&]() -> std::string {
        if (i + 1 >= argc) {
          throw std::invalid_argument(a + " wants a value");
        }
        return argv[++i];
      };
      if (a == "--viewers") {
        config.viewers = std::stoi(value());
      } else if (a == "--senders") {
        config.senders = std::stoi(value());
      } else if (a == "--seconds-per-step") {
        config.step_seconds = std::stod(value());
      } else if (a == "--drain-seconds") {
        config.drain_seconds = std::stod(value());
      } else if (a == "--min-rate") {
        min_rate = std::stod(value());
      } else if (a == "--max-rate") {
        max_rate = std::stod(value());
      } else if (a == "--rates") {
        rates = value();
      } else if (a == "--p99-limit-ms") {
        config.p99_limit_ms = std::stod(value());
      } else if (a == "--stop-after") {
        config.stop_after = std::stoi(value());
      } else if (a == "--servers") {
        servers = value();
      } else if (a == "--boai") {
        tools.boai = value();
      } else if (a == "--peers-dir") {
        tools.peers_dir = value();
      } else if (a == "--node") {
        tools.node = value();
      } else if (a == "--lws-test-server") {
        tools.lws_test_server = value();
      } else if (a == "--source-addresses") {
        config.source_addresses = std::stoi(value());
      } else if (a == "--nice") {
        nice_value = std::stoi(value());
        have_nice = true;
      } else if (a == "--keep") {
        tools.keep = true;
      } else if (a == "--help" || a == "-h") {
        std::fputs(kUsage, stdout);
        return 0;
      } else {
        throw std::invalid_argument("unknown option " + a);
      }
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "chat_fanout: %s\n%s", e.what(), kUsage);
    return 2;
  }
  try {
    for (const auto& r : split(rates)) {
      config.rates.push_back(std::stod(r));
    }
  } catch (const std::exception&) {
    std::fprintf(stderr, "chat_fanout: --rates wants numbers, like 5,10,20\n");
    return 2;
  }
  // 1, 2, 5, 10, 20, 50...: fine steps where a loaded machine already fails, few at the top.
  for (double decade = 1; rates.empty() && decade <= max_rate; decade *= 10) {
    for (double m : {1.0, 2.0, 5.0}) {
      if (m * decade >= min_rate && m * decade <= max_rate) {
        config.rates.push_back(m * decade);
      }
    }
  }
  if (config.viewers < 1 || config.senders < 1 || config.senders > config.viewers ||
      config.rates.empty() || config.step_seconds <= 0 || config.source_addresses < 1 ||
      config.source_addresses > 250) {
    std::fprintf(stderr, "chat_fanout: check --viewers, --senders, the rates and the seconds\n");
    return 2;
  }
  if (!raise_file_limit(config.viewers + 512L)) {
    std::fprintf(stderr,
                 "chat_fanout: the file limit is below %d viewers' descriptors (ulimit -n)\n",
                 config.viewers);
    return 2;
  }
  if (have_nice && !set_autogroup_nice(nice_value)) {
    std::perror("chat_fanout: --nice");
    return 2;
  }
  install_signals();

  char work_template[] = "/tmp/chat-fanout-XXXXXX";
  if (mkdtemp(work_template) == nullptr) {
    std::perror("chat_fanout: mkdtemp");
    return 1;
  }
  tools.work = work_template;
  chmod(tools.work.c_str(), 0755);  // boai's data directory lives under it

  std::time_t now = std::time(nullptr);
  char when[32];
  std::strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", std::gmtime(&now));
  std::printf("chat_fanout %s: %d viewers (%d of them chat), rates", when, config.viewers,
              config.senders);
  for (double r : config.rates) {
    std::printf(" %g", r);
  }
  std::printf(" msg/s, %g s a step; %u cores, load average %s", config.step_seconds,
              std::thread::hardware_concurrency(), load_average().c_str());
  if (have_nice) {
    std::printf(", nice %d", nice_value);
  }
  std::printf("\n");
  std::fflush(stdout);

  struct Entry {
    const char* key;
    const char* name;
    std::function<Started(const Tools&)> start;
  };
  const std::vector<Entry> known = {{"boai", "boai serve", start_boai},
                                    {"ws", "ws (Node)", start_ws_peer},
                                    {"lws", "lws-test-server", start_lws_mirror}};
  std::vector<ServerResult> results;
  bool keep_logs = tools.keep;
  for (const auto& key : split(servers)) {
    const Entry* e = nullptr;
    for (const auto& k : known) {
      if (key == k.key) {
        e = &k;
      }
    }
    if (e == nullptr) {
      std::fprintf(stderr, "chat_fanout: unknown server \"%s\" (boai, ws, lws)\n", key.c_str());
      continue;
    }
    if (g_stop) {
      break;
    }
    ServerResult result;
    result.name = e->name;
    std::printf("\n%s: starting\n", e->name);
    std::fflush(stdout);
    try {
      auto server = e->start(tools);
      if (!server) {
        result.skipped = server.error();
        keep_logs = true;
        std::printf("  %s not measured: %s\n", e->name, server.error().c_str());
      } else {
        result.figures = run_load(config, **server);
        print_failures(after_joining(result.figures.failures));
        if (!result.figures.first_error.empty()) {
          std::printf("    first error frame: %s\n", result.figures.first_error.c_str());
        }
      }
      // Leaving this block stops the server (and boai's PostgreSQL) before the next one starts.
    } catch (const std::exception& ex) {
      result.skipped = ex.what();
      keep_logs = true;
      std::printf("  %s failed: %s\n", e->name, ex.what());
    }
    std::printf("  load average after %s: %s\n", e->name, load_average().c_str());
    results.push_back(std::move(result));
  }
  print_summary(results, config.p99_limit_ms);
  std::error_code ec;
  if (keep_logs) {
    std::printf("logs in %s\n", tools.work.c_str());
  } else {
    fs::remove_all(tools.work, ec);
  }
  return g_stop ? 130 : 0;
}
