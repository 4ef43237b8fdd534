// The boai.v1 protocol on libwebsockets: admission, reassembly of fragmented frames, the bounded
// outbound queue written in SERVER_WRITEABLE, and closing with a reason.
#include "web/ws_connection.hpp"

#include <algorithm>
#include <cstring>
#include <vector>

#include "web/lws_headers.hpp"

namespace boai::web {

namespace {

struct WsSessionData {
  LwsConnection* connection;
};

WsContext& context_of(lws* wsi) {
  return *static_cast<WsContext*>(const_cast<void*>(lws_get_protocol(wsi)->user));
}

bool origin_allowed(lws* wsi, const WsLimits& limits) {
  std::string origin = lws_header(wsi, WSI_TOKEN_ORIGIN);
  if (origin.empty()) {
    return true;  // not a browser: Origin protects browsers' users only
  }
  if (limits.allowed_origins.empty()) {
    std::string host = lws_header(wsi, WSI_TOKEN_HOST);
    return origin == "http://" + host || origin == "https://" + host;
  }
  for (const auto& allowed : limits.allowed_origins) {
    if (origin == allowed) {
      return true;
    }
  }
  return false;
}

constexpr int kCloseGraceSeconds = 5;
constexpr std::size_t kBatchBytes = 32 * 1024;

// RFC 6455 section 5.2: FIN and the text opcode, then the payload length in 7, 16 or 64 bits;
// no mask from a server.
void append_text_frame_header(std::vector<unsigned char>& out, std::size_t len) {
  out.push_back(0x81);
  if (len < 126) {
    out.push_back(static_cast<unsigned char>(len));
  } else if (len < 65536) {
    out.push_back(126);
    out.push_back(static_cast<unsigned char>(len >> 8));
    out.push_back(static_cast<unsigned char>(len));
  } else {
    out.push_back(127);
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.push_back(static_cast<unsigned char>(len >> shift));
    }
  }
}

}  // namespace

FramePtr make_frame(std::string_view payload) {
  auto bytes = std::make_shared<std::string>(LWS_PRE + payload.size(), '\0');
  std::memcpy(bytes->data() + LWS_PRE, payload.data(), payload.size());
  return bytes;
}

std::string_view frame_payload(const FramePtr& frame) {
  return std::string_view(*frame).substr(LWS_PRE);
}

bool LwsConnection::send(FramePtr frame) {
  if (closing_) {
    return false;
  }
  if (queue_.size() >= limits_.max_queued_frames) {
    queue_.clear();  // what it has not read by now it will not read
    ctx_.dropped_slow->add();
    close(kClosePolicy, "too slow");
    return false;
  }
  queue_.push_back(std::move(frame));
  if (queue_.size() == 1) {
    write_soon();
  }
  return true;
}

void LwsConnection::write_soon() {
  // Already on the list, or its SERVER_WRITEABLE is already asked for.
  if (in_write_list_ || waiting_for_socket_) {
    return;
  }
  // A socket is written without asking epoll first whether it has room: it nearly always has,
  // and arming then disarming POLLOUT took two epoll_ctl calls, a poll() and an epoll event per
  // write, a fifth of the I/O thread's time when 10,000 viewers get 20 messages a second. An
  // HTTP/2 stream shares its socket with other streams, so lws has to schedule it.
  if (shares_socket_) {
    lws_callback_on_writable(wsi_);
    return;
  }
  in_write_list_ = true;
  ctx_.to_write.push_back(id_);
  if (ctx_.to_write.size() == 1 && ctx_.write_list_started) {
    ctx_.write_list_started();
  }
}

void LwsConnection::write_now() {
  // We tell lws the socket can be written, as its event loop would; lws then runs the usual
  // POLLOUT path (its own buffered bytes first) and our SERVER_WRITEABLE. Should the kernel take
  // less than all, lws keeps the rest and arms POLLOUT itself.
  in_write_list_ = false;
  lws_pollfd ready{};
  ready.fd = lws_get_socket_fd(wsi_);
  ready.events = LWS_POLLOUT;
  ready.revents = LWS_POLLOUT;
  lws_service_fd(lws_get_context(wsi_), &ready);
}

