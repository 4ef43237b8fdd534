// The live room service behind /ws: viewers join a campaign's room, chat, pledge and see donations;
// staff moderate. Room events get their seq from PostgreSQL, so every node shows one order and a
// reconnecting phone resumes with no gap and no duplicate. Loop thread only.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "base/loop_timer.hpp"
#include "donations/pledge_batcher.hpp"
#include "sql/async_connection.hpp"
#include "sql/worker_pool.hpp"
#include "web/metrics.hpp"
#include "web/room_presence.hpp"
#include "web/room_state.hpp"
#include "web/studio_control.hpp"
#include "web/token_bucket.hpp"
#include "web/ws_endpoint.hpp"
#include "web/ws_messages.hpp"

namespace boai::web {

struct StaffIdentity {
  std::string name;
  std::string role;  // host, finance, admin
};
// Looks up the staff session of a Cookie header; done runs on the loop.
using Authenticator = std::function<void(const std::string& cookie,
                                         std::function<void(std::optional<StaffIdentity>)>)>;

// How donors are told to pay, shown after a pledge is acknowledged.
struct PayInfo {
  std::string account;  // "中国银行 柯桥支行 户名… 账号…"
  std::string qr_url;   // the station's collection QR image
};

struct LiveRoomConfig {
  std::size_t max_text_chars = 200;
  std::size_t max_nickname_chars = 20;
  double messages_per_second = 1.0;
  double message_burst = 5.0;
  double pledges_per_minute = 10.0;
  std::size_t replay_events = 1000;
  std::size_t recent_chat = 50;
  std::size_t recent_donations = 8;
  int bad_frames_before_close = 20;
  PayInfo pay;
};

class LiveRoom final : public WsEndpoint {
 public:
  LiveRoom(LiveRoomConfig config, sql::WorkerPool& pool, donations::PledgeBatcher& pledges,
           Authenticator authenticate, Metrics& metrics, GMainContext* context,
           const std::string& conninfo);
  ~LiveRoom() override;

  void on_open(WsConnection& connection) override;
  void on_text(WsConnection& connection, std::string_view text) override;
  void on_close(WsConnection& connection) override;

  // Ledger events of this process (already on the loop): donations appear in their room.
  void on_ledger_events(const std::vector<donations::DomainEvent>& events);
  // Called for every event a room delivers, and whenever a room's totals change (the studio's
  // overlay listens to both).
  std::function<void(const RoomState&, const StoredRoomEvent&)> on_room_event;
  std::function<void(const RoomState&)> on_totals;

  // The studio that hosts of its room may command (null: none on this node).
  void set_studio(StudioControl* studio) { studio_ = studio; }
  // Loads a room (if it exists) without a viewer, so its totals are known: the studio's room.
  void open_room(const std::string& slug);
  // Sends a frame to the staff members in a room (studio health and events).
  void send_to_staff(const std::string& room, const std::string& text);

  // Stops accepting and says goodbye to everyone (1001).
  void close_all();

 private:
  struct Session;
  using Handler = void (LiveRoom::*)(Session&, const ClientFrame&);

  void handle(Session& s, const ClientFrame& f);
  void hello(Session& s, const ClientFrame& f);
  void chat_send(Session& s, const ClientFrame& f);
  void pledge_create(Session& s, const ClientFrame& f);
  void moderate(Session& s, const ClientFrame& f);
  void command_studio(Session& s, const ClientFrame& f);
  void set_totals(RoomState& room, nlohmann::json totals);

  void with_room(const std::string& slug, std::function<void(RoomState*)> then);
  void join(Session& s, RoomState& room, std::optional<std::int64_t> last_seq);
  void append(RoomState& room, NewRoomEvent event,
              std::function<void(const StoredRoomEvent*)> done = {});
  void write_next(RoomState& room);
  void deliver(RoomState& room, std::vector<StoredRoomEvent> events);
  void broadcast(RoomState& room, const FramePtr& frame);
  void catch_up(const std::string& slug, std::int64_t up_to);
  void refresh_totals(std::int64_t campaign_id);
  void reload_rules(const std::string& slug);
  void remove_banned(RoomState& room);
  std::size_t viewers_of(const RoomState& room);
  void publish_presence(bool leaving);
  void tick();

  bool sanctioned(const RoomState& room, const Session& s, const std::string& kind) const;
  void reply(Session& s, const std::string& text);
  void refuse(Session& s, const ClientFrame& f, const Error& e);

  LiveRoomConfig config_;
  sql::WorkerPool& pool_;
  donations::PledgeBatcher& pledges_;
  Authenticator authenticate_;
  GMainContext* context_;
  std::map<std::uint64_t, std::unique_ptr<Session>> sessions_;
  std::map<std::string, std::unique_ptr<RoomState>> rooms_;
  sql::AsyncConnection listener_;
  RoomPresence presence_;
  StudioControl* studio_ = nullptr;
  std::unique_ptr<LoopTimer> timer_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);

  Counter& messages_in_;
  Counter& messages_out_;
  Counter& rate_limited_;
  Counter& pledges_acked_;
  Counter& pledge_ack_us_;
};

}  // namespace boai::web
