// The show: the studio broadcasting into one live room. Donations and totals of that room become
// the overlay within moments of their commit; the room's hosts drive the studio over boai.v1; the
// studio's health goes to them once a second and to /metrics.
#pragma once

#include <expected>
#include <functional>
#include <memory>
#include <string>

#include "app/show_thanks.hpp"
#include "base/error.hpp"
#include "base/loop_timer.hpp"
#include "stream/overlay_state.hpp"
#include "stream/studio.hpp"
#include "web/live_room.hpp"
#include "web/metrics.hpp"
#include "web/room_feed.hpp"
#include "web/studio_control.hpp"

namespace boai::app {

class ReplayKeeper;

class Show final : public web::StudioControl, public web::RoomObserver {
 public:
  // Creates the studio (not yet live) and attaches to the room. Errors: the studio's own.
  static std::expected<std::unique_ptr<Show>, Error> start(stream::StudioConfig config,
                                                           web::LiveRoom& room,
                                                           web::Metrics& metrics);
  ~Show() override;
  Show(const Show&) = delete;
  Show& operator=(const Show&) = delete;

  const std::string& room() const override { return room_name_; }
  // A host's studio.* request (show_commands.cpp).
  std::expected<nlohmann::json, Error> command(const std::string& type,
                                               const nlohmann::json& body) override;
  stream::Studio& studio() { return *studio_; }
  // The viewer page's address, for the QR code (known once the service listens).
  void set_viewer_url(const std::string& url);
  // Called on the loop when a host ends the broadcast (the ledger's head is signed then).
  void when_stopped(std::function<void()> fn) { stopped_ = std::move(fn); }
  // Tells `keeper` when a broadcast's replay begins (with the campaign's title) and ends, and
  // takes studio.chapter marks into it. keeper must outlive the show.
  void keep_replays_with(ReplayKeeper& keeper) { replays_ = &keeper; }

  void on_donation(const web::RoomState& room, const web::RoomDonation& donation) override;
  void on_payment(const web::RoomState& room, const web::RoomDonation& payment) override;
  void on_totals(const web::RoomState& room) override;
  void on_wish(const web::RoomState& room, const web::RoomWish& wish, bool featured) override;
  void on_sale(const web::RoomState& room, const web::RoomSale& item, bool featured) override;
  void on_donation_hidden(const web::RoomState& room, std::int64_t pledge) override;

 private:
  Show(std::unique_ptr<stream::Studio> studio, std::string room, web::LiveRoom& live_room);
  std::expected<nlohmann::json, Error> broadcast_command(const std::string& type,
                                                         const nlohmann::json& body);
  std::expected<nlohmann::json, Error> overlay_command(const std::string& type,
                                                       const nlohmann::json& body);
  std::expected<nlohmann::json, Error> chapter_command(const nlohmann::json& body);
  void publish();        // hands the studio a fresh snapshot of state_
  void point_qr_code();  // at the card's wish or item, or at the room
  void tick();           // once a second: health to the hosts, the end of an alert
  void follow_replay();  // tells the keeper a replay began or ended

  std::unique_ptr<stream::Studio> studio_;
  std::string room_name_;
  web::LiveRoom& live_room_;
  stream::OverlayState state_;  // the working copy; the studio only sees immutable snapshots
  std::unique_ptr<LoopTimer> timer_;
  std::int64_t featured_wish_ = 0;  // the wish on the card, updated as gifts arrive
  std::int64_t featured_sale_ = 0;  // or the sale item, updated as it sells
  std::string viewer_url_;          // the room's page, where the QR code leads
  ShowThanks thanks_{state_};       // the ticker and the banner, in state_
  std::function<void()> stopped_;
  ReplayKeeper* replays_ = nullptr;
  std::string replay_name_;  // the replay being recorded, as the keeper was told
};

// The studio's health as the host console reads it.
nlohmann::json health_json(const stream::StudioHealth& health);

}  // namespace boai::app
