// bench/site's WebSocket viewers in C++: one thread, one epoll loop, OpenSSL for the viewers that
// come through nginx over TLS, the minimal RFC 6455 client of bench/chat_fanout. One Node thread
// could not keep 10,000 TLS viewers (it sent 40-59 of 150 messages); this one spends a recv, a
// decryption, a frame parse and a lookup per delivery. bench/site/main.mjs runs it as a child:
//   site_viewers --tls HOST:PORT --viewers N [--direct N --direct-to HOST:PORT,...]
//                [--senders 4] [--rate 5] [--room firstaid]
// Each viewer behaves as the page does: hello, welcome, every room event, and after losing its
// socket a reconnect with back-off, its session and last_seq. The first --senders chat at --rate
// messages a second in all; a message's text is "t<send time, µs since the epoch>".
// Lines on stdin: "window FROM TO" (µs since the epoch: only messages sent then count; their
// deliveries are cleared), "report" (answers a line with the percentiles), "stop". Every 250 ms it
// writes a line of counters. All lines out are JSON.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <deque>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "bench/chat_fanout/ws_client.hpp"

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

namespace {

using boai::bench::Opcode;

constexpr int kMaxJoining = 256;  // sockets between connect() and welcome at any time
constexpr std::uint64_t kChatTag = ~0ULL;
constexpr std::uint64_t kTickTag = ~0ULL - 1;
constexpr std::uint64_t kStdinTag = ~0ULL - 2;

std::int64_t epoch_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

struct Address {
  std::uint32_t ip = 0;  // host order
  std::uint16_t port = 0;
  std::string text;
};

Address parse_address(const std::string& text) {
  Address a;
  a.text = text;
  auto colon = text.rfind(':');
  in_addr ip{};
  if (colon == std::string::npos || inet_pton(AF_INET, text.substr(0, colon).c_str(), &ip) != 1) {
    std::fprintf(stderr, "site_viewers: not HOST:PORT: %s\n", text.c_str());
    std::exit(2);
  }
  a.ip = ntohl(ip.s_addr);
  a.port = static_cast<std::uint16_t>(std::stoi(text.substr(colon + 1)));
  return a;
}

// Delivery times in 0.1 ms buckets up to a minute; percentiles over the deliveries expected, so
// one that never came counts as later than any that did (as bench/chat_fanout and main.mjs).
class Histogram {
 public:
  Histogram() : counts_(kBuckets, 0) {}
  void add(std::int64_t us) {
    auto b = static_cast<std::size_t>(std::max<std::int64_t>(us, 0) / 100);
    ++counts_[std::min(b, kBuckets - 1)];
    ++total_;
  }
  void clear() {
    std::fill(counts_.begin(), counts_.end(), 0);
    total_ = 0;
  }
  long total() const { return total_; }
  double percentile_ms(double q, long expected) const {
    auto rank = static_cast<long>(std::ceil(q * static_cast<double>(expected)));
    if (rank <= 0) {
      return 0;
    }
    long seen = 0;
    for (std::size_t b = 0; b < kBuckets; ++b) {
      seen += counts_[b];
      if (seen >= rank) {
        return static_cast<double>(b + 1) * 0.1;
      }
    }
    return std::numeric_limits<double>::infinity();
  }

