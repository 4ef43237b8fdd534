// Internal to web/: the loop thread's handle on a WebSocket that lives on the I/O thread. What the
// room sends or closes becomes a message to that thread; the room never waits for it.
#pragma once

#include <functional>
#include <string>

#include "web/io_messages.hpp"
#include "web/ws_endpoint.hpp"

namespace boai::web {

class RemoteConnection final : public WsConnection {
 public:
  using Post = std::function<void(ToIo)>;

  RemoteConnection(std::uint64_t id, std::string peer, std::string cookie, const Post& post)
      : id_(id), peer_(std::move(peer)), cookie_(std::move(cookie)), post_(post) {}

  std::uint64_t id() const override { return id_; }
  const std::string& peer() const override { return peer_; }
  const std::string& cookie() const override { return cookie_; }
  // The bound on queued frames is kept where the socket is: a client too slow for it is closed
  // there (1008) and the room hears of it as a close.
  bool send(FramePtr frame) override {
    if (closed_) {
      return false;
    }
    post_(SendFrame{id_, std::move(frame)});
    return true;
  }
  void close(int code, const std::string& reason) override {
    if (closed_) {
      return;
    }
    closed_ = true;
    post_(CloseConnection{id_, code, reason});
  }

 private:
  std::uint64_t id_;
  std::string peer_, cookie_;
  const Post& post_;
  bool closed_ = false;
};

}  // namespace boai::web
