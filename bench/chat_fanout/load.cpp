// The load generator of bench/chat_fanout: one thread, one epoll loop, non-blocking sockets, a
// timerfd pacing the senders. A message's text carries its id; its send time is kept here, so a
// delivery costs a recv, a frame parse and a lookup, and the generator stays far ahead of servers.
#include "bench/chat_fanout/load.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string_view>

#include "bench/chat_fanout/report.hpp"
#include "bench/chat_fanout/ws_client.hpp"

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

namespace boai::bench {

volatile int g_stop = 0;

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kReadBuffer = 256 * 1024;
// Connections between connect() and their welcome at any time: enough to join 10,000 in seconds,
// few enough to stay inside the servers' listen backlogs.
constexpr int kMaxHandshaking = 256;
constexpr std::uint64_t kTimerTag = ~0ULL;
constexpr std::string_view kTag = "cf#";  // in a chat text: "cf#<message id>#"

enum class Phase : std::uint8_t { kNew, kConnecting, kUpgrading, kJoining, kJoined, kDone };

struct Conn {
  int fd = -1;
  Phase phase = Phase::kNew;
  bool writing = false;   // EPOLLOUT is asked for
  std::string in;         // received bytes not parsed yet (a partial frame)
  std::string out;        // bytes not written yet
  std::string accept;     // the Sec-WebSocket-Accept expected, while upgrading
  std::string fragments;  // a fragmented text message being put together
};

double seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

double cpu_seconds_of_self() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// Send-to-receipt times in 0.1 ms buckets up to a minute. Percentiles are taken over the
// deliveries expected, so a message that never arrived counts as later than any that did.
class Histogram {
 public:
  Histogram() : counts_(kBuckets, 0) {}
  void add(std::int64_t ns) {
    auto b = static_cast<std::size_t>(std::max<std::int64_t>(ns, 0) / 100'000);
    ++counts_[std::min(b, kBuckets - 1)];
  }
  void clear() { std::fill(counts_.begin(), counts_.end(), 0); }
  double percentile_ms(double q, long expected) const {
    auto rank = static_cast<long>(std::ceil(q * static_cast<double>(expected)));
    if (rank <= 0) {
      return 0;
    }
    long seen = 0;
    for (std::size_t b = 0; b < kBuckets; ++b) {
      seen += counts_[b];
      if (seen >= rank) {
        return static_cast<double>(b + 1) * 0.1;  // the bucket's upper edge
      }
    }
    return std::numeric_limits<double>::infinity();
  }

 private:
  static constexpr std::size_t kBuckets = 600'000;
  std::vector<std::uint32_t> counts_;
};

class Generator {
 public:
  Generator(const LoadConfig& config, const RunningServer& server)
      : config_(config),
        server_(server),
        conns_(static_cast<std::size_t>(config.viewers)),
        buffer_(kReadBuffer),
        epoch_(Clock::now()) {
    epoll_ = epoll_create1(EPOLL_CLOEXEC);
    timer_ = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (epoll_ < 0 || timer_ < 0) {
      throw std::runtime_error("epoll or timerfd unavailable");
    }
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = kTimerTag;
    epoll_ctl(epoll_, EPOLL_CTL_ADD, timer_, &ev);
    host_port_ = "127.0.0.1:" + std::to_string(server.port);
  }
  ~Generator() {
    for (auto& c : conns_) {
      if (c.fd >= 0) {
        close(c.fd);
      }
    }
    close(timer_);
    close(epoll_);
  }
  Generator(const Generator&) = delete;
  Generator& operator=(const Generator&) = delete;

  RunFigures run() {
    figures_.rss_before_kib = server_.rss_kib();
    auto start = Clock::now();
    connect_all();
    figures_.connect_seconds = seconds(Clock::now() - start);
    figures_.joined = joined_;
    std::printf("  %-16s %d of %d viewers joined in %.1f s", server_.name.c_str(), joined_,
                config_.viewers, figures_.connect_seconds);
    // Let the room settle (viewer counts, welcome queues) before weighing the idle connections.
    poll_for(std::chrono::seconds(2));
    figures_.rss_after_kib = server_.rss_kib();
    if (joined_ > 0) {
      figures_.rss_kib_per_viewer =
          static_cast<double>(figures_.rss_after_kib - figures_.rss_before_kib) / joined_;
    }
    std::printf("; RSS %ld -> %ld KiB, %.1f KiB per idle viewer\n", figures_.rss_before_kib,
                figures_.rss_after_kib, figures_.rss_kib_per_viewer);
    print_failures(figures_.failures);
    std::fflush(stdout);
    if (joined_ == 0) {
      return figures_;
    }
    int over_in_a_row = 0;
    for (double rate : config_.rates) {
      if (g_stop) {
        break;
      }
      auto f = run_step(rate);
      if (g_stop) {
        break;  // a step cut short says nothing
      }
      figures_.steps.push_back(f);
      print_step(server_.name, f);
      // One step over the limit may be a neighbour's burst on a shared machine; two in a row
      // are the server's.
      over_in_a_row = f.passed ? 0 : over_in_a_row + 1;
      if (config_.stop_after > 0 && over_in_a_row >= config_.stop_after) {
        break;
      }
      poll_for(std::chrono::milliseconds(500));  // a quiet moment between steps
    }
    figures_.interrupted = g_stop != 0;
    return figures_;
  }

