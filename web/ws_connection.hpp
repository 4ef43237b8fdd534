// Internal to web/: the libwebsockets side of boai.v1: one LwsConnection per WebSocket, the
// protocol callback, and the admission checks (path, Origin, connections per address).
#pragma once

#include <libwebsockets.h>

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <unordered_map>

#include "web/inbound_limit.hpp"
#include "web/metrics.hpp"
#include "web/ws_endpoint.hpp"

namespace boai::web {

// Everything the boai.v1 callback needs, owned by the live service.
struct WsContext {
  WsEndpoint* endpoint = nullptr;
  WsLimits limits;
  std::uint64_t next_id = 1;
  std::map<std::string, int> connections_per_address;
  // Connections that were idle and have frames queued now, in the order they got them: the I/O
  // thread writes them a few at a time, between its looks at the sockets.
  std::deque<std::uint64_t> to_write;
  std::function<void()> write_list_started;  // to_write has its first entry: start writing turns
  // Which connections are read: frames wait for the loop thread a few at a time (see there).
  InboundLimit inbound{4, 8 << 20};
  Counter* dropped_slow = nullptr;
  Counter* refused = nullptr;
};

class LwsConnection final : public WsConnection {
 public:
  using Clock = std::chrono::steady_clock;

  LwsConnection(lws* wsi, std::uint64_t id, std::string peer, std::string cookie, WsContext& ctx)
      : wsi_(wsi),
        id_(id),
        peer_(std::move(peer)),
        cookie_(std::move(cookie)),
        ctx_(ctx),
        limits_(ctx.limits),
        last_heard_(Clock::now()),
        shares_socket_(lws_get_network_wsi(wsi) != wsi) {}

  std::uint64_t id() const override { return id_; }
  const std::string& peer() const override { return peer_; }
  const std::string& cookie() const override { return cookie_; }
  bool send(FramePtr frame) override;
  void close(int code, const std::string& reason) override;

  // From the callback: a piece of an incoming message; returns the whole text when complete,
  // or sets too_big when it passed the limit.
  bool receive(const char* data, std::size_t len, bool final, std::string& whole, bool& too_big);
  // Writes queued frames while the socket takes them; false: close now.
  bool write_pending();
  // For a connection on the to_write list: runs its SERVER_WRITEABLE now (see write_soon).
  void write_now();
  bool is_closing() const { return closing_; }
  // Stops and resumes reading the socket (InboundLimit decides). What lws has read already it
  // keeps, and hands over once reading resumes.
  void pause_reading() { lws_rx_flow_control(wsi_, 0); }
  void resume_reading() { lws_rx_flow_control(wsi_, 1); }

  // Keep-alive, done here rather than by libwebsockets' retry policy: with one, lws re-inserts a
  // connection's timer into a sorted list of all of them whenever it proves alive, a walk over
  // all ten thousand viewers each time.
  void heard(Clock::time_point now) {
    last_heard_ = now;
    ping_sent_ = false;
  }
  // From a once-a-second sweep: pings a connection idle for ping_after_idle_seconds while
  // pings_left lasts (see pings_per_sweep), closes one silent for close_after_silent_seconds.
  void check_alive(Clock::time_point now, std::size_t& pings_left);

 private:
  lws* wsi_;
  std::uint64_t id_;
  std::string peer_, cookie_;
  bool write_together();
  void write_soon();

  WsContext& ctx_;
  const WsLimits& limits_;
  std::string partial_;
  std::deque<FramePtr> queue_;
  Clock::time_point last_heard_;
  bool shares_socket_;               // an HTTP/2 stream: its socket carries other streams too
  bool waiting_for_socket_ = false;  // the kernel pushed back: epoll says when it takes more
  bool in_write_list_ = false;       // on WsContext::to_write, not visited yet
  bool ping_sent_ = false;
  bool ping_due_ = false;
  bool closing_ = false;
  int close_code_ = 0;
  std::string close_reason_;
};

using ConnectionMap = std::unordered_map<std::uint64_t, LwsConnection*>;

// How many of the connections the once-a-second sweep may ping.
std::size_t pings_per_sweep(std::size_t connections, const WsLimits& limits);
// The once-a-second sweep: pings the idle, closes the silent (see check_alive).
void check_all_alive(const ConnectionMap& connections, const WsLimits& limits);
// The room handled a frame of `bytes` from `connection`: reads again what InboundLimit allows.
void frame_taken(WsContext& ctx, const ConnectionMap& connections, std::uint64_t connection,
                 std::size_t bytes);

int ws_callback(lws* wsi, lws_callback_reasons reason, void* user, void* in, size_t len);

}  // namespace boai::web
