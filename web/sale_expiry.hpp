// Unpaid sale orders past their hold give their stock back: every few seconds this node expires
// the due ones (each in a transaction of its own; a second node finds them gone) and tells each
// order's room how much of the item is left.
#pragma once

#include <chrono>
#include <memory>

#include "base/loop_timer.hpp"
#include "web/room_context.hpp"

namespace boai::web {

class SaleExpiry {
 public:
  SaleExpiry(RoomContext& context, std::chrono::milliseconds every);
  ~SaleExpiry();
  SaleExpiry(const SaleExpiry&) = delete;
  SaleExpiry& operator=(const SaleExpiry&) = delete;

 private:
  void sweep();

  RoomContext& context_;
  bool sweeping_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  LoopTimer timer_;
};

}  // namespace boai::web