 private:
  std::int64_t now_ns() const {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(now_ - epoch_).count();
  }

  std::uint32_t next_mask() {
    mask_ ^= mask_ << 13;  // xorshift32: masks need not be secret here, only present
    mask_ ^= mask_ >> 17;
    mask_ ^= mask_ << 5;
    return mask_;
  }

  void connect_all() {
    auto deadline =
        Clock::now() + std::chrono::seconds(30) + std::chrono::milliseconds(5) * config_.viewers;
    std::size_t next = 0;
    while (g_stop == 0) {
      while (next < conns_.size() && handshaking_ < kMaxHandshaking) {
        open_connection(next++);
      }
      if (next == conns_.size() && handshaking_ == 0) {
        break;
      }
      if (Clock::now() > deadline) {
        for (auto& c : conns_) {
          if (c.fd >= 0 && c.phase != Phase::kJoined) {
            fail(c, "no welcome in time");
          }
        }
        break;
      }
      poll(50);
    }
  }

  void open_connection(std::size_t i) {
    Conn& c = conns_[i];
    c.fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c.fd < 0) {
      ++figures_.failures[std::string("socket: ") + std::strerror(errno)];
      c.phase = Phase::kDone;
      return;
    }
    int one = 1;
    // Chat frames are small and latency is what is measured: no waiting to coalesce them.
    setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    // Several loopback source addresses, each with its own ephemeral ports; the port is chosen
    // at connect() so that bind() does not reserve one per address.
    setsockopt(c.fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    sockaddr_in src{};
    src.sin_family = AF_INET;
    src.sin_addr.s_addr =
        htonl(INADDR_LOOPBACK +
              static_cast<std::uint32_t>(i % static_cast<std::size_t>(config_.source_addresses)));
    sockaddr_in dst{};
    dst.sin_family = AF_INET;
    dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    dst.sin_port = htons(static_cast<std::uint16_t>(server_.port));
    c.phase = Phase::kConnecting;
    ++handshaking_;
    if (bind(c.fd, reinterpret_cast<sockaddr*>(&src), sizeof src) != 0) {
      return fail(c, std::string("bind: ") + std::strerror(errno));
    }
    if (connect(c.fd, reinterpret_cast<sockaddr*>(&dst), sizeof dst) != 0 && errno != EINPROGRESS) {
      return fail(c, std::string("connect: ") + std::strerror(errno));
    }
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLOUT;
    ev.data.u64 = i;
    c.writing = true;
    epoll_ctl(epoll_, EPOLL_CTL_ADD, c.fd, &ev);
  }

  void poll(int timeout_ms) {
    epoll_event events[512];
    int n = epoll_wait(epoll_, events, 512, timeout_ms);
    now_ = Clock::now();
    if (n < 0) {
      if (errno == EINTR) {
        return;
      }
      throw std::runtime_error(std::string("epoll_wait: ") + std::strerror(errno));
    }
    for (int k = 0; k < n; ++k) {
      if (events[k].data.u64 == kTimerTag) {
        on_timer();
        continue;
      }
      Conn& c = conns_[events[k].data.u64];
      if (c.fd < 0) {
        continue;  // closed earlier in this batch
      }
      std::uint32_t e = events[k].events;
      if ((e & EPOLLOUT) != 0 || (c.phase == Phase::kConnecting && (e & EPOLLERR) != 0)) {
        on_writable(c);
      }
      if (c.fd >= 0 && (e & (EPOLLIN | EPOLLERR | EPOLLHUP)) != 0) {
        on_readable(c);
      }
    }
  }

