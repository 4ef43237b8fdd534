// BoaiProcess: fork/exec of the built binary with a reader thread on its output.
#include "tests/support/boai_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>

extern char** environ;

namespace boai::test {

BoaiProcess::BoaiProcess(const std::vector<std::string>& args,
                         const std::map<std::string, std::string>& extra_env,
                         const std::optional<std::string>& input) {
  std::vector<std::string> argv_s = {BOAI_BINARY};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<std::string> env_s;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::string_view(*e).starts_with("BOAI_")) {
      continue;
    }
    env_s.emplace_back(*e);
  }
  for (const auto& [k, v] : extra_env) {
    env_s.push_back(k + "=" + v);
  }
  std::vector<char*> argv, envp;
  for (auto& a : argv_s) {
    argv.push_back(a.data());
  }
  argv.push_back(nullptr);
  for (auto& e : env_s) {
    envp.push_back(e.data());
  }
  envp.push_back(nullptr);

  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) {
    throw std::runtime_error("pipe failed");
  }
  int in[2] = {-1, -1};
  if (input && pipe2(in, O_CLOEXEC) != 0) {
    throw std::runtime_error("pipe failed");
  }
  pid_ = fork();
  if (pid_ == 0) {
    if (input) {
      dup2(in[0], STDIN_FILENO);
    }
    dup2(out[1], STDOUT_FILENO);
    dup2(out[1], STDERR_FILENO);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  close(out[1]);
  if (input) {
    // Test inputs are a line or two: far less than a pipe holds, so this write cannot block.
    // Written before our read end closes, so a child that died early is no SIGPIPE here.
    (void)!write(in[1], input->data(), input->size());
    close(in[1]);
    close(in[0]);
  }
  out_fd_ = out[0];
  reader_ = std::thread([this] {
    char buf[4096];
    for (;;) {
      ssize_t n = read(out_fd_, buf, sizeof buf);
      if (n <= 0 && errno == EINTR) {
        continue;
      }
      std::lock_guard lock(mutex_);
      if (n <= 0) {
        eof_ = true;
        changed_.notify_all();
        return;
      }
      output_.append(buf, static_cast<std::size_t>(n));
      changed_.notify_all();
    }
  });
}

BoaiProcess::~BoaiProcess() {
  if (!exit_code_) {
    kill(pid_, SIGKILL);
    wait_exit(10s);
  }
  if (reader_.joinable()) {
    reader_.join();
  }
  close(out_fd_);
}

std::optional<int> BoaiProcess::wait_for_port(std::chrono::milliseconds timeout) {
  // The line reads "boai: listening on http://HOST:PORT/".
  std::unique_lock lock(mutex_);
  std::optional<int> port;
  changed_.wait_for(lock, timeout, [&] {
    auto at = output_.find("listening on http://");
    auto end = at == std::string::npos ? at : output_.find('/', at + 20);
    if (end != std::string::npos) {
      auto colon = output_.rfind(':', end);
      port = std::stoi(output_.substr(colon + 1, end - colon - 1));
    }
    return port.has_value() || eof_;
  });
  return port;
}

void BoaiProcess::signal(int sig) {
  kill(pid_, sig);
}

std::optional<int> BoaiProcess::wait_exit(std::chrono::milliseconds timeout) {
  if (exit_code_) {
    return exit_code_;
  }
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int status = 0;
    pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      return exit_code_;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      return std::nullopt;
    }
    std::this_thread::sleep_for(20ms);
  }
}

bool BoaiProcess::wait_output_end(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return eof_; });
}

std::string BoaiProcess::output() const {
  std::lock_guard lock(mutex_);
  return output_;
}

BoaiRun run_boai(const std::vector<std::string>& args,
                 const std::map<std::string, std::string>& extra_env,
                 std::chrono::milliseconds timeout, const std::optional<std::string>& input) {
  BoaiProcess p(args, extra_env, input);
  auto code = p.wait_exit(timeout);
  if (!code) {
    p.signal(SIGKILL);
    code = p.wait_exit(10s);
  }
  // The reader has everything once the pipe is closed, not when the process has exited.
  if (!p.wait_output_end()) {
    throw std::runtime_error("boai exited, but its output did not end within 30 s");
  }
  return {code.value_or(-1), p.output()};
}

}  // namespace boai::test
