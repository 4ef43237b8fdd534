// What a request handler of the live room may use: the settings, the rooms and their events, the
// database, the pledge writers, the studio, and the sessions it answers (which may have gone by
// the time an answer is ready). LiveRoom implements it.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "base/error.hpp"
#include "donations/pledge_batcher.hpp"
#include "sql/worker_pool.hpp"
#include "web/reserved_names.hpp"
#include "web/room_config.hpp"
#include "web/room_feed.hpp"
#include "web/room_session.hpp"
#include "web/studio_control.hpp"
#include "web/ws_messages.hpp"

typedef struct _GMainContext GMainContext;

namespace boai::web {

class LaterReply;

class RoomContext {
 public:
  virtual const LiveRoomConfig& config() const = 0;
  virtual RoomCounters& counters() = 0;
  virtual RoomFeed& feed() = 0;
  virtual sql::WorkerPool& pool() = 0;
  virtual donations::PledgeBatcher& pledges() = 0;
  virtual StudioControl* studio() = 0;  // null: no studio on this node
  virtual GMainContext* loop_context() = 0;
  // Nicknames no viewer may take (staff names and words for staff).
  virtual const ReservedNames& reserved_names() const = 0;
  // The session of a connection, or null when it closed.
  virtual RoomSession* session(std::uint64_t id) = 0;
  // Closes the connections of a room that a ban in force covers (staff excepted).
  virtual void close_banned(RoomState& room) = 0;
  // Sends a frame to the staff in a room on this node only (viewers never see it).
  virtual void send_to_staff(const std::string& room, const std::string& text) = 0;

  void reply(RoomSession& s, const std::string& text);
  void refuse(RoomSession& s, const ClientFrame& f, const Error& e);
  // An answer to a request that is ready later (after the database), if its session is still
  // there and the room has not shut down.
  LaterReply later(const RoomSession& s, const ClientFrame& f);

 protected:
  ~RoomContext() = default;
  // Shared with every LaterReply; false once the room has shut down.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

class LaterReply {
 public:
  LaterReply(RoomContext& context, std::shared_ptr<bool> alive, std::uint64_t session,
             std::optional<std::string> rid)
      : context_(&context), alive_(std::move(alive)), session_(session), rid_(std::move(rid)) {}

  // The session to answer, or null when it (or the whole room) is gone.
  RoomSession* session() const { return *alive_ ? context_->session(session_) : nullptr; }
  RoomContext* context() const { return *alive_ ? context_ : nullptr; }
  bool has_rid() const { return rid_.has_value(); }
  void ack(nlohmann::json extra = nlohmann::json::object()) const;
  void refuse(const Error& e, nlohmann::json extra = nlohmann::json::object()) const;

 private:
  RoomContext* context_;
  std::shared_ptr<bool> alive_;
  std::uint64_t session_;
  std::optional<std::string> rid_;
};

}  // namespace boai::web