  void poll_for(Clock::duration d) {
    auto until = Clock::now() + d;
    while (g_stop == 0 && Clock::now() < until) {
      poll(20);
    }
  }

  void want_write(Conn& c, bool on) {
    if (c.writing == on) {
      return;
    }
    c.writing = on;
    epoll_event ev{};
    ev.events = EPOLLIN | (on ? EPOLLOUT : 0u);
    ev.data.u64 = static_cast<std::uint64_t>(&c - conns_.data());
    epoll_ctl(epoll_, EPOLL_CTL_MOD, c.fd, &ev);
  }

  void flush(Conn& c) {
    std::size_t done = 0;
    while (done < c.out.size()) {
      ssize_t n = send(c.fd, c.out.data() + done, c.out.size() - done, MSG_NOSIGNAL);
      if (n > 0) {
        done += static_cast<std::size_t>(n);
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        break;
      } else {
        return fail(c, std::string("send: ") + std::strerror(errno));
      }
    }
    c.out.erase(0, done);
    want_write(c, !c.out.empty());
  }

  void on_writable(Conn& c) {
    if (c.phase != Phase::kConnecting) {
      return flush(c);
    }
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) {
      return fail(c, std::string("connect: ") + std::strerror(err));
    }
    std::string key = make_key();
    c.accept = expected_accept(key);
    c.out = upgrade_request(host_port_, server_.path, server_.protocol, key);
    c.phase = Phase::kUpgrading;
    flush(c);
  }