void LwsConnection::close(int code, const std::string& reason) {
  if (closing_) {
    return;
  }
  closing_ = true;
  close_code_ = code;
  close_reason_ = reason.substr(0, 120);
  lws_callback_on_writable(wsi_);
  // A client that reads nothing never lets the close frame out: drop it after a while anyway.
  lws_set_timeout(wsi_, PENDING_TIMEOUT_CLOSE_SEND, kCloseGraceSeconds);
}

void LwsConnection::check_alive(Clock::time_point now, std::size_t& pings_left) {
  if (closing_) {
    return;
  }
  auto silent = now - last_heard_;
  if (silent >= std::chrono::seconds(limits_.close_after_silent_seconds)) {
    close(kCloseGoingAway, "silent too long");
  } else if (silent >= std::chrono::seconds(limits_.ping_after_idle_seconds) && !ping_sent_ &&
             pings_left > 0) {
    --pings_left;
    ping_sent_ = true;
    ping_due_ = true;
    write_soon();  // with the frames, if any are waiting
  }
}

std::size_t pings_per_sweep(std::size_t connections, const WsLimits& limits) {
  // Viewers who joined together fall quiet together; pinged at once, ten thousand pings and
  // pongs held up the broadcasts for half a second. Spread over half the time between ping and
  // hang-up, each ping still leaves the other half for its pong.
  int window =
      std::max(1, (limits.close_after_silent_seconds - limits.ping_after_idle_seconds) / 2);
  return connections / static_cast<std::size_t>(window) + 1;
}

void check_all_alive(const ConnectionMap& connections, const WsLimits& limits) {
  auto now = LwsConnection::Clock::now();
  auto pings = pings_per_sweep(connections.size(), limits);
  for (const auto& [id, c] : connections) {
    c->check_alive(now, pings);
  }
}

void frame_taken(WsContext& ctx, const ConnectionMap& connections, std::uint64_t connection,
                 std::size_t bytes) {
  thread_local std::vector<std::uint64_t> resume;
  resume.clear();
  ctx.inbound.taken(connection, bytes, resume);
  for (auto id : resume) {
    if (auto it = connections.find(id); it != connections.end()) {
      it->second->resume_reading();
    }
  }
}

bool LwsConnection::receive(const char* data, std::size_t len, bool final, std::string& whole,
                            bool& too_big) {
  if (partial_.size() + len > limits_.max_frame_bytes) {
    too_big = true;
    partial_.clear();
    return false;
  }
  partial_.append(data, len);
  if (!final) {
    return false;
  }
  whole = std::move(partial_);
  partial_.clear();
  return true;
}

bool LwsConnection::write_pending() {
  waiting_for_socket_ = false;
  if (ping_due_ && !closing_) {
    ping_due_ = false;
    // A payload of one byte: libwebsockets reports no pong that comes back empty.
    unsigned char ping[LWS_PRE + 1];
    ping[LWS_PRE] = 'k';
    if (lws_write(wsi_, ping + LWS_PRE, 1, LWS_WRITE_PING) < 1) {
      return false;
    }
  }
  // Queued frames go out back to back until the socket pushes back; a closing connection still
  // gets what was queued before the close (the reason it is being closed, say).
  while (!queue_.empty()) {
    if (queue_.size() > 1) {
      if (!write_together()) {
        return false;
      }
    } else {
      auto& frame = queue_.front();
      // The header goes into the headroom; it is the same for every receiver of this frame.
      auto* bytes = reinterpret_cast<unsigned char*>(const_cast<char*>(frame->data()));
      std::size_t len = frame->size() - LWS_PRE;
      if (lws_write(wsi_, bytes + LWS_PRE, len, LWS_WRITE_TEXT) < static_cast<int>(len)) {
        return false;
      }
      queue_.pop_front();
    }
    // Asked only when more is queued: in lws 4.1 the question is a poll() of the socket.
    if (lws_partial_buffered(wsi_) != 0 || (!queue_.empty() && lws_send_pipe_choked(wsi_) != 0)) {
      waiting_for_socket_ = true;
      break;
    }
  }
  if (closing_ && queue_.empty()) {
    lws_close_reason(wsi_, static_cast<lws_close_status>(close_code_),
                     reinterpret_cast<unsigned char*>(close_reason_.data()), close_reason_.size());
    return false;
  }
  if (waiting_for_socket_) {
    lws_callback_on_writable(wsi_);
  }
  return true;
}

