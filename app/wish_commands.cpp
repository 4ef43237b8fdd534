// `boai wish list|review|fulfil`: the desk's side of red wishes, against the same database as
// `boai serve` (and while it runs).
#include <cstdio>

#include "app/command_support.hpp"
#include "app/commands.hpp"
#include "donations/catalog.hpp"
#include "donations/wish_fulfilment.hpp"
#include "donations/wishes.hpp"
#include "web/proof_images.hpp"
#include "web/room_store.hpp"
#include "web/wish_json.hpp"

namespace boai::app {

namespace {

using donations::Wish;

// Viewers of the wish's room, on every node, see it change: the same wish.updated event the
// room's own review sends. A room nobody has opened yet has no one to tell.
void tell_room(sql::Connection& conn, const Wish& w) {
  auto told = web::append_room_events(
      conn, w.campaign, {web::NewRoomEvent{"wish.updated", web::wish_json(w), "", "", {}}});
  if (!told && told.error().code != "room_not_found") {
    std::fprintf(stderr, "boai: the room was not told: %s\n", told.error().message.c_str());
  }
}

void print_wish(const Wish& w) {
  std::printf("#%lld  %-9s %s  %s / %s  %s (%s)  room %s  fund %s\n", static_cast<long long>(w.id),
              w.status.c_str(), w.title.c_str(), w.pledged.format().c_str(),
              w.amount.format().c_str(), w.requester_public.c_str(), w.contact.c_str(),
              w.campaign.c_str(), w.fund.c_str());
}

std::expected<std::int64_t, Error> wish_id(const Invocation& inv) {
  const auto& text = inv.positional[0];
  char* end = nullptr;
  long long id = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || id <= 0) {
    return std::unexpected(
        make_error("bad_request", "a wish is named by its number, not \"" + text + "\""));
  }
  return id;
}

int list(const Invocation& inv, sql::Connection& conn) {
  std::vector<std::string> statuses = {"pending", "approved", "funded", "fulfilled", "rejected"};
  if (inv.has("--status")) {
    statuses = {inv.value("--status")};
  }
  auto wishes = donations::list_wishes(conn, inv.value("--room"), statuses, 1000);
  if (!wishes) {
    return report(wishes.error());
  }
  for (const auto& w : *wishes) {
    print_wish(w);
  }
  return 0;
}

int review(const Invocation& inv, sql::Connection& conn) {
  auto id = wish_id(inv);
  if (!id) {
    return report(id.error());
  }
  bool approve = inv.switches.contains("--approve");
  if (approve == inv.has("--reject")) {
    return report(make_error("bad_request", "say --approve or --reject REASON"));
  }
  donations::WishReview r{*id, approve, inv.value("--reject"), {}, {}, {}, inv.value("--by")};
  if (r.reviewer.empty()) {
    r.reviewer = "desk";
  }
  if (inv.has("--title")) {
    r.title = inv.value("--title");
  }
  if (inv.has("--story")) {
    r.story = inv.value("--story");
  }
  if (inv.has("--amount")) {
    auto amount = money_flag(inv, "--amount");
    if (!amount) {
      return report(amount.error());
    }
    r.amount = *amount;
  }
  auto wish = donations::review_wish(conn, r, donations::WishLimits{});
  if (!wish) {
    return report(wish.error());
  }
  if (wish->status == "approved") {
    tell_room(conn, *wish);
  }
  print_wish(*wish);
  return 0;
}

// The spending that paid for the wish (--amount, --payee, --approved-by, --evidence), if given.
std::expected<std::optional<donations::WishSpending>, Error> spending_of(const Invocation& inv) {
  if (!inv.has("--amount")) {
    return std::nullopt;
  }
  auto amount = money_flag(inv, "--amount");
  if (!amount) {
    return std::unexpected(amount.error());
  }
  return donations::WishSpending{*amount, inv.value("--payee"), inv.value("--approved-by"),
                                 inv.value("--evidence")};
}

int fulfil(const Invocation& inv, sql::Connection& conn) {
  auto id = wish_id(inv);
  if (!id) {
    return report(id.error());
  }
  auto spending = spending_of(inv);
  if (!spending) {
    return report(spending.error());
  }
  if (auto wish = donations::find_wish(conn, *id); !wish) {
    return report(wish.error());
  }
  std::string proof;
  if (inv.has("--proof")) {
    auto saved = web::save_proof_file(inv.options.data_dir + "/proofs",
                                      "wish-" + std::to_string(*id), inv.value("--proof"));
    if (!saved) {
      return report(saved.error());
    }
    proof = *saved;
  }
  auto done = donations::fulfil_wish(conn, {*id, inv.value("--note"), proof, *spending});
  if (!done) {
    return report(done.error());
  }
  tell_room(conn, *done);
  print_wish(*done);
  return 0;
}

}  // namespace

int run_wish_command(const Invocation& inv) {
  return with_database(inv, [&](sql::Connection& conn) -> int {
    switch (inv.command) {
      case Command::kWishList:
        return list(inv, conn);
      case Command::kWishReview:
        return review(inv, conn);
      default:
        return fulfil(inv, conn);
    }
  });
}

}  // namespace boai::app
