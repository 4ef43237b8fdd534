// Internal to web/: when the I/O thread stops reading a WebSocket. Each frame read waits in the
// mailbox until the loop thread has handled it; a client sending faster than that would fill
// memory and put its frames ahead of everyone's chat. So a connection with a few frames waiting
// is not read until the loop has taken them (the kernel's buffers, then TCP, hold the rest back),
// and none is read while the frames waiting from all of them pass a total. I/O thread only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace boai::web {

class InboundLimit {
 public:
  InboundLimit(std::size_t frames_per_connection, std::size_t total_bytes)
      : frames_per_connection_(frames_per_connection), total_bytes_(total_bytes) {}

  // A frame of `bytes` went to the loop; true: stop reading that connection now.
  bool forwarded(std::uint64_t connection, std::size_t bytes);
  // The loop handled one; adds to `resume` the connections that may be read again.
  void taken(std::uint64_t connection, std::size_t bytes, std::vector<std::uint64_t>& resume);
  // The connection is gone; its frames still come back through taken().
  void closed(std::uint64_t connection);

  std::size_t waiting_bytes() const { return bytes_; }
  std::size_t paused() const { return paused_.size(); }

 private:
  bool may_read(std::size_t frames) const {
    return frames < frames_per_connection_ && bytes_ < total_bytes_;
  }

  std::size_t frames_per_connection_, total_bytes_;
  std::size_t bytes_ = 0;
  std::unordered_map<std::uint64_t, std::size_t> frames_;  // connections with frames waiting
  std::vector<std::uint64_t> paused_;
};

}  // namespace boai::web
