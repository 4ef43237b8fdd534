// The three servers bench/chat_fanout measures: each started in processes of its own, watched
// through /proc (CPU time, memory), and always stopped again, also when the run fails.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <expected>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace boai::bench {

// A child process leading a process group of its own. The destructor stops it: SIGTERM, a grace
// period, then SIGKILL to the whole group.
class Child {
 public:
  Child() = default;
  Child(const std::vector<std::string>& argv, const std::filesystem::path& log);
  ~Child() { stop(std::chrono::seconds(30)); }
  Child(Child&& o) noexcept : pid_(o.pid_) { o.pid_ = -1; }
  Child& operator=(Child&& o) noexcept;
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  pid_t pid() const { return pid_; }
  bool running();
  void stop(std::chrono::seconds grace);

 private:
  pid_t pid_ = -1;
};

// Runs a command to its end with its output in `log`; returns its exit code (-1: no exit).
int run_to_end(const std::vector<std::string>& argv, const std::filesystem::path& log);

// The last lines of a log, to show why something did not start.
std::string tail_of(const std::filesystem::path& log, int lines = 8);

// A server under test, listening on 127.0.0.1:port.
class RunningServer {
 public:
  ~RunningServer();
  RunningServer() = default;
  RunningServer(const RunningServer&) = delete;
  RunningServer& operator=(const RunningServer&) = delete;

  std::string name;
  int port = 0;
  std::string path;      // of the WebSocket endpoint
  std::string protocol;  // the subprotocol the client asks for
  bool hello = true;     // false: connecting is joining (the mirror), no hello and no welcome

  Child main;
  std::vector<pid_t> helpers;  // processes the server started outside its tree (its PostgreSQL)
  std::filesystem::path remove_when_done;

  // CPU seconds of the main process tree, and of it together with its helpers' trees.
  double main_cpu_seconds() const;
  double all_cpu_seconds() const;
  long rss_kib() const;  // of the main process
};

struct Tools {
  std::string boai;             // the boai binary
  std::string node = "node";    // for the ws peer
  std::string peers_dir;        // bench/peers, with node_modules
  std::string lws_test_server;  // Debian's libwebsockets-test-server
  std::filesystem::path work;   // logs and data go here
  bool keep = false;            // keep boai's data directory
};

// Each starts one server and waits until it listens, or says why it could not.
using Started = std::expected<std::unique_ptr<RunningServer>, std::string>;
Started start_boai(const Tools& tools);
Started start_ws_peer(const Tools& tools);
Started start_lws_mirror(const Tools& tools);

// Runs this process's session and every server's (each has its own) at this nice value. With
// the scheduler's autogroups, a process's own nice value only counts inside its session.
bool set_autogroup_nice(int nice);

// The machine's load average, as /proc/loadavg has it (three numbers).
std::string load_average();

}  // namespace boai::bench
