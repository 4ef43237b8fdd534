// Internal to web/: what the loop thread (the room, the routes) and the I/O thread (libwebsockets)
// tell each other. Connections and HTTP exchanges are named by id: each thread owns its objects.
#pragma once

#include <cstdint>
#include <string>
#include <variant>

#include "web/http_types.hpp"
#include "web/ws_endpoint.hpp"

namespace boai::web {

// Loop thread to I/O thread.
struct SendFrame {
  std::uint64_t connection;
  FramePtr frame;
};
struct CloseConnection {
  std::uint64_t connection;
  int code;
  std::string reason;
};
struct HttpReply {
  std::uint64_t exchange;
  HttpResponse response;
};
// The room has handled a frame of this many bytes: its connection may be read again.
struct FrameTaken {
  std::uint64_t connection;
  std::size_t bytes;
};
using ToIo = std::variant<SendFrame, CloseConnection, HttpReply, FrameTaken>;

// I/O thread to loop thread.
struct ConnectionOpened {
  std::uint64_t connection;
  std::string peer, cookie;
};
struct TextReceived {
  std::uint64_t connection;
  std::string text;
};
struct ConnectionClosed {
  std::uint64_t connection;
};
struct HttpCall {
  std::uint64_t exchange;
  const HttpRoute* route;
  HttpRequest request;
};
using ToLoop = std::variant<ConnectionOpened, TextReceived, ConnectionClosed, HttpCall>;

}  // namespace boai::web
