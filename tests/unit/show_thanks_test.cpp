// What the video says about donors: the ticker and the banner, and a name a host hides leaving
// both at once (not 5 s later, when the banner would have gone anyway).
#include "app/show_thanks.hpp"

#include <catch2/catch.hpp>

using boai::app::ShowThanks;
using boai::donations::Money;
using boai::web::RoomDonation;

namespace {

RoomDonation gift(std::int64_t pledge, const std::string& name, std::int64_t fen) {
  return RoomDonation{pledge, name, Money::from_fen(fen), "加油", "general", "gift", false};
}

}  // namespace

TEST_CASE("a hidden donor's name leaves the banner and the ticker at once") {
  boai::stream::OverlayState state;
  ShowThanks thanks(state);
  auto now = ShowThanks::Clock::now();
  thanks.donation(gift(7, "王*", 5000), now);
  thanks.donation(gift(8, "李*", 2000), now);
  REQUIRE(state.alert);
  CHECK(state.alert->text == "感谢 李* 爱心认捐 ¥20.00");
  REQUIRE(state.ticker.size() == 2);

  SECTION("hiding the donor whose banner is up") {
    CHECK(thanks.hidden(8));
    REQUIRE(state.alert);
    CHECK(state.alert->text == "感谢 爱心人士 爱心认捐 ¥20.00");
    CHECK(state.alert->until == now + ShowThanks::kAlertFor);
    CHECK(state.ticker[0].name == "爱心人士");
    CHECK(state.ticker[0].message.empty());
    CHECK(state.ticker[1].name == "王*");
  }
  SECTION("hiding an earlier donor leaves the banner as it is") {
    CHECK(thanks.hidden(7));
    CHECK(state.alert->text == "感谢 李* 爱心认捐 ¥20.00");
    CHECK(state.ticker[1].name == "爱心人士");
  }
  SECTION("a pledge not on the video changes nothing") {
    CHECK_FALSE(thanks.hidden(99));
    CHECK(state.ticker[0].name == "李*");
  }
  SECTION("a payment's banner loses the name too") {
    auto paid = gift(8, "李*", 2000);
    paid.paid_in_full = true;
    thanks.payment(paid, now);
    CHECK(state.ticker[0].paid);
    CHECK(state.alert->text == "感谢 李* · ¥20.00 已到账");
    CHECK(thanks.hidden(8));
    CHECK(state.alert->text == "感谢 爱心人士 · ¥20.00 已到账");
    CHECK_FALSE(thanks.hidden(8));  // hidden already: nothing to publish
  }
}

TEST_CASE("the banner goes when its time is over and the ticker keeps five lines") {
  boai::stream::OverlayState state;
  ShowThanks thanks(state);
  auto now = ShowThanks::Clock::now();
  for (int i = 1; i <= 7; ++i) {
    thanks.donation(gift(i, "张*", 100 * i), now);
  }
  CHECK(state.ticker.size() == ShowThanks::kTickerLength);
  CHECK(state.ticker[0].amount_text == "¥7.00");
  CHECK_FALSE(thanks.expire(now + ShowThanks::kAlertFor - std::chrono::seconds(1)));
  CHECK(thanks.expire(now + ShowThanks::kAlertFor));
  CHECK_FALSE(state.alert);
  CHECK(thanks.hidden(7));  // the line changes; no banner comes back
  CHECK_FALSE(state.alert);
}
