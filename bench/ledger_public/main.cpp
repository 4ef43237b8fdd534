// bench/ledger_public: the open books' public JSON under load (issue #13), through a real
// `boai serve --no-studio`, beside nginx serving the very same bytes as static files:
//   GET /api/ledger/summary                         (from the totals tables)
//   GET /api/ledger/entries?after_seq=SIZE/2&limit=100
//   GET /api/ledger/summary with If-None-Match      (the 304 path)
// at 100,000 and 1,000,000 entries, each over 16 and 64 keep-alive connections: answers per
// second, p50 and p99, boai's rate over nginx's, and the CPU per answer of boai, of its
// PostgreSQL and of nginx; before each table, each route's own read over libpq (its floor).
//
//   ledger_public [--database-url URL] [--sizes 100000,1000000] [--connections 16,64]
//                 [--seconds 5] [--warmup 1] [--nginx-workers 2] [--nginx PATH] [--keep 1]
// Figures are printed, never asserted. Without a URL it starts a private cluster.
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "app/embedded_postgres.hpp"
#include "bench/ledger_public/http_load.hpp"
#include "donations/catalog.hpp"
#include "donations/ledger_page.hpp"
#include "openbooks/public_summary.hpp"
#include "sql/connection.hpp"
#include "sql/migrations.hpp"
#include "tests/support/boai_process.hpp"
#include "tests/support/http_client.hpp"

using namespace boai;
namespace fs = std::filesystem;