 private:
  static constexpr std::size_t kBuckets = 600'000;
  std::vector<std::uint32_t> counts_;
  long total_ = 0;
};

enum class Phase : std::uint8_t { kIdle, kConnecting, kTls, kUpgrading, kJoining, kJoined };

struct Viewer {
  int index = 0;
  bool direct = false;  // plain WebSocket straight to a web node
  const Address* to = nullptr;
  int fd = -1;
  SSL* ssl = nullptr;
  Phase phase = Phase::kIdle;
  std::string in, out, accept, fragments;
  std::string session;
  std::int64_t last_seq = -1;  // -1: none yet
  int attempt = 0;
  std::int64_t reconnect_at_us = 0;
  bool queued = false;
  bool writing = false;  // EPOLLOUT asked for
  bool tls_wants_write = false;
};

// The whole number at the start of `digits`; false when there is none.
bool leading_number(std::string_view digits, std::int64_t& out) {
  std::int64_t v = 0;
  std::size_t at = 0;
  while (at < digits.size() && digits[at] >= '0' && digits[at] <= '9') {
    v = v * 10 + (digits[at++] - '0');
  }
  out = v;
  return at > 0;
}

// The top-level members of a room event that a viewer looks at, raw (a string's characters
// without its quotes; no escapes in any of them). boai writes members in name order, so "recent"
// (a welcome's chat, with their own "seq" and "type") comes before "seq" and "type".
struct Event {
  std::string_view type, seq, session, text;
};

// Past the string that starts at `at` (its opening quote); returns the index after its closing one.
std::size_t skip_string(std::string_view json, std::size_t at) {
  for (++at; at < json.size() && json[at] != '"'; ++at) {
    if (json[at] == '\\') {
      ++at;
    }
  }
  return at + 1;
}

Event read_event(std::string_view json) {
  Event e;
  int depth = 0;
  std::size_t i = 0;
  while (i < json.size()) {
    char c = json[i];
    if (c == '"') {
      std::size_t end = skip_string(json, i);
      if (depth == 1 && end < json.size() && json[end] == ':') {
        std::string_view name = json.substr(i + 1, end - i - 2);
        std::size_t v = end + 1;
        std::size_t v_end = v;
        std::string_view value;
        if (v < json.size() && json[v] == '"') {
          v_end = skip_string(json, v);
          value = json.substr(v + 1, v_end - v - 2);
        } else {
          while (v_end < json.size() && json[v_end] != ',' && json[v_end] != '}' &&
                 json[v_end] != '{' && json[v_end] != '[') {
            ++v_end;
          }
          value = json.substr(v, v_end - v);
        }
        if (name == "type") {
          e.type = value;
        } else if (name == "seq") {
          e.seq = value;
        } else if (name == "session") {
          e.session = value;
        } else if (name == "text") {
          e.text = value;
        }
        i = v_end;
        continue;
      }
      i = end;
      continue;
    }
    if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      --depth;
    }
    ++i;
  }
  return e;
}

