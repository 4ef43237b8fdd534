// Starting, watching and stopping the servers bench/chat_fanout measures.
#include "bench/chat_fanout/servers.hpp"

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <deque>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

namespace fs = std::filesystem;

namespace boai::bench {

namespace {

using Clock = std::chrono::steady_clock;

// The limits `boai serve` would put on a viewer would refuse the benchmark itself: thousands of
// connections from one address and senders chatting far faster than 1 a second.
constexpr const char* kBoaiLimits =
    "connections_per_address=100000,messages_per_second=1000,message_burst=1000,"
    "queued_frames=4096";

std::string g_autogroup_nice;  // empty: leave the scheduler's defaults

pid_t spawn(const std::vector<std::string>& argv, const fs::path& log) {
  // Everything the child needs is prepared before fork: after it, only async-signal-safe calls.
  std::vector<char*> args;
  for (const auto& a : argv) {
    args.push_back(const_cast<char*>(a.c_str()));
  }
  args.push_back(nullptr);
  int out = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
  const std::string& nice = g_autogroup_nice;
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid == 0) {
    // A session of its own, as a daemon has: with the scheduler's autogroups (one per session)
    // the server would otherwise share one CPU share with the load generator. It also makes the
    // child a process group leader, so that stopping it reaches what it started.
    setsid();
    if (!nice.empty()) {
      int fd = open("/proc/self/autogroup", O_WRONLY | O_CLOEXEC);
      if (fd >= 0) {
        (void)!write(fd, nice.data(), nice.size());
        close(fd);
      }
    }
    // Should the benchmark die without cleaning up, its servers go too.
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) {
      _exit(126);
    }
    signal(SIGPIPE, SIG_DFL);  // ignored here, and an ignored signal stays ignored across exec
    if (in >= 0) {
      dup2(in, STDIN_FILENO);
    }
    if (out >= 0) {
      dup2(out, STDOUT_FILENO);
      dup2(out, STDERR_FILENO);
    }
    execvp(args[0], args.data());
    _exit(127);
  }
  if (out >= 0) {
    close(out);
  }
  if (in >= 0) {
    close(in);
  }
  return pid;
}

bool alive(pid_t pid) {
  return pid > 0 && (kill(pid, 0) == 0 || errno == EPERM);
}

int free_port() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0) {
    port = ntohs(a.sin_port);
  }
  close(fd);
  return port;
}

bool accepts_connections(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  close(fd);
  return ok;
}

