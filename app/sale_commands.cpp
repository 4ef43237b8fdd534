// `boai sale add|list|withdraw|orders|hand-over`: the desk's side of charity sales, against the
// same database as `boai serve` (and while it runs).
#include <cstdio>

#include "app/command_support.hpp"
#include "app/commands.hpp"
#include "donations/sale_orders.hpp"
#include "web/proof_images.hpp"

namespace boai::app {

namespace {

using donations::SaleItem;
using donations::SaleOrder;

void print_item(const SaleItem& i) {
  std::printf("#%lld  %-9s %s  %s  %d of %d left%s  fund %s%s\n", static_cast<long long>(i.id),
              i.status.c_str(), i.title.c_str(), i.price.format().c_str(), i.available, i.quantity,
              i.per_buyer > 0 ? (", " + std::to_string(i.per_buyer) + " a buyer").c_str() : "",
              i.fund.c_str(), i.donated_by.empty() ? "" : ("  from " + i.donated_by).c_str());
}

void print_order(const SaleOrder& o) {
  std::printf("%s  %-16s %s ×%d  %s paid %s  %s  room %s\n", o.pledge.reference.c_str(),
              o.stage.c_str(), o.item_title.c_str(), o.quantity, o.pledge.amount.format().c_str(),
              o.pledge.paid.format().c_str(), o.pledge.public_name.c_str(),
              o.pledge.campaign.c_str());
}

// A whole number flag or positional: "--quantity 3". Errors: bad_request.
std::expected<std::int64_t, Error> whole_number(const std::string& what, const std::string& text) {
  char* end = nullptr;
  long long n = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || n < 0 || n > 1'000'000'000) {
    return std::unexpected(
        make_error("bad_request", what + " is a whole number, not \"" + text + "\""));
  }
  return n;
}

int add(const Invocation& inv, sql::Connection& conn) {
  auto price = money_flag(inv, "--price");
  auto quantity = whole_number("--quantity", inv.value("--quantity"));
  auto per_buyer = whole_number("--per-buyer", inv.value("--per-buyer", "0"));
  if (!price || !quantity || !per_buyer) {
    return report(!price ? price.error() : !quantity ? quantity.error() : per_buyer.error());
  }
  donations::NewSaleItem item{inv.value("--title"),
                              inv.value("--description"),
                              inv.value("--donated-by"),
                              "",
                              *price,
                              static_cast<int>(std::min<std::int64_t>(*quantity, 1'000'000)),
                              static_cast<int>(std::min<std::int64_t>(*per_buyer, 1'000'000)),
                              inv.value("--fund"),
                              inv.value("--by", "desk")};
  if (inv.has("--photo")) {
    auto saved =
        web::save_proof_file(inv.options.data_dir + "/proofs", "item", inv.value("--photo"));
    if (!saved) {
      return report(saved.error());
    }
    item.photo_file = *saved;
  }
  auto added = donations::add_sale_item(conn, item);
  if (!added) {
    return report(added.error());
  }
  print_item(*added);
  return 0;
}

int list(const Invocation& inv, sql::Connection& conn) {
  auto items = donations::list_sale_items(conn, inv.switches.contains("--all"));
  if (!items) {
    return report(items.error());
  }
  for (const auto& i : *items) {
    print_item(i);
  }
  return 0;
}

int withdraw(const Invocation& inv, sql::Connection& conn) {
  auto id = whole_number("an item", inv.positional[0]);
  if (!id) {
    return report(id.error());
  }
  auto item = donations::withdraw_sale_item(conn, *id);
  if (!item) {
    return report(item.error());
  }
  print_item(*item);
  return 0;
}

int orders(const Invocation& inv, sql::Connection& conn) {
  auto item = whole_number("--item", inv.value("--item", "0"));
  if (!item) {
    return report(item.error());
  }
  auto list = donations::list_sale_orders(conn, *item, 1000);
  if (!list) {
    return report(list.error());
  }
  for (const auto& o : *list) {
    print_order(o);
  }
  return 0;
}

int hand_over(const Invocation& inv, sql::Connection& conn) {
  bool picked_up = inv.switches.contains("--picked-up");
  if (picked_up == inv.switches.contains("--delivered")) {
    return report(make_error("bad_request", "say --picked-up or --delivered"));
  }
  auto order = donations::hand_over_sale_order(conn, inv.positional[0],
                                               picked_up ? "picked_up" : "delivered");
  if (!order) {
    return report(order.error());
  }
  print_order(*order);
  return 0;
}

}  // namespace

int run_sale_command(const Invocation& inv) {
  return with_database(inv, [&](sql::Connection& conn) -> int {
    switch (inv.command) {
      case Command::kSaleAdd:
        return add(inv, conn);
      case Command::kSaleList:
        return list(inv, conn);
      case Command::kSaleWithdraw:
        return withdraw(inv, conn);
      case Command::kSaleOrders:
        return orders(inv, conn);
      default:
        return hand_over(inv, conn);
    }
  });
}

}  // namespace boai::app
