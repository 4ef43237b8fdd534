// The live room service behind /ws: the connections (viewers, and staff signed in), their limits,
// and each boai.v1 request handed to its feature's handler (web/room_requests.hpp). The rooms and
// their events are RoomFeed's. Loop thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "base/loop_timer.hpp"
#include "donations/pledge_batcher.hpp"
#include "sql/worker_pool.hpp"
#include "web/metrics.hpp"
#include "web/room_config.hpp"
#include "web/room_context.hpp"
#include "web/room_feed.hpp"
#include "web/room_requests.hpp"
#include "web/room_session.hpp"
#include "web/sale_expiry.hpp"
#include "web/studio_control.hpp"
#include "web/ws_endpoint.hpp"

namespace boai::web {

// Looks up the staff session of a Cookie header; done runs on the loop.
using Authenticator = std::function<void(const std::string& cookie,
                                         std::function<void(std::optional<StaffIdentity>)>)>;

class LiveRoom final : public WsEndpoint, private RoomContext {
 public:
  LiveRoom(LiveRoomConfig config, sql::WorkerPool& pool, donations::PledgeBatcher& pledges,
           Authenticator authenticate, Metrics& metrics, GMainContext* context,
           const std::string& conninfo);
  ~LiveRoom();
  LiveRoom(const LiveRoom&) = delete;
  LiveRoom& operator=(const LiveRoom&) = delete;

  void on_open(WsConnection& connection) override;
  void on_text(WsConnection& connection, std::string_view text) override;
  void on_close(WsConnection& connection) override;

  // Ledger events of this process (already on the loop): donations appear in their room.
  void on_ledger_events(const std::vector<donations::DomainEvent>& events) {
    feed_.on_ledger_events(events);
  }
  // The studio's show: hears every donation and totals change of every room, and takes the
  // hosts' studio.* requests of its room. Detach before it goes.
  void attach_show(RoomObserver& observer, StudioControl& studio);
  void detach_show(RoomObserver& observer);
  // Loads a room (if it exists) without a viewer, so its totals are known: the studio's room.
  void open_room(const std::string& slug);
  // Sends a frame to the staff members in a room (studio health and events).
  void send_to_staff(const std::string& room, const std::string& text) override;

  // A kStaffChannel notice ("session KEY", "user ID"), from any node or from this one's sign-out:
  // the sockets it names lose their staff powers now, and get back what a fresh look-up of their
  // cookie grants (nothing after a sign-out; the new role after a change), with staff.changed.
  void staff_changed(const std::string& notice);

  // Stops accepting and says goodbye to everyone (1001).
  void close_all();

 private:
  // RoomContext, for the request handlers.
  const LiveRoomConfig& config() const override { return config_; }
  RoomCounters& counters() override { return counters_; }
  RoomFeed& feed() override { return feed_; }
  sql::WorkerPool& pool() override { return pool_; }
  donations::PledgeBatcher& pledges() override { return pledges_; }
  StudioControl* studio() override { return studio_; }
  GMainContext* loop_context() override { return context_; }
  const ReservedNames& reserved_names() const override { return reserved_; }
  RoomSession* session(std::uint64_t id) override;
  void close_banned(RoomState& room) override;

  void look_up_staff(RoomSession& s);
  void authenticated(std::uint64_t id, std::uint64_t lookup, std::optional<StaffIdentity> staff);
  // Whether a session still has staff powers: an expired session loses them here.
  bool staff_current(RoomSession& s);
  // Reads the staff accounts' names again (reserved_names).
  void load_staff_names();

  LiveRoomConfig config_;
  sql::WorkerPool& pool_;
  donations::PledgeBatcher& pledges_;
  Authenticator authenticate_;
  GMainContext* context_;
  RoomCounters counters_;
  RequestTable requests_;
  std::map<std::uint64_t, std::unique_ptr<RoomSession>> sessions_;
  RoomFeed feed_;
  SaleExpiry sale_expiry_;
  StudioControl* studio_ = nullptr;
  ReservedNames reserved_;
  std::unique_ptr<LoopTimer> names_timer_;
};

}  // namespace boai::web
