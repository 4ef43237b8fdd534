// run_for_peak: fork, PTRACE_TRACEME, exec; the parent continues every stop, reads
// /proc/PID/status at the exit stop, and reaps with wait4 for the CPU time.
#include "tests/support/child_peak.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <thread>

namespace boai::test {

namespace {

using Clock = std::chrono::steady_clock;

// The "VmHWM:" line of /proc/PID/status, in kB.
long peak_resident_kb(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with("VmHWM:")) {
      return std::stol(line.substr(6));
    }
  }
  return -1;
}

[[noreturn]] void exec_child(std::vector<std::string> args, const ChildSetup& setup) {
  int out = open(setup.output.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  dup2(out, STDOUT_FILENO);
  dup2(out, STDERR_FILENO);
  std::vector<std::string> env = setup.extra_env;
  for (auto& e : env) {
    putenv(e.data());
  }
  if (setup.address_space_mb > 0) {
    auto bytes = static_cast<rlim_t>(setup.address_space_mb) << 20;
    rlimit limit{bytes, bytes};
    setrlimit(RLIMIT_AS, &limit);
  }
  std::vector<char*> argv;
  for (auto& a : args) {
    argv.push_back(a.data());
  }
  argv.push_back(nullptr);
  ptrace(PTRACE_TRACEME, 0, nullptr, nullptr);
  execvp(argv[0], argv.data());
  _exit(127);
}

// wait4 for pid, polling when there is a deadline (SIGKILL when it passes).
pid_t wait_child(pid_t pid, int& status, rusage& usage, std::optional<Clock::time_point> deadline) {
  if (!deadline) {
    return wait4(pid, &status, 0, &usage);
  }
  for (;;) {
    pid_t got = wait4(pid, &status, WNOHANG, &usage);
    if (got != 0) {
      return got;
    }
    if (Clock::now() > *deadline) {
      kill(pid, SIGKILL);
      return wait4(pid, &status, 0, &usage);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // polling for the exit
  }
}

}  // namespace

ChildPeak run_for_peak(const std::vector<std::string>& argv, const ChildSetup& setup) {
  ChildPeak run;
  auto start = Clock::now();
  std::optional<Clock::time_point> deadline;
  if (setup.timeout.count() > 0) {
    deadline = start + setup.timeout;
  }
  pid_t pid = fork();
  if (pid < 0) {
    return run;
  }
  if (pid == 0) {
    exec_child(argv, setup);
  }
  int status = 0;
  rusage usage{};
  bool options_set = false;
  for (;;) {
    pid_t got = wait_child(pid, status, usage, deadline);
    if (got < 0 || !WIFSTOPPED(status)) {
      break;
    }
    int signal = 0;
    if (!options_set) {
      // The stop after the first exec. Later execs (a wrapper such as Debian's psql, which
      // execs the real one) then stop as PTRACE_EVENT_EXEC, not with a SIGTRAP to pass on.
      ptrace(PTRACE_SETOPTIONS, pid, nullptr, PTRACE_O_TRACEEXIT | PTRACE_O_TRACEEXEC);
      options_set = true;
    } else if (status >> 8 == (SIGTRAP | (PTRACE_EVENT_EXIT << 8))) {
      run.peak_kb = peak_resident_kb(pid);
    } else if (status >> 8 == (SIGTRAP | (PTRACE_EVENT_EXEC << 8))) {
      // another program in the same process: nothing to pass on
    } else {
      signal = WSTOPSIG(status);  // the child's own signal, passed on
    }
    ptrace(PTRACE_CONT, pid, nullptr, reinterpret_cast<void*>(static_cast<long>(signal)));
  }
  run.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  auto secs = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  run.cpu_seconds = secs(usage.ru_utime) + secs(usage.ru_stime);
  return run;
}

}  // namespace boai::test
