// A child process run to its end with its time and its own peak memory, for the tests and the
// benchmarks that hold memory to a bound. The peak is VmHWM read at the child's exit stop
// (ptrace, PTRACE_EVENT_EXIT): wait4's ru_maxrss would count the forked copy of the parent made
// before exec, since Linux keeps the larger of the two mm's high-water marks.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace boai::test {

struct ChildSetup {
  std::filesystem::path output;         // stdout and stderr, appended to this file
  std::vector<std::string> extra_env;   // "NAME=value", set in the child before exec
  long address_space_mb = 0;            // RLIMIT_AS (ulimit -v); 0: none
  std::chrono::milliseconds timeout{};  // SIGKILL after it; 0: none
};

struct ChildPeak {
  int exit_code = -1;      // -1: killed by a signal (the timeout's too) or not started
  double seconds = 0;      // wall clock, fork to reaping
  double cpu_seconds = 0;  // user + system, the child alone
  long peak_kb = -1;       // VmHWM at its exit stop; -1 when it never reached it
};

// argv[0] is looked up in PATH. LeakSanitizer cannot stop a traced process's world: give an
// ASan child detect_leaks=0 in extra_env.
ChildPeak run_for_peak(const std::vector<std::string>& argv, const ChildSetup& setup);

}  // namespace boai::test