bool LwsConnection::write_together() {
  // Frames that piled up while the socket was busy leave in one send: the header of a server's
  // frame is never masked, so we frame them here and hand lws the bytes to pass through as they
  // are (it sends LWS_WRITE_HTTP data unframed on any connection).
  thread_local std::vector<unsigned char> batch;
  batch.assign(LWS_PRE, 0);
  std::size_t taken = 0;
  for (const auto& frame : queue_) {
    std::size_t len = frame->size() - LWS_PRE;
    if (taken > 0 && batch.size() - LWS_PRE + len > kBatchBytes) {
      break;
    }
    append_text_frame_header(batch, len);
    batch.insert(batch.end(), frame->begin() + LWS_PRE, frame->end());
    ++taken;
  }
  std::size_t len = batch.size() - LWS_PRE;
  if (lws_write(wsi_, batch.data() + LWS_PRE, len, LWS_WRITE_HTTP) < static_cast<int>(len)) {
    return false;
  }
  queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(taken));
  return true;
}

int ws_callback(lws* wsi, lws_callback_reasons reason, void* user, void* in, size_t len) {
  auto* session = static_cast<WsSessionData*>(user);
  try {
    switch (reason) {
      case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION: {
        auto& ctx = context_of(wsi);
        std::string path = lws_header(wsi, WSI_TOKEN_GET_URI);
        std::string peer = lws_peer(wsi);
        bool ok = path == "/ws" && origin_allowed(wsi, ctx.limits) &&
                  ctx.connections_per_address[peer] < ctx.limits.max_connections_per_address &&
                  ctx.endpoint != nullptr;
        if (!ok) {
          ctx.refused->add();
          lws_return_http_status(wsi, HTTP_STATUS_FORBIDDEN, nullptr);  // said, then closed
        }
        return ok ? 0 : -1;
      }
      case LWS_CALLBACK_ESTABLISHED: {
        auto& ctx = context_of(wsi);
        std::string peer = lws_peer(wsi);
        ctx.connections_per_address[peer]++;
        session->connection = new LwsConnection(wsi, ctx.next_id++, peer,
                                                lws_header(wsi, WSI_TOKEN_HTTP_COOKIE), ctx);
        ctx.endpoint->on_open(*session->connection);
        return 0;
      }
      case LWS_CALLBACK_RECEIVE_PONG:
        if (session->connection != nullptr) {
          session->connection->heard(LwsConnection::Clock::now());
        }
        return 0;
      case LWS_CALLBACK_RECEIVE: {
        if (session->connection == nullptr || session->connection->is_closing()) {
          return 0;
        }
        session->connection->heard(LwsConnection::Clock::now());
        auto& ctx = context_of(wsi);
        if (lws_frame_is_binary(wsi) != 0) {
          session->connection->close(1003, "text frames only");
          return 0;
        }
        bool final = lws_is_final_fragment(wsi) != 0 && lws_remaining_packet_payload(wsi) == 0;
        bool too_big = false;
        std::string whole;
        if (session->connection->receive(static_cast<const char*>(in), len, final, whole,
                                         too_big)) {
          ctx.endpoint->on_text(*session->connection, whole);
        } else if (too_big) {
          session->connection->close(kCloseTooBig, "frame too large");
        }
        return 0;
      }
      case LWS_CALLBACK_SERVER_WRITEABLE:
        if (session->connection == nullptr) {
          return 0;
        }
        return session->connection->write_pending() ? 0 : -1;
      case LWS_CALLBACK_CLOSED: {
        if (session->connection == nullptr) {
          return 0;
        }
        auto& ctx = context_of(wsi);
        auto& count = ctx.connections_per_address[session->connection->peer()];
        if (--count <= 0) {
          ctx.connections_per_address.erase(session->connection->peer());
        }
        ctx.endpoint->on_close(*session->connection);
        delete session->connection;
        session->connection = nullptr;
        return 0;
      }
      default:
        return 0;
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "boai: websocket callback failed: %s\n", e.what());
    return -1;
  }
}

}  // namespace boai::web