class Crowd {
 public:
  Crowd(Address tls, std::vector<Address> direct_to, int viewers, int direct, int senders,
        double rate, std::string room)
      : tls_(std::move(tls)),
        direct_to_(std::move(direct_to)),
        senders_(std::max(0, std::min(senders, viewers))),
        rate_(rate),
        room_(std::move(room)),
        viewers_(static_cast<std::size_t>(viewers + direct)),
        buffer_(256 * 1024),
        nginx_count_(viewers),
        direct_count_(direct) {
    ctx_ = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_verify(ctx_, SSL_VERIFY_NONE, nullptr);  // scripts/site's self-signed certificate
    SSL_CTX_set_mode(ctx_, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    // A record's header and body in one recv(), and the records that came with it.
    SSL_CTX_set_read_ahead(ctx_, 1);
    for (int i = 0; i < viewers + direct; ++i) {
      Viewer& v = viewers_[static_cast<std::size_t>(i)];
      v.index = i;
      v.direct = i >= viewers;
      v.to =
          v.direct ? &direct_to_[static_cast<std::size_t>(i - viewers) % direct_to_.size()] : &tls_;
      queue(v, 0);
    }
    epoll_ = epoll_create1(EPOLL_CLOEXEC);
    chat_timer_ = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    tick_timer_ = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    watch(chat_timer_, kChatTag);
    watch(tick_timer_, kTickTag);
    watch(STDIN_FILENO, kStdinTag);
    arm(tick_timer_, 10'000'000);  // 10 ms: reconnects due, joins, the counters' line
    if (senders_ > 0 && rate_ > 0) {
      arm(chat_timer_, static_cast<long>(1e9 / rate_));
    }
  }

  ~Crowd() {
    for (auto& v : viewers_) {
      SSL_free(v.ssl);
      if (v.fd >= 0) {
        close(v.fd);
      }
    }
    SSL_CTX_free(ctx_);
    close(chat_timer_);
    close(tick_timer_);
    close(epoll_);
  }
  Crowd(const Crowd&) = delete;
  Crowd& operator=(const Crowd&) = delete;

  void run() {
    epoll_event events[512];
    while (!stopped_) {
      int n = epoll_wait(epoll_, events, 512, 100);
      for (int k = 0; k < n && !stopped_; ++k) {
        std::uint64_t tag = events[k].data.u64;
        if (tag == kChatTag) {
          drain(chat_timer_);
          chat();
        } else if (tag == kTickTag) {
          drain(tick_timer_);
          tick();
        } else if (tag == kStdinTag) {
          read_commands();
        } else {
          drive(viewers_[tag]);
        }
      }
    }
  }

 private:
  void watch(int fd, std::uint64_t tag) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = tag;
    epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &ev);
  }
  static void arm(int fd, long interval_ns) {
    itimerspec spec{};
    spec.it_interval.tv_sec = interval_ns / 1'000'000'000;
    spec.it_interval.tv_nsec = interval_ns % 1'000'000'000;
    spec.it_value = spec.it_interval;
    timerfd_settime(fd, 0, &spec, nullptr);
  }
  static void drain(int fd) {
    std::uint64_t expirations = 0;
    while (read(fd, &expirations, sizeof expirations) > 0) {
    }
  }

  void queue(Viewer& v, std::int64_t at_us) {
    v.reconnect_at_us = at_us;
    if (!v.queued) {
      v.queued = true;
      waiting_.push_back(&v);
    }
  }

  // Every 10 ms: start the connections that are due (at most kMaxJoining joining at once) and
  // every 250 ms the counters' line.
  void tick() {
    std::int64_t now = epoch_us();
    std::size_t count = waiting_.size();
    for (std::size_t k = 0; k < count && joining_ < kMaxJoining; ++k) {
      Viewer* v = waiting_.front();
      waiting_.pop_front();
      if (v->reconnect_at_us > now) {
        waiting_.push_back(v);
        continue;
      }
      v->queued = false;
      open(*v);
    }
    if (now - last_status_us_ >= 250'000) {
      last_status_us_ = now;
      status();
    }
  }

  void open(Viewer& v) {
    v.fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (v.fd < 0) {
      return fail(v, std::string("socket: ") + std::strerror(errno));
    }
    ++joining_;
    v.phase = Phase::kConnecting;
    int one = 1;
    setsockopt(v.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    setsockopt(v.fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    // 127.0.0.2-9, as the Node viewers: ephemeral ports never run short.
    sockaddr_in src{};
    src.sin_family = AF_INET;
    src.sin_addr.s_addr = htonl(INADDR_LOOPBACK + 1 + static_cast<std::uint32_t>(v.index % 8));
    sockaddr_in dst{};
    dst.sin_family = AF_INET;
    dst.sin_addr.s_addr = htonl(v.to->ip);
    dst.sin_port = htons(v.to->port);
    if (bind(v.fd, reinterpret_cast<sockaddr*>(&src), sizeof src) != 0) {
      return fail(v, std::string("bind: ") + std::strerror(errno));
    }
    if (connect(v.fd, reinterpret_cast<sockaddr*>(&dst), sizeof dst) != 0 && errno != EINPROGRESS) {
      return fail(v, std::string("connect: ") + std::strerror(errno));
    }
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP;
    v.writing = true;
    ev.data.u64 = static_cast<std::uint64_t>(v.index);
    epoll_ctl(epoll_, EPOLL_CTL_ADD, v.fd, &ev);
  }

  // Level-triggered, one read per event (the kernel says again when more is there): a delivery
  // costs one recv. EPOLLOUT only while connecting, a TLS handshake that must write, or bytes wait.
  void want_write(Viewer& v) {
    bool on = v.phase == Phase::kConnecting || (v.phase == Phase::kTls && v.tls_wants_write) ||
              !v.out.empty();
    if (v.fd < 0 || on == v.writing) {
      return;
    }
    v.writing = on;
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLRDHUP | (on ? EPOLLOUT : 0u);
    ev.data.u64 = static_cast<std::uint64_t>(v.index);
    epoll_ctl(epoll_, EPOLL_CTL_MOD, v.fd, &ev);
  }

  // Whatever the event, take the connection as far as it goes.
  void drive(Viewer& v) {
    if (v.fd < 0) {
      return;
    }
    if (v.phase == Phase::kConnecting) {
      int err = 0;
      socklen_t len = sizeof err;
      getsockopt(v.fd, SOL_SOCKET, SO_ERROR, &err, &len);
      if (err != 0) {
        return fail(v, std::string("connect: ") + std::strerror(err));
      }
      sockaddr_in peer{};
      socklen_t peer_len = sizeof peer;
      if (getpeername(v.fd, reinterpret_cast<sockaddr*>(&peer), &peer_len) != 0) {
        return;  // not connected yet
      }
      if (v.direct) {
        start_upgrade(v);
      } else {
        v.ssl = SSL_new(ctx_);
        SSL_set_fd(v.ssl, v.fd);
        SSL_set_connect_state(v.ssl);
        v.phase = Phase::kTls;
      }
    }
    if (v.phase == Phase::kTls) {
      int r = SSL_do_handshake(v.ssl);
      if (r != 1) {
        int e = SSL_get_error(v.ssl, r);
        if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) {
          return fail(v, "tls handshake");
        }
        v.tls_wants_write = e == SSL_ERROR_WANT_WRITE;
        return want_write(v);
      }
      start_upgrade(v);
    }
    if (!flush(v)) {
      return;
    }
    receive(v);
    want_write(v);
  }

  void start_upgrade(Viewer& v) {
    std::string key = boai::bench::make_key();
    v.accept = boai::bench::expected_accept(key);
    v.out = boai::bench::upgrade_request(v.to->text, "/ws", "boai.v1", key);
    v.phase = Phase::kUpgrading;
  }

  // Writes what is pending; false when the connection failed.
  bool flush(Viewer& v) {
    std::size_t done = 0;
    while (done < v.out.size()) {
      const char* data = v.out.data() + done;
      std::size_t left = v.out.size() - done;
      if (v.ssl) {
        int n = SSL_write(v.ssl, data, static_cast<int>(left));
        if (n > 0) {
          done += static_cast<std::size_t>(n);
          continue;
        }
        int e = SSL_get_error(v.ssl, n);
        if (e == SSL_ERROR_WANT_WRITE || e == SSL_ERROR_WANT_READ) {
          break;
        }
        fail(v, "tls write");
        return false;
      }
      ssize_t n = send(v.fd, data, left, MSG_NOSIGNAL);
      if (n > 0) {
        done += static_cast<std::size_t>(n);
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        break;
      } else {
        fail(v, std::string("send: ") + std::strerror(errno));
        return false;
      }
    }
    v.out.erase(0, done);
    want_write(v);
    return true;
  }

  void receive(Viewer& v) {
    for (bool first = true; v.fd >= 0; first = false) {
      if (!first && !(v.ssl && SSL_has_pending(v.ssl))) {
        return;  // the socket is read again when epoll says so
      }
      long n = 0;
      if (v.ssl) {
        int r = SSL_read(v.ssl, buffer_.data(), static_cast<int>(buffer_.size()));
        if (r <= 0) {
          int e = SSL_get_error(v.ssl, r);
          if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
            return;
          }
          return fail(v, e == SSL_ERROR_ZERO_RETURN ? "closed" : "tls read");
        }
        n = r;
      } else {
        ssize_t r = recv(v.fd, buffer_.data(), buffer_.size(), 0);
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
          return;
        }
        if (r <= 0) {
          return fail(v, r == 0 ? "closed" : std::string("recv: ") + std::strerror(errno));
        }
        n = r;
      }
      v.in.append(buffer_.data(), static_cast<std::size_t>(n));
      if (!take(v)) {
        return;
      }
    }
  }

  // Parses what has come; false when the connection was closed meanwhile.
  bool take(Viewer& v) {
    if (v.phase == Phase::kUpgrading) {
      auto end = v.in.find("\r\n\r\n");
      if (end == std::string::npos) {
        return true;
      }
      std::string wrong = boai::bench::check_upgrade_response(
          std::string_view(v.in).substr(0, end + 4), v.accept, "boai.v1");
      if (!wrong.empty()) {
        fail(v, wrong);
        return false;
      }
      v.in.erase(0, end + 4);
      v.phase = Phase::kJoining;
      std::string hello = "{\"type\":\"hello\",\"room\":\"" + room_ + "\",\"nickname\":\"v" +
                          std::to_string(v.index) + "\"";
      if (!v.session.empty()) {
        hello += ",\"session\":\"" + v.session + "\"";
      }
      if (v.last_seq >= 0) {
        hello += ",\"last_seq\":" + std::to_string(v.last_seq);
      }
      hello += "}";
      send_frame(v, Opcode::kText, hello);
      if (v.fd < 0) {
        return false;
      }
    }
    std::size_t used = 0;
    while (true) {
      boai::bench::ServerFrame frame;
      long n = boai::bench::parse_server_frame(std::string_view(v.in).substr(used), frame);
      if (n == 0) {
        break;
      }
      if (n < 0) {
        fail(v, "bad frame");
        return false;
      }
      used += static_cast<std::size_t>(n);
      if (frame.opcode == Opcode::kPing) {
        send_frame(v, Opcode::kPong, frame.payload);
      } else if (frame.opcode == Opcode::kClose) {
        fail(v, "close frame");
        return false;
      } else if (frame.opcode == Opcode::kText || frame.opcode == Opcode::kContinuation) {
        if (!frame.fin || !v.fragments.empty()) {
          v.fragments.append(frame.payload);
          if (frame.fin) {
            std::string whole;
            whole.swap(v.fragments);
            on_message(v, whole);
          }
        } else {
          on_message(v, frame.payload);
        }
      }
      if (v.fd < 0) {
        return false;
      }
    }
    v.in.erase(0, used);
    return true;
  }

  void send_frame(Viewer& v, Opcode opcode, std::string_view payload) {
    mask_ ^= mask_ << 13;
    mask_ ^= mask_ >> 17;
    mask_ ^= mask_ << 5;
    boai::bench::append_client_frame(v.out, opcode, payload, mask_);
    flush(v);
  }

  // As load.mjs's Viewer.onFrame: welcome, resync, duplicates and gaps in seq, chat timing.
  void on_message(Viewer& v, std::string_view text) {
    Event event = read_event(text);
    std::string_view type = event.type;
    std::int64_t seq = 0;
    bool has_seq = leading_number(event.seq, seq);
    if (type == "welcome") {
      if (v.phase != Phase::kJoined) {
        --joining_;
        ++welcomed_;
      }
      v.phase = Phase::kJoined;
      v.attempt = 0;
      v.session = std::string(event.session);
      if (v.last_seq < 0 || v.last_seq > seq) {
        v.last_seq = seq;
      }
      ++welcomes_;
      return;
    }
    if (type == "resync") {
      ++resyncs_;
      v.last_seq = seq;
      return;
    }
    if (has_seq && type != "ack") {
      if (v.last_seq >= 0 && seq <= v.last_seq) {
        ++duplicates_;
        return;
      }
      if (v.last_seq >= 0 && seq != v.last_seq + 1) {
        ++gaps_;
      }
      v.last_seq = seq;
    }
    if (type == "chat.message") {
      std::string_view body = event.text;
      std::int64_t sent_at = 0;
      if (body.size() > 1 && body[0] == 't' && leading_number(body.substr(1), sent_at) &&
          sent_at >= window_from_ && sent_at < window_to_) {
        (v.direct ? direct_ : nginx_).add(epoch_us() - sent_at);
      }
    } else if (type == "error") {
      ++errors_;
    }
  }

  void chat() {
    if (senders_ == 0) {
      return;
    }
    Viewer& v = viewers_[static_cast<std::size_t>(next_sender_++ % senders_)];
    std::int64_t now = epoch_us();
    if (v.phase == Phase::kJoined && now < window_to_) {
      send_frame(
          v, Opcode::kText,
          "{\"type\":\"chat.send\",\"rid\":\"c\",\"text\":\"t" + std::to_string(now) + "\"}");
      sent_at_.push_back(now);
    }
  }

  // A socket lost: counted, and opened again as the page does: half to all of 500 ms * 2^attempt,
  // at most 10 s.
  void fail(Viewer& v, const std::string& why) {
    if (v.phase == Phase::kJoined) {
      ++drops_;
      --welcomed_;
    } else if (v.phase != Phase::kIdle) {
      --joining_;
    }
    ++failures_[why];
    if (v.ssl) {
      SSL_free(v.ssl);
      v.ssl = nullptr;
    }
    if (v.fd >= 0) {
      close(v.fd);
      v.fd = -1;
    }
    v.phase = Phase::kIdle;
    v.in.clear();
    v.out.clear();
    v.fragments.clear();
    double base = std::min(10000.0, 500.0 * std::pow(2.0, v.attempt));
    v.attempt = std::min(v.attempt + 1, 6);
    std::uniform_real_distribution<double> half(0.5, 1.0);
    queue(v, epoch_us() + static_cast<std::int64_t>(base * half(random_) * 1000));
  }

  void read_commands() {
    char chunk[4096];
    ssize_t n = read(STDIN_FILENO, chunk, sizeof chunk);
    if (n <= 0) {
      stopped_ = true;  // the parent is gone
      return;
    }
    commands_.append(chunk, static_cast<std::size_t>(n));
    std::size_t eol = 0;
    while ((eol = commands_.find('\n')) != std::string::npos) {
      std::string line = commands_.substr(0, eol);
      commands_.erase(0, eol + 1);
      long long from = 0;
      long long to = 0;
      if (std::sscanf(line.c_str(), "window %lld %lld", &from, &to) == 2) {
        window_from_ = from;
        window_to_ = to;
        ++windows_;
        nginx_.clear();
        direct_.clear();
      } else if (line == "report") {
        report();
      } else if (line == "stop") {
        stopped_ = true;
      }
    }
  }

  // Messages sent in the window (one may have gone out between its start and this line).
  long sent() const {
    return static_cast<long>(std::count_if(sent_at_.begin(), sent_at_.end(), [this](auto t) {
      return t >= window_from_ && t < window_to_;
    }));
  }

  void status() {
    std::printf(
        "{\"welcomed\":%d,\"welcomes\":%ld,\"drops\":%ld,\"gaps\":%ld,\"resyncs\":%ld,"
        "\"duplicates\":%ld,\"errors\":%ld,\"sent\":%ld,\"delivered\":%ld,"
        "\"direct_delivered\":%ld,\"window\":%d,\"cpu\":%.3f,\"failures\":{",
        welcomed_, welcomes_, drops_, gaps_, resyncs_, duplicates_, errors_, sent(), nginx_.total(),
        direct_.total(), windows_, cpu_seconds());
    const char* comma = "";
    for (const auto& [why, count] : failures_) {
      std::printf("%s\"%s\":%d", comma, why.c_str(), count);
      comma = ",";
    }
    std::printf("}}\n");
    std::fflush(stdout);
  }

  void report() {
    auto line = [&](const char* name, const Histogram& h, long viewers) {
      long expected = sent() * viewers;
      auto ms = [](double v) { return std::isinf(v) ? std::string("null") : std::to_string(v); };
      std::printf("\"%s\":{\"delivered\":%ld,\"expected\":%ld,\"p50\":%s,\"p99\":%s}", name,
                  h.total(), expected, ms(h.percentile_ms(0.5, expected)).c_str(),
                  ms(h.percentile_ms(0.99, expected)).c_str());
    };
    std::printf("{\"report\":true,\"sent\":%ld,", sent());
    line("nginx", nginx_, nginx_count_);
    std::printf(",");
    line("direct", direct_, direct_count_);
    std::printf("}\n");
    std::fflush(stdout);
  }

  Address tls_;
  std::vector<Address> direct_to_;
  int senders_;
  double rate_;
  std::string room_;
  std::vector<Viewer> viewers_;
  std::vector<char> buffer_;
  long nginx_count_;
  long direct_count_;
  SSL_CTX* ctx_ = nullptr;
  int epoll_ = -1;
  int chat_timer_ = -1;
  int tick_timer_ = -1;
  std::deque<Viewer*> waiting_;
  int joining_ = 0;
  int welcomed_ = 0;
  long welcomes_ = 0, drops_ = 0, gaps_ = 0, resyncs_ = 0, duplicates_ = 0, errors_ = 0;
  std::vector<std::int64_t> sent_at_;  // every chat message's send time
  std::map<std::string, int> failures_;
  Histogram nginx_, direct_;
  std::int64_t window_from_ = 0;
  std::int64_t window_to_ = std::numeric_limits<std::int64_t>::max();
  int windows_ = 0;  // "window" lines taken: a counters' line names the one its deliveries are of
  std::int64_t last_status_us_ = 0;
  int next_sender_ = 0;
  std::uint32_t mask_ = 0x9e3779b9;
  std::mt19937 random_{42};
  std::string commands_;
  bool stopped_ = false;
};

}  // namespace

