// The generator: each connection sends, reads until the head and Content-Length bytes of body are
// in (no body for 304), times the exchange, and sends again. A closed connection is opened again.
#include "bench/ledger_public/http_load.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace boai::bench {

namespace {

using Clock = std::chrono::steady_clock;

struct Conn {
  int fd = -1;
  std::string in;
  Clock::time_point sent;
};

int open_conn(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    throw std::runtime_error(std::string("connect: ") + std::strerror(errno));
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

// Bytes of a complete answer at the front of `in` (head and body), 0 while incomplete; status set.
std::size_t complete_answer(const std::string& in, int& status) {
  auto head_end = in.find("\r\n\r\n");
  if (head_end == std::string::npos || in.size() < 12) {
    return 0;
  }
  status = std::atoi(in.c_str() + 9);
  std::size_t length = 0;
  if (status != 304 && status != 204) {
    for (std::size_t at = in.find("\r\n"); at < head_end; at = in.find("\r\n", at + 2)) {
      if (strncasecmp(in.c_str() + at + 2, "content-length:", 15) == 0) {
        length = std::strtoull(in.c_str() + at + 17, nullptr, 10);
      } else if (strncasecmp(in.c_str() + at + 2, "transfer-encoding:", 18) == 0) {
        throw std::runtime_error("chunked answers are not read by this generator");
      }
    }
  }
  std::size_t total = head_end + 4 + length;
  return in.size() >= total ? total : 0;
}

}  // namespace

double LoadResult::percentile_ms(double p) const {
  if (latencies_us.empty()) {
    return 0;
  }
  auto i = static_cast<std::size_t>(p * static_cast<double>(latencies_us.size() - 1) + 0.5);
  return latencies_us[std::min(i, latencies_us.size() - 1)] / 1000.0;
}

LoadResult run_load(int port, const std::string& path, const std::string& extra_headers,
                    int connections, double warmup, double seconds, int expect_status) {
  std::string request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                        "\r\n" + extra_headers + "\r\n";
  int ep = epoll_create1(EPOLL_CLOEXEC);
  std::vector<Conn> conns(static_cast<std::size_t>(connections));
  auto send_request = [&](std::size_t k) {
    auto& c = conns[k];
    c.sent = Clock::now();
    // A request is far smaller than a socket's send buffer: one write takes it all.
    if (send(c.fd, request.data(), request.size(), MSG_NOSIGNAL) !=
        static_cast<ssize_t>(request.size())) {
      throw std::runtime_error(std::string("send: ") + std::strerror(errno));
    }
  };
  auto open_at = [&](std::size_t k) {
    conns[k].fd = open_conn(port);
    conns[k].in.clear();
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = k;
    epoll_ctl(ep, EPOLL_CTL_ADD, conns[k].fd, &ev);
    send_request(k);
  };
  for (std::size_t k = 0; k < conns.size(); ++k) {
    open_at(k);
  }
  LoadResult out;
  auto start = Clock::now() +
               std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(warmup));
  auto end =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  out.latencies_us.reserve(1 << 20);
  std::vector<epoll_event> events(conns.size());
  char buf[65536];
  for (auto now = Clock::now(); now < end; now = Clock::now()) {
    int n = epoll_wait(ep, events.data(), static_cast<int>(events.size()), 100);
    for (int e = 0; e < n; ++e) {
      auto k = static_cast<std::size_t>(events[static_cast<std::size_t>(e)].data.u64);
      auto& c = conns[k];
      ssize_t got = recv(c.fd, buf, sizeof buf, 0);
      if (got <= 0) {
        if (got < 0 && errno == EINTR) {
          continue;
        }
        epoll_ctl(ep, EPOLL_CTL_DEL, c.fd, nullptr);
        close(c.fd);
        ++out.reconnects;
        open_at(k);
        continue;
      }
      c.in.append(buf, static_cast<std::size_t>(got));
      int status = 0;
      std::size_t used = complete_answer(c.in, status);
      if (used == 0) {
        continue;
      }
      auto done = Clock::now();
      ++out.all_answers;
      if (c.sent >= start && done <= end) {
        ++out.answers;
        out.bytes += static_cast<std::int64_t>(used - (c.in.find("\r\n\r\n") + 4));
        out.unexpected += status == expect_status ? 0 : 1;
        out.latencies_us.push_back(
            std::chrono::duration<double, std::micro>(done - c.sent).count());
      }
      c.in.erase(0, used);
      send_request(k);
    }
  }
  for (auto& c : conns) {
    close(c.fd);
  }
  close(ep);
  out.seconds = seconds;
  std::sort(out.latencies_us.begin(), out.latencies_us.end());
  return out;
}

}  // namespace boai::bench