namespace {

struct Options {
  std::string url;
  std::vector<std::int64_t> sizes = {100'000, 1'000'000};
  std::vector<int> connections = {16, 64};
  double seconds = 5, warmup = 1;
  int nginx_workers = 2;
  std::string nginx = "/usr/sbin/nginx";
  bool keep = false;
};

std::vector<std::int64_t> list_of(const std::string& text) {
  std::vector<std::int64_t> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    out.push_back(std::atoll(item.c_str()));
  }
  return out;
}

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

bool exec(sql::Connection& conn, const std::string& sql, const std::vector<sql::Param>& p = {}) {
  auto r = conn.exec(sql, p);
  if (!r) {
    std::fprintf(stderr, "ledger_public: %s\n", r.error().message.c_str());
  }
  return static_cast<bool>(r);
}

// Three funds and four campaigns (through the catalog), as a station has a few of each.
bool make_catalog(sql::Connection& conn) {
  if (!exec(conn,
            "INSERT INTO funds (slug, name) VALUES ('wishes', '红心愿'), ('first-aid', "
            "'应急救护培训') ON CONFLICT DO NOTHING")) {
    return false;
  }
  const char* funds[] = {"general", "wishes", "first-aid", "general"};
  for (int k = 0; k < 4; ++k) {
    std::string slug = "campaign-";
    slug += std::to_string(k + 1);
    if (!donations::add_campaign(conn, {slug,
                                        "博爱活动 " + std::to_string(k + 1),
                                        donations::Money::from_yuan(50'000),
                                        funds[k],
                                        {},
                                        k == 3 ? "live" : "closed"})) {
      return false;
    }
  }
  return true;
}

// Entries up to `size` by one INSERT ... SELECT (a read benchmark: the chain need not verify),
// pledges, payments, refunds and spending over a year, then the head and both totals tables
// recomputed from them as the appender would have kept them.
bool grow_ledger(sql::Connection& conn, std::int64_t size) {
  const char* totals =
      "coalesce(campaign_id, 0), fund_id, "
      "coalesce(sum(amount_fen) FILTER (WHERE kind = 'pledge'), 0), "
      "coalesce(sum(amount_fen) FILTER (WHERE kind IN ('cancel', 'expire')), 0), "
      "coalesce(sum(amount_fen) FILTER (WHERE kind IN ('payment', 'correction_received')), 0), "
      "coalesce(sum(amount_fen) FILTER (WHERE kind = 'refund'), 0), "
      "coalesce(sum(amount_fen) FILTER (WHERE kind IN ('expenditure', 'correction_spent')), 0), "
      "count(*) FILTER (WHERE kind = 'pledge'), "
      "coalesce(sum(amount_fen) FILTER (WHERE kind = 'sale'), 0), "
      "coalesce(sum(amount_fen) FILTER (WHERE kind IN ('sale_expire', 'sale_cancel')), 0), "
      "coalesce(sum(amount_fen) FILTER (WHERE kind = 'sale_payment'), 0), "
      "coalesce(sum(amount_fen) FILTER (WHERE kind = 'sale_refund'), 0), "
      "count(*) FILTER (WHERE kind = 'sale') FROM ledger_entries";
  const char* columns =
      "campaign_id, fund_id, pledged_fen, cancelled_fen, received_fen, refunded_fen, spent_fen, "
      "pledge_count, sold_fen, sale_cancelled_fen, sale_received_fen, sale_refunded_fen, "
      "sale_count";
  return exec(conn,
              "INSERT INTO ledger_entries SELECT g, k.kind, "
              "1764547200000000 + g * (31536000000000 / $1), c.id, c.default_fund_id, "
              "CASE WHEN k.kind IN ('pledge', 'payment', 'refund') THEN g END, NULL, "
              "CASE WHEN k.kind = 'expenditure' THEN g END, "
              "CASE WHEN k.kind = 'expenditure' THEN 50000 ELSE 1000 + g % 5000 END, "
              "CASE WHEN k.kind = 'expenditure' THEN '社区卫生站' ELSE '张*' END, 'REF' || g, "
              "CASE WHEN k.kind = 'expenditure' THEN '急救包 ' || g ELSE '' END, "
              "md5(g::text) || md5((g + 1)::text), md5(g::text || 'x') || md5(g::text) "
              "FROM generate_series((SELECT coalesce(max(seq), 0) + 1 FROM ledger_entries), $1) g "
              "CROSS JOIN LATERAL (SELECT CASE WHEN g % 10 < 5 THEN 'pledge' WHEN g % 10 < 9 "
              "THEN 'payment' WHEN g % 20 = 9 THEN 'refund' ELSE 'expenditure' END AS kind) k "
              "JOIN campaigns c ON c.id = 1 + g / 10 % 4",
              sql::params(size)) &&
         exec(conn,
              "UPDATE ledger_head SET last_seq = e.seq, last_hash = e.entry_hash FROM "
              "(SELECT seq, entry_hash FROM ledger_entries ORDER BY seq DESC LIMIT 1) e") &&
         exec(conn, "DELETE FROM ledger_totals") &&
         exec(conn, std::string("INSERT INTO ledger_totals (") + columns + ") SELECT " + totals +
                        " GROUP BY 1, 2") &&
         exec(conn, "DELETE FROM ledger_month_totals") &&
         exec(conn, std::string("INSERT INTO ledger_month_totals (month, ") + columns +
                        ") SELECT to_char(to_timestamp(recorded_us / 1000000.0) AT TIME ZONE "
                        "'Asia/Shanghai', 'YYYY-MM'), " +
                        totals + " GROUP BY 1, 2, 3") &&
         exec(conn, "VACUUM (ANALYZE) ledger_entries") &&
         exec(conn, "VACUUM (ANALYZE) ledger_totals") &&
         exec(conn, "VACUUM (ANALYZE) ledger_month_totals");
}

int free_port() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

// nginx in the foreground in a session of its own, everything it writes under `dir`; the two
// routes' paths are aliases of the two files (the query is ignored, as for any static file).
class Nginx {
 public:
  Nginx(const std::string& binary, const fs::path& dir, int workers) : port_(free_port()) {
    fs::create_directories(dir / "tmp");
    std::ofstream(dir / "nginx.conf")
        << "worker_processes " << workers << ";\ndaemon off;\nmaster_process on;\n"
        << "pid " << (dir / "nginx.pid").string() << ";\n"
        << "error_log " << (dir / "error.log").string() << " warn;\n"
        << "events { worker_connections 1024; }\n"
        << "http {\n  access_log off;\n  types {}\n  default_type application/json;\n"
        << "  keepalive_requests 100000000;\n  keepalive_timeout 120s;\n"
        << "  client_body_temp_path " << (dir / "tmp").string() << ";\n"
        << "  proxy_temp_path " << (dir / "tmp").string() << ";\n"
        << "  fastcgi_temp_path " << (dir / "tmp").string() << ";\n"
        << "  uwsgi_temp_path " << (dir / "tmp").string() << ";\n"
        << "  scgi_temp_path " << (dir / "tmp").string() << ";\n"
        << "  server {\n    listen 127.0.0.1:" << port_ << ";\n"
        << "    location = /api/ledger/summary { alias " << (dir / "summary.json").string()
        << "; }\n"
        << "    location = /api/ledger/entries { alias " << (dir / "entries.json").string()
        << "; }\n  }\n}\n";
    std::string conf = (dir / "nginx.conf").string(), log = (dir / "error.log").string();
    pid_ = fork();
    if (pid_ == 0) {
      setsid();
      int out = open((dir / "nginx.out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      dup2(out, STDOUT_FILENO);
      dup2(out, STDERR_FILENO);
      execl(binary.c_str(), binary.c_str(), "-p", dir.c_str(), "-e", log.c_str(), "-c",
            conf.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
  }
  ~Nginx() {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
  }
  Nginx(const Nginx&) = delete;
  Nginx& operator=(const Nginx&) = delete;
  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  bool wait_ready() {
    for (int i = 0; i < 100; ++i) {
      if (test::http_get(port_, "/api/ledger/summary").status != 0) {
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

 private:
  int port_;
  pid_t pid_ = -1;
};

// CPU seconds (user and system, all threads) of `root` and of its children: a server's process
// tree, read from /proc; its children, not every postgres on this shared machine.
double tree_cpu_seconds(pid_t root) {
  auto of = [](const fs::path& stat, pid_t& parent) {
    std::ifstream in(stat);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto close_paren = text.rfind(')');
    if (close_paren == std::string::npos) {
      return -1.0;
    }
    std::istringstream rest(text.substr(close_paren + 2));
    std::string field;
    double utime = 0, stime = 0;
    for (int i = 3; i <= 15 && rest >> field; ++i) {
      if (i == 4) {
        parent = static_cast<pid_t>(std::atoi(field.c_str()));
      } else if (i == 14) {
        utime = std::atof(field.c_str());
      } else if (i == 15) {
        stime = std::atof(field.c_str());
      }
    }
    return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
  };
  double total = 0;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/proc", ec)) {
    auto name = e.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) {
      continue;
    }
    pid_t parent = 0;
    double cpu = of(e.path() / "stat", parent);
    if (cpu >= 0 && (std::atoi(name.c_str()) == root || parent == root)) {
      total += cpu;
    }
  }
  return total;
}

pid_t pid_in_file(const fs::path& file) {
  std::ifstream in(file);
  long pid = 0;
  in >> pid;
  return static_cast<pid_t>(pid);
}

// A load run with the CPU its servers' process trees spent per answer (us), unmeasured seconds
// included on both sides.
struct Measured {
  bench::LoadResult load;
  std::vector<double> cpu_us;
};

Measured measure(const std::vector<pid_t>& trees, const std::function<bench::LoadResult()>& run) {
  std::vector<double> before;
  for (auto pid : trees) {
    before.push_back(tree_cpu_seconds(pid));
  }
  Measured m{run(), {}};
  for (std::size_t i = 0; i < trees.size(); ++i) {
    double spent = tree_cpu_seconds(trees[i]) - before[i];
    m.cpu_us.push_back(
        m.load.all_answers > 0 ? spent * 1e6 / static_cast<double>(m.load.all_answers) : 0.0);
  }
  return m;
}

// Written whole, then renamed into place: nginx never serves half a file.
void write_file(const fs::path& path, const std::string& body) {
  auto part = path.string() + ".part";
  std::ofstream(part, std::ios::binary) << body;
  fs::permissions(part, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                            fs::perms::others_read);
  fs::rename(part, path);
}

void print_pair(std::int64_t size, const std::string& what, int conns, const Measured& b,
                const Measured& n) {
  const auto& boai = b.load;
  const auto& nginx = n.load;
  std::printf("%9lld  %-22s %5d  %9.0f %7.2f %7.2f   %9.0f %7.2f %7.2f   %5.2f",
              static_cast<long long>(size), what.c_str(), conns, boai.per_second(),
              boai.percentile_ms(0.5), boai.percentile_ms(0.99), nginx.per_second(),
              nginx.percentile_ms(0.5), nginx.percentile_ms(0.99),
              nginx.per_second() > 0 ? boai.per_second() / nginx.per_second() : 0.0);
  // CPU per answer: boai, its database (when the bench started it), nginx.
  std::printf("   %6.0f", b.cpu_us[0]);
  if (b.cpu_us.size() > 1) {
    std::printf(" %6.0f", b.cpu_us[1]);
  } else {
    std::printf(" %6s", "-");
  }
  std::printf(" %6.0f", n.cpu_us[0]);
  for (const auto* r : {&boai, &nginx}) {
    if (r->unexpected + r->reconnects > 0) {
      std::printf("  [%s: %lld unexpected status, %lld closed]", r == &boai ? "boai" : "nginx",
                  static_cast<long long>(r->unexpected), static_cast<long long>(r->reconnects));
    }
  }
  std::printf("\n");
  std::fflush(stdout);
}

// The route's own read, called `n` times one after another in this process over libpq: what a
// database worker spends per answer, without HTTP or boai's threads. Median and p99 in ms.
void print_floor(const char* what, int n, const std::function<bool()>& read) {
  std::vector<double> ms;
  bool ok = true;
  for (int i = 0; i < n; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    ok = read() && ok;
    ms.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  std::printf("  its read over libpq, one connection (%s): p50 %.2f ms, p99 %.2f ms%s\n", what,
              ms[ms.size() / 2], ms[ms.size() * 99 / 100], ok ? "" : " (a read failed)");
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--database-url") {
      o.url = value;
    } else if (flag == "--sizes") {
      o.sizes = list_of(value);
    } else if (flag == "--connections") {
      o.connections.clear();
      for (auto c : list_of(value)) {
        o.connections.push_back(static_cast<int>(c));
      }
    } else if (flag == "--seconds") {
      o.seconds = std::atof(value.c_str());
    } else if (flag == "--warmup") {
      o.warmup = std::atof(value.c_str());
    } else if (flag == "--nginx-workers") {
      o.nginx_workers = std::atoi(value.c_str());
    } else if (flag == "--nginx") {
      o.nginx = value;
    } else if (flag == "--keep") {
      o.keep = value != "0";
    } else {
      std::fprintf(stderr, "ledger_public: unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  if (access(o.nginx.c_str(), X_OK) != 0) {
    std::fprintf(stderr, "ledger_public: no nginx at %s (apt-get install nginx-light)\n",
                 o.nginx.c_str());
    return 1;
  }
  auto dir = fs::temp_directory_path() / ("boai-ledger-public-" + std::to_string(getpid()));
  fs::create_directories(dir / "www");
  fs::permissions(dir, fs::perms::all);
  fs::permissions(dir / "www", fs::perms::owner_all | fs::perms::group_read |
                                   fs::perms::group_exec | fs::perms::others_read |
                                   fs::perms::others_exec);
  std::printf("ledger_public: load average at the start %s\n", load_average().c_str());
  std::unique_ptr<app::EmbeddedPostgres> pg;
  if (o.url.empty()) {
    auto started = app::EmbeddedPostgres::start(dir / "data");
    if (!started) {
      std::fprintf(stderr, "ledger_public: %s\n", started.error().message.c_str());
      return 1;
    }
    pg = std::move(*started);
    o.url = pg->conninfo();
  }
  auto conn = sql::Connection::open(o.url);
  auto known = sql::parse_migrations(sql::embedded_migrations());
  if (!conn || !known || !sql::migrate(*conn, *known) || !make_catalog(*conn)) {
    std::fprintf(stderr, "ledger_public: cannot reach, migrate or fill the database\n");
    return 1;
  }
  Nginx nginx(o.nginx, dir / "www", o.nginx_workers);
  if (!nginx.wait_ready()) {
    std::fprintf(stderr, "ledger_public: nginx did not start (see %s)\n",
                 (dir / "www" / "nginx.out").c_str());
    return 1;
  }
  std::printf(
      "nginx: %d worker processes, static files, access_log off; boai: serve --no-studio "
      "(its I/O thread, loop thread, 2 database workers); %.0f s per line after %.1f s "
      "unmeasured, one generator thread (epoll)\n",
      o.nginx_workers, o.seconds, o.warmup);
  int status = 0;
  for (auto size : o.sizes) {
    auto t0 = std::chrono::steady_clock::now();
    if (!grow_ledger(*conn, size)) {
      return 1;
    }
    std::printf("\n%lld entries (grown in %.1f s), load average %s\n", static_cast<long long>(size),
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(),
                load_average().c_str());
    test::BoaiProcess boai({"serve", "--listen", "127.0.0.1:0", "--data-dir",
                            (dir / ("serve-" + std::to_string(size))).string(), "--no-studio"},
                           {{"BOAI_DATABASE_URL", o.url}});
    auto port = boai.wait_for_port();
    if (!port) {
      std::fprintf(stderr, "ledger_public: boai did not start:\n%s\n", boai.output().c_str());
      return 1;
    }
    std::vector<pid_t> boai_trees = {boai.pid()};
    if (pg) {
      boai_trees.push_back(pid_in_file(dir / "data" / "pg" / "postmaster.pid"));
    }
    std::string entries =
        "/api/ledger/entries?after_seq=" + std::to_string(size / 2) + "&limit=100";
    struct Route {
      std::string label, path, file;
    };
    std::vector<Route> routes = {{"summary", "/api/ledger/summary", "summary.json"},
                                 {"entries 100 at 1/2", entries, "entries.json"}};
    std::string boai_tag, nginx_tag;
    for (const auto& r : routes) {
      auto answer = test::http_get(*port, r.path);
      if (answer.status != 200) {
        std::fprintf(stderr, "ledger_public: %s gave %d\n", r.path.c_str(), answer.status);
        return 1;
      }
      write_file(dir / "www" / r.file, answer.body);
      auto copy = test::http_get(nginx.port(), r.path);
      if (copy.body != answer.body) {
        std::fprintf(stderr, "ledger_public: nginx's %s differs from boai's\n", r.path.c_str());
        return 1;
      }
      std::printf("  %-40s %7zu bytes, ETag %s, Cache-Control %s\n", r.path.c_str(),
                  answer.body.size(),
                  answer.headers.contains("etag") ? answer.headers["etag"].c_str() : "(none)",
                  answer.headers.contains("cache-control") ? answer.headers["cache-control"].c_str()
                                                           : "(none)");
      if (r.file == "summary.json") {
        boai_tag = answer.headers["etag"];
        nginx_tag = copy.headers["etag"];
      }
    }
    print_floor("summary", 300, [&] {
      auto j = openbooks::ledger_summary(*conn);
      return j && !j->dump().empty();
    });
    print_floor("entries page", 300, [&] {
      return static_cast<bool>(donations::public_ledger_page(*conn, size / 2, 100));
    });
    std::printf("%9s  %-22s %5s  %9s %7s %7s   %9s %7s %7s   %5s   %s %s %s\n", "entries",
                "request", "conns", "boai/s", "p50 ms", "p99 ms", "nginx/s", "p50 ms", "p99 ms",
                "ratio", "CPU us/answer: boai", "its pg", "nginx");
    for (const auto& r : routes) {
      for (int c : o.connections) {
        auto b = measure(boai_trees, [&] {
          return bench::run_load(*port, r.path, "", c, o.warmup, o.seconds, 200);
        });
        auto n = measure({nginx.pid()}, [&] {
          return bench::run_load(nginx.port(), r.path, "", c, o.warmup, o.seconds, 200);
        });
        print_pair(size, r.label, c, b, n);
      }
    }
    if (!boai_tag.empty()) {
      int c = o.connections.back();
      auto b = measure(boai_trees, [&] {
        return bench::run_load(*port, "/api/ledger/summary", "If-None-Match: " + boai_tag + "\r\n",
                               c, o.warmup, o.seconds, 304);
      });
      auto n = measure({nginx.pid()}, [&] {
        return bench::run_load(nginx.port(), "/api/ledger/summary",
                               "If-None-Match: " + nginx_tag + "\r\n", c, o.warmup, o.seconds, 304);
      });
      print_pair(size, "summary, 304", c, b, n);
    } else {
      std::printf("%9lld  summary, 304: boai sent no ETag\n", static_cast<long long>(size));
    }
    std::printf("load average after %lld entries: %s\n", static_cast<long long>(size),
                load_average().c_str());
    boai.signal(SIGTERM);
    if (boai.wait_exit() != 0) {
      std::fprintf(stderr, "ledger_public: boai did not stop cleanly:\n%s\n",
                   boai.output().c_str());
      status = 1;
    }
  }
  pg.reset();
  if (!o.keep) {
    std::error_code ec;
    fs::remove_all(dir, ec);
  } else {
    std::printf("kept %s\n", dir.c_str());
  }
  return status;
}
