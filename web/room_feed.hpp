// The rooms this node has open and their events: loading a room, appending events through
// PostgreSQL (which gives each its seq), delivering them in seq order to the room's connections
// and observers, fetching what other nodes wrote, the totals, and viewer counts across nodes.
// Loop thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/loop_timer.hpp"
#include "donations/records.hpp"
#include "sql/async_connection.hpp"
#include "sql/worker_pool.hpp"
#include "web/room_config.hpp"
#include "web/room_presence.hpp"
#include "web/room_state.hpp"

namespace boai::web {

// A donation as the room shows it (masked name), decoded once from its room event: a pledge
// (donation) or money that arrived for one (donation.paid: amount is what arrived).
struct RoomDonation {
  std::int64_t pledge = 0;
  std::string display_name;
  donations::Money amount;
  std::string message;
  std::string fund;
  std::string kind;           // donation.paid: gift, wish or sale
  bool paid_in_full = false;  // donation.paid: nothing is left to pay
};

// A red wish as the room shows it, decoded once from its room event.
struct RoomWish {
  std::int64_t id = 0;  // 0 in a wish.featured event: the card is taken off
  std::string title;
  donations::Money amount;
  donations::Money pledged;
  std::string status;
};

// A charity-sale item as the room shows it, decoded once from its room event.
struct RoomSale {
  std::int64_t id = 0;  // 0 in a sale.featured event: the card is taken off
  std::string title;
  donations::Money price;
  int available = 0;
  std::string donated_by;
};

// What the studio's show listens to: the room's donations, totals, wishes and sale items as they
// are delivered.
class RoomObserver {
 public:
  virtual ~RoomObserver() = default;
  virtual void on_donation(const RoomState& room, const RoomDonation& donation) = 0;
  virtual void on_payment(const RoomState& room, const RoomDonation& payment) = 0;
  virtual void on_totals(const RoomState& room) = 0;
  // featured: a host put it on the video (wish.featured); otherwise its progress changed.
  virtual void on_wish(const RoomState& room, const RoomWish& wish, bool featured) = 0;
  // featured: a host put it on the video (sale.featured); otherwise its stock changed.
  virtual void on_sale(const RoomState& room, const RoomSale& item, bool featured) = 0;
  // A host hid a donation's name and message (donation.hidden): the video drops them too.
  virtual void on_donation_hidden(const RoomState& room, std::int64_t pledge) = 0;
};

class RoomFeed {
 public:
  // rules_changed runs after a room's moderation was reloaded (another node banned someone).
  // An unpaid pledge above show_unpaid_up_to gets no donation event here: the payment's thanks
  // shows it once it is paid in full (app/payment_thanks.cpp).
  RoomFeed(std::size_t replay_events, donations::Money show_unpaid_up_to, sql::WorkerPool& pool,
           RoomCounters& counters, GMainContext* context, const std::string& conninfo,
           std::function<void(RoomState&)> rules_changed);
  ~RoomFeed();
  RoomFeed(const RoomFeed&) = delete;
  RoomFeed& operator=(const RoomFeed&) = delete;

  // Runs then with the room once it is loaded, or with null when there is no such campaign.
  void with_room(const std::string& slug, std::function<void(RoomState*)> then);
  // A room that is open here, or null.
  RoomState* ready(const std::string& slug);
  std::size_t size() const { return rooms_.size(); }

  void join(RoomState& room, WsConnection& conn) { room.members[conn.id()] = &conn; }
  void leave(const std::string& slug, std::uint64_t id);

  // Writes an event; done gets it with its seq, or null when it could not be written.
  void append(RoomState& room, NewRoomEvent event,
              std::function<void(const StoredRoomEvent*)> done = {});
  void broadcast(RoomState& room, const FramePtr& frame);
  void send(WsConnection& conn, FramePtr frame);
  std::size_t viewers_of(const RoomState& room);

  // Ledger events of this process: donations appear in their room, totals move.
  void on_ledger_events(const std::vector<donations::DomainEvent>& events);
  void add_observer(RoomObserver& observer);
  void remove_observer(RoomObserver& observer);
  // Hears one more channel on the connection that listens for the rooms (staff notices).
  void listen(const std::string& channel, std::function<void(const std::string&)> heard) {
    listener_.listen(channel, std::move(heard));
  }
  // Tells the other nodes this one has no viewers any more.
  void publish_leaving() { publish_presence(true); }

 private:
  void write_next(RoomState& room);
  void deliver(RoomState& room, std::vector<StoredRoomEvent> events);
  void tell_observers(const RoomState& room, const StoredRoomEvent& event);
  void catch_up(const std::string& slug, std::int64_t up_to);
  void heard_room_notice(const std::string& payload);
  void refresh_totals(std::int64_t campaign_id);
  void set_totals(RoomState& room, const donations::Totals& totals);
  void reload_rules(const std::string& slug);
  void broadcast_settings(RoomState& room);
  void publish_presence(bool leaving);
  void tick();

  std::size_t replay_events_;
  donations::Money show_unpaid_up_to_;
  sql::WorkerPool& pool_;
  RoomCounters& counters_;
  std::function<void(RoomState&)> rules_changed_;
  std::map<std::string, std::unique_ptr<RoomState>> rooms_;
  std::vector<RoomObserver*> observers_;
  sql::AsyncConnection listener_;
  RoomPresence presence_;
  std::unique_ptr<LoopTimer> timer_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

// The frame that tells viewers a room's slow mode.
FramePtr settings_frame(const RoomState& room);
// The totals as the protocol and the pages carry them.
nlohmann::json totals_json(const RoomState& room);

}  // namespace boai::web
