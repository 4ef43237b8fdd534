// The WebSocket side of the live service as the room logic sees it: connections that can be sent
// shared frames and closed, and an endpoint that hears what they say. libwebsockets stays behind
// this interface (web/ws_connection.cpp), so the room logic is plain C++.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace boai::web {

// A text frame serialised once and shared by every connection it goes to. It carries the
// headroom libwebsockets writes its frame header into, so no connection copies it.
using FramePtr = std::shared_ptr<const std::string>;
FramePtr make_frame(std::string_view payload);
std::string_view frame_payload(const FramePtr& frame);

// RFC 6455 close codes we use.
inline constexpr int kClosePolicy = 1008;  // abuse, a ban, a client too slow to keep up
inline constexpr int kCloseTooBig = 1009;  // a frame over the size limit
inline constexpr int kCloseGoingAway = 1001;

class WsConnection {
 public:
  virtual ~WsConnection() = default;
  virtual std::uint64_t id() const = 0;
  virtual const std::string& peer() const = 0;    // the client's address
  virtual const std::string& cookie() const = 0;  // the Cookie header of the upgrade
  // Queues a frame. Past the queue bound the client is too slow: it is closed with 1008 and
  // false is returned; nobody else waits for it.
  virtual bool send(FramePtr frame) = 0;
  virtual void close(int code, const std::string& reason) = 0;
};

class WsEndpoint {
 public:
  virtual ~WsEndpoint() = default;
  virtual void on_open(WsConnection& connection) = 0;
  virtual void on_text(WsConnection& connection, std::string_view text) = 0;
  virtual void on_close(WsConnection& connection) = 0;
};

struct WsLimits {
  std::size_t max_frame_bytes = 16 * 1024;
  std::size_t max_queued_frames = 1024;
  int max_connections_per_address = 64;
  // Frames read but not yet handled by the room: past these a connection (or all of them) is
  // not read until the room catches up, so a flood waits in the sender's socket, not our memory.
  std::size_t max_waiting_frames = 4;
  std::size_t max_waiting_bytes = 8 * 1024 * 1024;
  int ping_after_idle_seconds = 30;
  int close_after_silent_seconds = 75;
  // Origins allowed to open /ws (scheme://host[:port]). Empty: the page's own origin only, that
  // is an Origin matching the Host header. Clients that send no Origin (not browsers) are let in.
  std::vector<std::string> allowed_origins;
};

}  // namespace boai::web
