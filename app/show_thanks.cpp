// ShowThanks: the ticker and the banner, written into the overlay state Show publishes.
#include "app/show_thanks.hpp"

#include <string>

namespace boai::app {

namespace {

constexpr const char* kHiddenName = "爱心人士";  // what the room shows for a hidden name too

}  // namespace

void ShowThanks::donation(const web::RoomDonation& donation, Clock::time_point now) {
  stream::TickerEntry entry{donation.display_name, donation.amount.format(), donation.message};
  state_.ticker.insert(state_.ticker.begin(), entry);
  ticker_pledges_.insert(ticker_pledges_.begin(), donation.pledge);
  if (state_.ticker.size() > kTickerLength) {
    state_.ticker.resize(kTickerLength);
    ticker_pledges_.resize(kTickerLength);
  }
  state_.alert =
      stream::Alert{"感谢 " + entry.name + " 爱心认捐 " + entry.amount_text, now + kAlertFor};
  alert_pledge_ = donation.pledge;
  alert_if_hidden_ = std::string("感谢 ") + kHiddenName + " 爱心认捐 " + entry.amount_text;
}

void ShowThanks::payment(const web::RoomDonation& payment, Clock::time_point now) {
  for (std::size_t i = 0; payment.paid_in_full && i < ticker_pledges_.size(); ++i) {
    if (ticker_pledges_[i] == payment.pledge) {
      state_.ticker[i].paid = true;
    }
  }
  // The name comes as the room shows it: one hidden before is already masked
  // (app/payment_thanks.cpp); one hidden while the banner is up is masked by hidden().
  auto amount = payment.amount.format();
  state_.alert =
      stream::Alert{"感谢 " + payment.display_name + " · " + amount + " 已到账", now + kAlertFor};
  alert_pledge_ = payment.pledge;
  alert_if_hidden_ = std::string("感谢 ") + kHiddenName + " · " + amount + " 已到账";
}

bool ShowThanks::hidden(std::int64_t pledge) {
  bool changed = false;
  for (std::size_t i = 0; i < ticker_pledges_.size(); ++i) {
    auto& line = state_.ticker[i];
    if (ticker_pledges_[i] == pledge && (line.name != kHiddenName || !line.message.empty())) {
      line.name = kHiddenName;
      line.message.clear();
      changed = true;
    }
  }
  if (state_.alert && alert_pledge_ == pledge && state_.alert->text != alert_if_hidden_) {
    state_.alert->text = alert_if_hidden_;
    changed = true;
  }
  return changed;
}

bool ShowThanks::expire(Clock::time_point now) {
  if (!state_.alert || state_.alert->until > now) {
    return false;
  }
  state_.alert.reset();
  alert_pledge_ = 0;
  return true;
}

}  // namespace boai::app