  void on_readable(Conn& c) {
    ssize_t n = recv(c.fd, buffer_.data(), buffer_.size(), 0);
    if (n == 0) {
      return fail(c, "connection closed by the server");
    }
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
        return;
      }
      return fail(c, std::string("recv: ") + std::strerror(errno));
    }
    now_ = Clock::now();  // the receipt time of everything in this read
    std::string_view data(buffer_.data(), static_cast<std::size_t>(n));
    if (c.phase == Phase::kUpgrading) {
      return on_upgrade_bytes(c, data);
    }
    take_bytes(c, data);
  }

  void on_upgrade_bytes(Conn& c, std::string_view data) {
    c.in.append(data);
    auto end = c.in.find("\r\n\r\n");
    if (end == std::string::npos) {
      if (c.in.size() > 16384) {
        fail(c, "upgrade response too long");
      }
      return;
    }
    std::string why = check_upgrade_response(std::string_view(c.in).substr(0, end + 4), c.accept,
                                             server_.protocol);
    if (!why.empty()) {
      return fail(c, why);
    }
    std::string rest = c.in.substr(end + 4);
    c.in.clear();
    c.in.shrink_to_fit();
    std::string().swap(c.accept);
    if (server_.hello) {
      std::string hello = R"({"type":"hello","room":")" + config_.room + R"("})";
      append_client_frame(c.out, kText, hello, next_mask());
      c.phase = Phase::kJoining;
      flush(c);
    } else {
      joined(c);
    }
    if (c.fd >= 0 && !rest.empty()) {
      take_bytes(c, rest);
    }
  }

  void joined(Conn& c) {
    c.phase = Phase::kJoined;
    --handshaking_;
    ++joined_;
    ++open_;
  }

  // Parses what can be parsed; keeps an incomplete frame's bytes for the next read.
  void take_bytes(Conn& c, std::string_view data) {
    if (c.in.empty()) {
      std::size_t used = take_frames(c, data);
      if (c.fd >= 0 && used < data.size()) {
        c.in.assign(data.substr(used));
      }
    } else {
      c.in.append(data);
      std::size_t used = take_frames(c, c.in);
      if (c.fd >= 0) {
        c.in.erase(0, used);
      }
    }
    if (c.fd < 0) {
      std::string().swap(c.in);
    }
  }

  std::size_t take_frames(Conn& c, std::string_view data) {
    std::size_t used = 0;
    while (c.fd >= 0) {
      ServerFrame f;
      long n = parse_server_frame(data.substr(used), f);
      if (n == 0) {
        break;
      }
      if (n < 0) {
        fail(c, "a malformed frame from the server");
        break;
      }
      used += static_cast<std::size_t>(n);
      switch (f.opcode) {
        case kText:
          if (f.fin) {
            on_text(c, f.payload);
          } else {
            c.fragments.assign(f.payload);
          }
          break;
        case kContinuation:
          c.fragments.append(f.payload);
          if (f.fin) {
            std::string whole;
            whole.swap(c.fragments);
            on_text(c, whole);
          }
          break;
        case kPing:  // boai pings quiet connections; a viewer that answers stays
          append_client_frame(c.out, kPong, f.payload, next_mask());
          flush(c);
          break;
        case kClose: {
          int code = f.payload.size() >= 2 ? (static_cast<std::uint8_t>(f.payload[0]) << 8 |
                                              static_cast<std::uint8_t>(f.payload[1]))
                                           : 1005;
          fail(c, "closed by the server with " + std::to_string(code));
          break;
        }
        default:
          break;
      }
    }
    return used;
  }

  void on_text(Conn& c, std::string_view text) {
    if (c.phase == Phase::kJoined) {
      if (auto at = text.find(kTag); at != std::string_view::npos) {
        std::uint64_t id = 0;
        for (std::size_t i = at + kTag.size(); i < text.size() && text[i] >= '0' && text[i] <= '9';
             ++i) {
          id = id * 10 + static_cast<std::uint64_t>(text[i] - '0');
        }
        return delivered(id);
      }
      if (text.find(R"("type":"ack")") != std::string_view::npos) {
        return acked(text);
      }
      if (text.find(R"("type":"error")") != std::string_view::npos) {
        ++errors_;
        if (figures_.first_error.empty()) {
          figures_.first_error = std::string(text.substr(0, 300));
        }
      }
      return;
    }
    if (c.phase != Phase::kJoining) {
      return;
    }
    if (text.find(R"("type":"welcome")") != std::string_view::npos) {
      return joined(c);
    }
    if (text.find(R"("type":"error")") != std::string_view::npos) {
      fail(c, "hello refused: " + std::string(text.substr(0, 160)));
    }
  }

  void delivered(std::uint64_t id) {
    if (id >= sent_at_.size()) {
      return;  // not a message of this run
    }
    if (id < step_first_id_) {
      return;  // a straggler of an earlier step, already counted lost
    }
    histogram_.add(now_ns() - sent_at_[id]);
    ++step_delivered_;
    last_delivery_ = now_;
  }

  // boai acknowledges a chat message once it is stored, as it broadcasts it: the time to the ack
  // is the database's part of every delivery's latency.
  void acked(std::string_view text) {
    auto at = text.find(R"("rid":"r)");
    if (at == std::string_view::npos) {
      return;
    }
    std::uint64_t id = 0;
    for (std::size_t i = at + 8; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      id = id * 10 + static_cast<std::uint64_t>(text[i] - '0');
    }
    if (id >= sent_at_.size() || id < step_first_id_) {
      return;
    }
    ack_histogram_.add(now_ns() - sent_at_[id]);
    ++step_acked_;
  }

  void fail(Conn& c, const std::string& why) {
    bool was_joined = c.phase == Phase::kJoined;
    ++figures_.failures[(was_joined ? "after joining: " : "joining: ") + why];
    if (was_joined) {
      --open_;
    } else if (c.phase != Phase::kNew && c.phase != Phase::kDone) {
      --handshaking_;
    }
    if (c.fd >= 0) {
      close(c.fd);
    }
    c.fd = -1;
    c.phase = Phase::kDone;
    std::string().swap(c.out);
    std::string().swap(c.accept);
    std::string().swap(c.fragments);
    // c.in may be what the caller is parsing; take_bytes releases it.
  }

  Conn* next_sender() {
    for (int tries = 0; tries < config_.senders; ++tries) {
      Conn& c = conns_[next_sender_];
      next_sender_ = (next_sender_ + 1) % static_cast<std::size_t>(config_.senders);
      if (c.phase == Phase::kJoined) {
        return &c;
      }
    }
    return nullptr;
  }

  void on_timer() {
    std::uint64_t ticks = 0;
    if (read(timer_, &ticks, sizeof ticks) != sizeof ticks) {
      return;
    }
    // Late ticks (a busy loop) send their messages at once, so the rate asked for is kept.
    for (std::uint64_t t = 0; t < ticks && to_send_ > 0; ++t) {
      Conn* sender = next_sender();
      if (sender == nullptr) {
        to_send_ = 0;
        break;
      }
      send_chat(*sender);
    }
  }

  void send_chat(Conn& c) {
    auto id = sent_at_.size();
    // Under the 128 bytes the lws mirror relays as one frame; the same bytes for every server.
    char text[128];
    const char* format = R"({"type":"chat.send","rid":"r%zu","text":"加油！cf#%zu#"})";
    int len = std::snprintf(text, sizeof text, format, id, id);
    now_ = Clock::now();
    sent_at_.push_back(now_ns());
    step_expected_ += open_;  // every connection in the room, the sender too, should get it
    --to_send_;
    append_client_frame(c.out, kText, std::string_view(text, static_cast<std::size_t>(len)),
                        next_mask());
    flush(c);
  }

  void arm_timer(double rate) {
    itimerspec t{};
    if (rate > 0) {
      auto period = static_cast<long>(1e9 / rate);
      t.it_interval.tv_sec = period / 1'000'000'000;
      t.it_interval.tv_nsec = period % 1'000'000'000;
      t.it_value.tv_nsec = 1;  // the first message at once
    }
    timerfd_settime(timer_, 0, &t, nullptr);
  }

  StepFigures run_step(double rate) {
    StepFigures f;
    f.rate = rate;
    to_send_ = std::max(1L, std::lround(rate * config_.step_seconds));
    step_first_id_ = sent_at_.size();
    step_delivered_ = 0;
    step_expected_ = 0;
    histogram_.clear();
    ack_histogram_.clear();
    step_acked_ = 0;
    long errors_before = errors_;
    double cpu0 = server_.all_cpu_seconds();
    double main0 = server_.main_cpu_seconds();
    double self0 = cpu_seconds_of_self();
    auto start = Clock::now();
    last_delivery_ = start;

    arm_timer(rate);
    while (to_send_ > 0 && g_stop == 0) {
      poll(100);
    }
    arm_timer(0);
    auto last_send = Clock::now();
    auto drain_until = last_send + std::chrono::duration_cast<Clock::duration>(
                                       std::chrono::duration<double>(config_.drain_seconds));
    auto sent = static_cast<long>(sent_at_.size() - step_first_id_);
    auto waiting = [&] {
      return step_delivered_ < step_expected_ ||
             (server_.hello && step_acked_ + errors_ - errors_before < sent);
    };
    while (waiting() && g_stop == 0 && Clock::now() < drain_until) {
      poll(20);
    }

    double wall = seconds(Clock::now() - start);
    double cpu = server_.all_cpu_seconds() - cpu0;
    double main_cpu = server_.main_cpu_seconds() - main0;
    double self = cpu_seconds_of_self() - self0;
    f.sent = sent;
    f.expected = step_expected_;
    f.delivered = step_delivered_;
    // Over the step, or longer when the server was still delivering after the last send.
    double span = std::max(config_.step_seconds, seconds(last_delivery_ - start));
    f.deliveries_per_second = static_cast<double>(f.delivered) / span;
    f.p50_ms = histogram_.percentile_ms(0.50, f.expected);
    f.p99_ms = histogram_.percentile_ms(0.99, f.expected);
    if (step_acked_ > 0) {
      f.ack_p50_ms = ack_histogram_.percentile_ms(0.50, f.sent);
      f.ack_p99_ms = ack_histogram_.percentile_ms(0.99, f.sent);
    }
    if (f.delivered > 0) {
      f.cpu_us_per_delivery = cpu * 1e6 / static_cast<double>(f.delivered);
      f.main_cpu_us_per_delivery = main_cpu * 1e6 / static_cast<double>(f.delivered);
    }
    f.server_cpu_percent = 100 * cpu / wall;
    f.generator_cpu_percent = 100 * self / wall;
    f.errors = errors_ - errors_before;
    f.passed = f.delivered > 0 && f.p99_ms < config_.p99_limit_ms;
    return f;
  }

  const LoadConfig& config_;
  const RunningServer& server_;
  std::vector<Conn> conns_;
  std::vector<char> buffer_;
  std::string host_port_;
  int epoll_ = -1;
  int timer_ = -1;
  Clock::time_point epoch_;
  Clock::time_point now_;
  std::uint32_t mask_ = 0x9e3779b9;

  int handshaking_ = 0;  // between connect() and welcome
  int joined_ = 0;       // ever joined
  int open_ = 0;         // joined and still open

  std::vector<std::int64_t> sent_at_;  // by message id: ns since epoch_
  std::size_t step_first_id_ = 0;
  long to_send_ = 0;
  std::size_t next_sender_ = 0;
  long step_delivered_ = 0;
  long step_expected_ = 0;
  Clock::time_point last_delivery_;
  Histogram histogram_;
  Histogram ack_histogram_;
  long step_acked_ = 0;
  long errors_ = 0;
  RunFigures figures_;
};

}  // namespace

RunFigures run_load(const LoadConfig& config, const RunningServer& server) {
  Generator g(config, server);
  return g.run();
}

}  // namespace boai::bench
