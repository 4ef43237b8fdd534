// LedgerEventHub: a list of listeners on the loop, reached through run_on_loop.
#include "app/ledger_event_hub.hpp"

#include "base/on_loop.hpp"

namespace boai::app {

LedgerEventHub::Subscription::~Subscription() {
  if (auto state = state_.lock()) {
    std::static_pointer_cast<Listeners>(state)->by_id.erase(id_);
  }
}

LedgerEventHub::LedgerEventHub(GMainContext* context) : context_(context) {}

LedgerEventHub::~LedgerEventHub() {
  listeners_->by_id.clear();
}

void LedgerEventHub::post(std::vector<donations::DomainEvent> events) {
  run_on_loop(context_, [listeners = listeners_, events = std::move(events)] {
    for (auto& [id, listener] : listeners->by_id) {
      listener(events);
    }
  });
}

std::unique_ptr<LedgerEventHub::Subscription> LedgerEventHub::listen(Listener listener) {
  int id = listeners_->next_id++;
  listeners_->by_id.emplace(id, std::move(listener));
  return std::unique_ptr<Subscription>(new Subscription(listeners_, id));
}

}  // namespace boai::app
