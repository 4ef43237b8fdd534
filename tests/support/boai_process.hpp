// A real `boai` child process for integration tests: started with arguments and environment,
// its output collected, its listening port read back, and signals sent to it.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace boai::test {

using namespace std::chrono_literals;

class BoaiProcess {
 public:
  // BOAI_* variables of the test's own environment are not passed on; extra_env is. With input,
  // standard input is a pipe that gives that text and then ends; without, it is the test's own.
  explicit BoaiProcess(const std::vector<std::string>& args,
                       const std::map<std::string, std::string>& extra_env = {},
                       const std::optional<std::string>& input = std::nullopt);
  ~BoaiProcess();  // SIGKILL if still running
  BoaiProcess(const BoaiProcess&) = delete;
  BoaiProcess& operator=(const BoaiProcess&) = delete;

  // The port from "listening on http://host:port/", or nullopt when it exited or timed out.
  std::optional<int> wait_for_port(std::chrono::milliseconds timeout = 60s);
  void signal(int sig);
  std::optional<int> wait_exit(std::chrono::milliseconds timeout = 30s);  // exit code
  // True once the output pipe has closed: every process holding it (boai, anything it started
  // without redirecting) has gone, and output() holds all they wrote.
  bool wait_output_end(std::chrono::milliseconds timeout = 30s);
  std::string output() const;
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  std::thread reader_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::string output_;
  bool eof_ = false;
  std::optional<int> exit_code_;
};

struct BoaiRun {
  int exit_code = -1;
  std::string output;
};

// Runs boai to the end (killed after the timeout).
BoaiRun run_boai(const std::vector<std::string>& args,
                 const std::map<std::string, std::string>& extra_env = {},
                 std::chrono::milliseconds timeout = 60s,
                 const std::optional<std::string>& input = std::nullopt);

}  // namespace boai::test