std::expected<void, std::string> wait_listening(RunningServer& s, const fs::path& log,
                                                std::chrono::seconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    if (accepts_connections(s.port)) {
      return {};
    }
    if (!s.main.running()) {
      return std::unexpected(s.name + " exited:\n" + tail_of(log));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return std::unexpected(s.name + " did not listen on port " + std::to_string(s.port) + " within " +
                         std::to_string(timeout.count()) + " s:\n" + tail_of(log));
}

struct ProcStat {
  pid_t ppid = 0;
  long ticks = 0;  // utime + stime, with the children it reaped (cutime + cstime)
};

std::map<pid_t, ProcStat> all_processes() {
  std::map<pid_t, ProcStat> out;
  DIR* d = opendir("/proc");
  if (d == nullptr) {
    return out;
  }
  while (dirent* e = readdir(d)) {
    char* end = nullptr;
    long pid = std::strtol(e->d_name, &end, 10);
    if (pid <= 0 || *end != '\0') {
      continue;
    }
    std::ifstream f(std::string("/proc/") + e->d_name + "/stat");
    std::string line;
    if (!std::getline(f, line)) {
      continue;
    }
    auto paren = line.rfind(')');  // the command name may hold spaces and parentheses
    if (paren == std::string::npos) {
      continue;
    }
    std::istringstream fields(line.substr(paren + 2));
    std::vector<std::string> v;
    for (std::string w; fields >> w && v.size() < 15;) {
      v.push_back(w);
    }
    if (v.size() < 15) {
      continue;
    }
    // After the name: state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
    // utime stime cutime cstime.
    out[static_cast<pid_t>(pid)] = {
        static_cast<pid_t>(std::stol(v[1])),
        std::stol(v[11]) + std::stol(v[12]) + std::stol(v[13]) + std::stol(v[14])};
  }
  closedir(d);
  return out;
}

double tree_cpu_seconds(const std::vector<pid_t>& roots) {
  auto procs = all_processes();
  std::multimap<pid_t, pid_t> children;
  for (const auto& [pid, st] : procs) {
    children.emplace(st.ppid, pid);
  }
  long ticks = 0;
  std::deque<pid_t> todo(roots.begin(), roots.end());
  while (!todo.empty()) {
    pid_t p = todo.front();
    todo.pop_front();
    if (auto it = procs.find(p); it != procs.end()) {
      ticks += it->second.ticks;
    }
    auto [from, to] = children.equal_range(p);
    for (auto it = from; it != to; ++it) {
      todo.push_back(it->second);
    }
  }
  return static_cast<double>(ticks) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

fs::path make_dir(const fs::path& parent, const std::string& name) {
  fs::path dir = parent / name;
  std::error_code ec;
  fs::create_directories(dir, ec);
  // As root, boai runs its PostgreSQL as the postgres user, which must be able to enter it.
  chmod(dir.c_str(), 0755);
  return dir;
}

}  // namespace

bool set_autogroup_nice(int nice) {
  g_autogroup_nice = std::to_string(nice);
  int fd = open("/proc/self/autogroup", O_WRONLY | O_CLOEXEC);
  if (fd < 0) {
    return false;
  }
  bool ok = write(fd, g_autogroup_nice.data(), g_autogroup_nice.size()) > 0;
  close(fd);
  return ok;
}

Child::Child(const std::vector<std::string>& argv, const fs::path& log) : pid_(spawn(argv, log)) {}

Child& Child::operator=(Child&& o) noexcept {
  if (this != &o) {
    stop(std::chrono::seconds(30));
    pid_ = o.pid_;
    o.pid_ = -1;
  }
  return *this;
}

bool Child::running() {
  if (pid_ <= 0) {
    return false;
  }
  int status = 0;
  pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == 0) {
    return true;
  }
  if (r == pid_) {
    kill(-pid_, SIGKILL);  // whatever it left behind in its group
    pid_ = -1;
  }
  return false;
}

