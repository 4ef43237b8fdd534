// Deciding locks the request's row first, then its exception's (if it came from the queue), then
// (approving) refund_in or cancel_in takes the ledger head and the pledge. Money-changing
// transactions take the head before any row they change; nothing else locks a request's row, so
// taking it before the head cannot deadlock, and a second decision of the same request waits here
// and then finds it decided.
#include "donations/approvals.hpp"

#include "donations/exception_resolution.hpp"
#include "donations/payments.hpp"
#include "donations/pledges.hpp"
#include "donations/text_rules.hpp"
#include "sql/transaction.hpp"

namespace boai::donations {

namespace {

using sql::params;

constexpr const char* kColumns =
    "id, kind, reference, amount_fen, reason, proposed_by, "
    "(extract(epoch FROM proposed_at) * 1000000)::bigint AS proposed_us, status, "
    "coalesce(decided_by, '') AS decided_by, note, coalesce(exception_id, 0) AS exception_id";

std::vector<ApprovalRequest> requests_of(const sql::Result& r) {
  std::vector<ApprovalRequest> out;
  for (int i = 0; i < r.rows(); ++i) {
    auto text = [&](const char* c) { return std::string(r.text(i, r.column(c))); };
    out.push_back({r.int64(i, r.column("id")), text("kind"), text("reference"),
                   Money::from_fen(r.int64(i, r.column("amount_fen"))), text("reason"),
                   text("proposed_by"), r.int64(i, r.column("proposed_us")), text("status"),
                   text("decided_by"), text("note"), r.int64(i, r.column("exception_id"))});
  }
  return out;
}

std::expected<ApprovalRequest, Error> one(sql::Connection& conn, const char* sql,
                                          const sql::Params& values) {
  auto r = conn.exec(sql, values);
  if (!r) {
    return std::unexpected(sql::db_failure(r.error()));
  }
  if (r->rows() == 0) {
    return std::unexpected(make_error("request_not_found", "no such request"));
  }
  return requests_of(*r).front();
}

std::expected<std::string, Error> checked_reason(const std::string& reason) {
  return checked_text("the reason", reason, 200);
}

// Approving moves the money (a refund, or a write-off that cancels the pledge) and resolves the
// exception the request came from; rejecting puts that exception back in the queue.
std::expected<void, Error> settle_exception(sql::Connection& tx, const ApprovalRequest& request,
                                            bool approve, const std::string& by) {
  auto who = request.proposed_by + " / " + by;
  if (request.exception_id != 0) {
    // Taken before the head (the money below), as resolving takes it.
    auto e = tx.exec(
        "UPDATE reconcile_exceptions SET approved_by = CASE WHEN $2 THEN $3 END, "
        "approved_at = CASE WHEN $2 THEN now() END WHERE id = $1",
        params(request.exception_id, approve, by));
    if (!e) {
      return std::unexpected(sql::db_failure(e.error()));
    }
    if (!approve) {
      return detail::reopen_exception(tx, request.exception_id);
    }
  }
  if (!approve) {
    return {};
  }
  auto memo = request.exception_id == 0
                  ? request.reason + " (" + who + ")"
                  : "对账 #" + std::to_string(request.exception_id) + " " + request.kind + ": " +
                        request.reason + " (" + who + ")";
  if (request.kind == "write_off") {
    if (auto c = detail::cancel_in(tx, request.reference, "cancel", memo); !c) {
      return std::unexpected(c.error());
    }
  } else if (auto refunded = detail::refund_in(tx, request.reference, request.amount, memo);
             !refunded) {
    return std::unexpected(refunded.error());
  }
  if (request.exception_id != 0) {
    auto seq = detail::close_exception(tx, request.exception_id, request.kind, request.reason, who);
    if (!seq) {
      return std::unexpected(seq.error());
    }
  }
  return {};
}

}  // namespace

std::expected<Proposed, Error> propose_refund(sql::Connection& conn, const RefundProposal& p,
                                              Money approval_above) {
  auto reason = checked_reason(p.reason);
  if (!reason) {
    return std::unexpected(reason.error());
  }
  if (p.amount <= approval_above) {
    auto refunded = refund_pledge(conn, p.reference, p.amount, *reason);
    if (!refunded) {
      return std::unexpected(refunded.error());
    }
    return Proposed{*refunded, std::nullopt};
  }
  // Checked now, so a request that could never be carried out is not left waiting.
  auto pledge = find_pledge(conn, p.reference);
  if (!pledge) {
    return std::unexpected(pledge.error());
  }
  if (p.amount.fen() > pledge->paid.fen() - pledge->refunded.fen()) {
    return std::unexpected(make_error(
        "amount_out_of_range",
        "at most " + Money::from_fen(pledge->paid.fen() - pledge->refunded.fen()).format() +
            " can be refunded"));
  }
  auto request = one(conn,
                     (std::string("INSERT INTO approval_requests (kind, reference, amount_fen, "
                                  "reason, proposed_by) VALUES ('refund', $1, $2, $3, $4) "
                                  "RETURNING ") +
                      kColumns)
                         .c_str(),
                     params(pledge->reference, p.amount.fen(), *reason, p.by));
  if (!request) {
    return std::unexpected(request.error());
  }
  return Proposed{std::nullopt, *request};
}

std::expected<ApprovalRequest, Error> decide_request(sql::Connection& conn, std::int64_t id,
                                                     bool approve, const std::string& by,
                                                     const std::string& note) {
  auto checked_note = checked_text("the note", note, 200, false);
  if (!checked_note) {
    return std::unexpected(checked_note.error());
  }
  auto select = std::string("SELECT ") + kColumns + " FROM approval_requests WHERE id = $1";
  return sql::in_transaction(
      conn, [&](sql::Connection& tx) -> std::expected<ApprovalRequest, Error> {
        auto locked = one(tx, (select + " FOR UPDATE").c_str(), params(id));
        if (!locked) {
          return locked;
        }
        if (locked->status != "proposed") {
          return std::unexpected(make_error(
              "request_decided", "request #" + std::to_string(id) + " is " + locked->status));
        }
        if (locked->proposed_by == by) {
          return std::unexpected(
              make_error("same_person", "another finance member must decide what you proposed"));
        }
        if (auto settled = settle_exception(tx, *locked, approve, by); !settled) {
          return std::unexpected(settled.error());
        }
        return one(tx,
                   (std::string("UPDATE approval_requests SET status = $2, decided_by = $3, "
                                "decided_at = now(), note = $4 WHERE id = $1 RETURNING ") +
                    kColumns)
                       .c_str(),
                   params(id, approve ? "approved" : "rejected", by, *checked_note));
      });
}

std::expected<std::vector<ApprovalRequest>, Error> list_requests(sql::Connection& conn,
                                                                 const std::string& status) {
  auto r = conn.exec(std::string("SELECT ") + kColumns +
                         " FROM approval_requests WHERE $1 = '' OR status = $1 "
                         "ORDER BY id DESC LIMIT 200",
                     params(status));
  if (!r) {
    return std::unexpected(sql::db_failure(r.error()));
  }
  return requests_of(*r);
}

}  // namespace boai::donations
