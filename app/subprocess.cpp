// run_process: fork, drop privileges in the child when asked, exec, collect output, wait.
#include "app/subprocess.hpp"

#include <fcntl.h>
#include <grp.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

namespace boai::app {

ProcessResult run_process(const std::vector<std::string>& argv, std::optional<RunAs> run_as,
                          const std::string& working_dir) {
  // Everything the child needs is prepared before fork: after it, only async-signal-safe calls.
  std::vector<char*> args;
  for (const auto& a : argv) {
    args.push_back(const_cast<char*>(a.c_str()));
  }
  args.push_back(nullptr);
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) {
    return {-1, "cannot create a pipe"};
  }
  int dev_null = open("/dev/null", O_RDONLY | O_CLOEXEC);

  pid_t pid = fork();
  if (pid < 0) {
    close(out[0]);
    close(out[1]);
    if (dev_null >= 0) {
      close(dev_null);
    }
    return {-1, "cannot fork"};
  }
  if (pid == 0) {
    if (dev_null >= 0) {
      dup2(dev_null, STDIN_FILENO);
    }
    dup2(out[1], STDOUT_FILENO);
    dup2(out[1], STDERR_FILENO);
    if (run_as) {
      gid_t groups[1] = {run_as->gid};
      if (setgroups(1, groups) != 0 || setgid(run_as->gid) != 0 || setuid(run_as->uid) != 0) {
        _exit(126);
      }
    }
    if (chdir(working_dir.c_str()) != 0 && chdir("/") != 0) {
      _exit(126);
    }
    execv(args[0], args.data());
    _exit(127);
  }
  close(out[1]);
  if (dev_null >= 0) {
    close(dev_null);
  }
  ProcessResult result;
  char buf[4096];
  for (;;) {
    ssize_t n = read(out[0], buf, sizeof buf);
    if (n > 0) {
      result.output.append(buf, static_cast<std::size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  close(out[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (result.exit_code == 127 && result.output.empty()) {
    result.output = argv[0] + " could not be run";
  }
  return result;
}

std::string last_lines(const std::string& text, int count) {
  std::size_t pos = text.size();
  while (pos > 0 && text[pos - 1] == '\n') {
    --pos;
  }
  std::size_t end = pos;
  for (int i = 0; i < count && pos > 0; ++i) {
    pos = text.rfind('\n', pos - 1);
    if (pos == std::string::npos) {
      pos = 0;
      break;
    }
  }
  auto s = text.substr(pos, end - pos);
  while (!s.empty() && s.front() == '\n') {
    s.erase(0, 1);
  }
  return s;
}

}  // namespace boai::app
