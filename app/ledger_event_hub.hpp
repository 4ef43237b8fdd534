// Ledger events from the pledge writers' threads, handed to the GLib loop and on to whoever
// listens there (the live room). The hub exists before the writers and the room, so neither needs
// the other to exist first; a listener's subscription ends before the listener does.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <vector>

#include "donations/records.hpp"

typedef struct _GMainContext GMainContext;

namespace boai::app {

class LedgerEventHub {
 public:
  using Listener = std::function<void(const std::vector<donations::DomainEvent>&)>;

  // Listens until destroyed.
  class Subscription {
   public:
    Subscription(const Subscription&) = delete;
    Subscription& operator=(const Subscription&) = delete;
    ~Subscription();

   private:
    friend class LedgerEventHub;
    Subscription(std::weak_ptr<void> state, int id) : state_(std::move(state)), id_(id) {}
    std::weak_ptr<void> state_;
    int id_;
  };

  explicit LedgerEventHub(GMainContext* context = nullptr);
  ~LedgerEventHub();  // events still on their way to the loop reach nobody
  LedgerEventHub(const LedgerEventHub&) = delete;
  LedgerEventHub& operator=(const LedgerEventHub&) = delete;

  // Any thread: the listeners get the events on the loop, soon.
  void post(std::vector<donations::DomainEvent> events);
  // Loop thread.
  [[nodiscard]] std::unique_ptr<Subscription> listen(Listener listener);

 private:
  struct Listeners {
    std::map<int, Listener> by_id;
    int next_id = 0;
  };
  GMainContext* context_;
  std::shared_ptr<Listeners> listeners_ = std::make_shared<Listeners>();
};

}  // namespace boai::app