int main(int argc, char** argv) {
  std::string tls;
  std::string direct_to;
  int viewers = 2000;
  int direct = 0;
  int senders = 4;
  double rate = 5;
  std::string room = "firstaid";
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string name = argv[i];
    std::string value = argv[i + 1];
    if (name == "--tls") {
      tls = value;
    } else if (name == "--direct-to") {
      direct_to = value;
    } else if (name == "--viewers") {
      viewers = std::stoi(value);
    } else if (name == "--direct") {
      direct = std::stoi(value);
    } else if (name == "--senders") {
      senders = std::stoi(value);
    } else if (name == "--rate") {
      rate = std::stod(value);
    } else if (name == "--room") {
      room = value;
    } else {
      std::fprintf(stderr, "site_viewers: unknown %s (see the head of bench/site/viewers.cpp)\n",
                   name.c_str());
      return 2;
    }
  }
  if (tls.empty()) {
    std::fprintf(stderr, "site_viewers: --tls HOST:PORT (nginx) is needed\n");
    return 2;
  }
  std::vector<Address> direct_addresses;
  for (std::size_t at = 0; at < direct_to.size();) {
    auto comma = direct_to.find(',', at);
    direct_addresses.push_back(parse_address(direct_to.substr(at, comma - at)));
    at = comma == std::string::npos ? direct_to.size() : comma + 1;
  }
  if (direct > 0 && direct_addresses.empty()) {
    std::fprintf(stderr, "site_viewers: --direct needs --direct-to\n");
    return 2;
  }
  // A socket per viewer and then some: the soft limit up to the hard one.
  rlimit r{};
  getrlimit(RLIMIT_NOFILE, &r);
  r.rlim_cur = r.rlim_max;
  setrlimit(RLIMIT_NOFILE, &r);
  Crowd(parse_address(tls), std::move(direct_addresses), viewers, direct, senders, rate, room)
      .run();
  return 0;
}