void Child::stop(std::chrono::seconds grace) {
  if (pid_ <= 0) {
    return;
  }
  kill(pid_, SIGTERM);
  auto deadline = Clock::now() + grace;
  int status = 0;
  while (waitpid(pid_, &status, WNOHANG) == 0) {
    if (Clock::now() > deadline) {
      kill(-pid_, SIGKILL);
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  kill(-pid_, SIGKILL);
  pid_ = -1;
}

int run_to_end(const std::vector<std::string>& argv, const fs::path& log) {
  pid_t pid = spawn(argv, log);
  if (pid <= 0) {
    return -1;
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string tail_of(const fs::path& log, int lines) {
  std::ifstream f(log);
  std::deque<std::string> last;
  for (std::string line; std::getline(f, line);) {
    last.push_back(line);
    if (static_cast<int>(last.size()) > lines) {
      last.pop_front();
    }
  }
  std::string out;
  for (const auto& l : last) {
    out += "    " + l + "\n";
  }
  return out;
}

RunningServer::~RunningServer() {
  main.stop(std::chrono::seconds(30));
  // boai stops the PostgreSQL it started; should it not have, fast shutdown, then kill.
  for (pid_t p : helpers) {
    if (!alive(p)) {
      continue;
    }
    kill(p, SIGINT);
    auto deadline = Clock::now() + std::chrono::seconds(15);
    while (alive(p) && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (alive(p)) {
      kill(p, SIGKILL);
    }
  }
  if (!remove_when_done.empty()) {
    std::error_code ec;
    fs::remove_all(remove_when_done, ec);
  }
}

double RunningServer::main_cpu_seconds() const {
  return tree_cpu_seconds({main.pid()});
}

double RunningServer::all_cpu_seconds() const {
  std::vector<pid_t> roots = helpers;
  roots.push_back(main.pid());
  return tree_cpu_seconds(roots);
}

long RunningServer::rss_kib() const {
  std::ifstream f("/proc/" + std::to_string(main.pid()) + "/status");
  for (std::string line; std::getline(f, line);) {
    if (line.rfind("VmRSS:", 0) == 0) {
      return std::stol(line.substr(6));
    }
  }
  return -1;
}

Started start_boai(const Tools& tools) {
  if (tools.boai.empty() || access(tools.boai.c_str(), X_OK) != 0) {
    return std::unexpected("no boai binary at \"" + tools.boai + "\" (build it, or give --boai)");
  }
  auto s = std::make_unique<RunningServer>();
  s->name = "boai serve";
  s->path = "/ws";
  s->protocol = "boai.v1";
  fs::path data = make_dir(tools.work, "boai-data");
  if (!tools.keep) {
    s->remove_when_done = data;
  }
  fs::path log = tools.work / "boai.log";
  int rc = run_to_end({tools.boai, "campaign", "add", "bench", "--title", "Bench", "--goal", "1",
                       "--live", "--data-dir", data.string()},
                      log);
  if (rc != 0) {
    return std::unexpected("boai campaign add failed:\n" + tail_of(log));
  }
  s->port = free_port();
  s->main = Child({tools.boai, "serve", "--listen", "127.0.0.1:" + std::to_string(s->port),
                   "--data-dir", data.string(), "--limits", kBoaiLimits},
                  log);
  if (auto w = wait_listening(*s, log, std::chrono::seconds(90)); !w) {
    return std::unexpected(w.error());
  }
  // boai's PostgreSQL runs detached (pg_ctl), outside boai's process tree: its CPU is part of
  // every chat message's cost, since each one is stored before it is broadcast.
  std::ifstream pid_file(data / "pg" / "postmaster.pid");
  long pm = 0;
  if (pid_file >> pm && pm > 0) {
    s->helpers.push_back(static_cast<pid_t>(pm));
  }
  return s;
}

Started start_ws_peer(const Tools& tools) {
  fs::path script = fs::path(tools.peers_dir) / "server.mjs";
  if (!fs::exists(script)) {
    return std::unexpected("no " + script.string() + " (give --peers-dir)");
  }
  if (!fs::exists(fs::path(tools.peers_dir) / "node_modules" / "ws")) {
    return std::unexpected("the ws package is missing in " + tools.peers_dir +
                           " (run scripts/install-deps)");
  }
  auto s = std::make_unique<RunningServer>();
  s->name = "ws (Node)";
  s->path = "/ws";
  s->protocol = "boai.v1";
  s->port = free_port();
  fs::path log = tools.work / "ws.log";
  s->main = Child({tools.node, script.string(), std::to_string(s->port), "127.0.0.1"}, log);
  if (auto w = wait_listening(*s, log, std::chrono::seconds(30)); !w) {
    return std::unexpected(w.error());
  }
  return s;
}

Started start_lws_mirror(const Tools& tools) {
  if (access(tools.lws_test_server.c_str(), X_OK) != 0) {
    return std::unexpected("no " + tools.lws_test_server +
                           " (apt-get install libwebsockets-test-server, or scripts/install-deps)");
  }
  auto s = std::make_unique<RunningServer>();
  s->name = "lws-test-server";
  s->path = "/?mirror=bench";  // one named mirror instance: the room
  s->protocol = "lws-mirror-protocol";
  s->hello = false;  // its mirror protocol relays raw text; connecting joins the (one) mirror
  s->port = free_port();
  fs::path log = tools.work / "lws.log";
  // -i lo: loopback only; -d 1: errors only, not a line per connection.
  s->main =
      Child({tools.lws_test_server, "-p", std::to_string(s->port), "-i", "lo", "-d", "1"}, log);
  if (auto w = wait_listening(*s, log, std::chrono::seconds(30)); !w) {
    return std::unexpected(w.error());
  }
  return s;
}

std::string load_average() {
  std::ifstream f("/proc/loadavg");
  std::string a, b, c;
  f >> a >> b >> c;
  return a + " " + b + " " + c;
}

}  // namespace boai::bench
