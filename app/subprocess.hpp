// Running a helper program (initdb, pg_ctl) to completion, optionally as another user, with its
// output captured for error messages.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace boai::app {

struct RunAs {
  uid_t uid;
  gid_t gid;
};

struct ProcessResult {
  int exit_code = -1;  // -1 when it could not start or died of a signal
  std::string output;  // stdout and stderr together
};

ProcessResult run_process(const std::vector<std::string>& argv, std::optional<RunAs> run_as = {},
                          const std::string& working_dir = "/");

// The last few lines of a text, for a short error message.
std::string last_lines(const std::string& text, int count);

}  // namespace boai::app
