// import_statement: the parser's lines go to COPY in chunks of 256 KiB as they come; a parse error
// aborts the COPY and the transaction, so a broken file leaves nothing behind.
#include "statements/statement_import.hpp"

#include <charconv>

#include "sql/transaction.hpp"
#include "statements/alipay_bill.hpp"
#include "statements/bank_profiles.hpp"
#include "statements/bank_statement.hpp"
#include "statements/statement_matching.hpp"
#include "statements/statement_posting.hpp"
#include "statements/wechat_bill.hpp"

namespace boai::statements {

using sql::params;

namespace {

constexpr std::size_t kChunkBytes = 256 * 1024;

void append_int(std::string& row, std::int64_t value) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  row.append(buf, end);
}

// One staged row in kStageTable's column order.
void append_line(std::string& out, const StatementLine& l) {
  append_int(out, l.line);
  out += l.kind == LineKind::kRefund ? "\trefund\t" : "\tpayment\t";
  sql::append_copy_field(out, l.txn_id);
  out += l.txn_id_derived ? "\tt\t" : "\tf\t";
  sql::append_copy_field(out, l.original_txn_id);
  out += '\t';
  sql::append_copy_field(out, l.reference);
  out += '\t';
  append_int(out, l.occurred_us);
  out += '\t';
  append_int(out, l.amount.fen());
  out += '\t';
  append_int(out, l.fee_fen);
  out += '\t';
  sql::append_copy_field(out, l.counterparty);
  out += '\t';
  sql::append_copy_field(out, l.remark);
  out += '\n';
}

using Parse = std::function<std::expected<ParseTally, Error>(ByteSource&, const LineSink&)>;

// The parser the request names, with its configuration. Errors: provider_invalid,
// merchant_not_configured, bank_profile_not_found.
std::expected<Parse, Error> parser_for(sql::Connection& conn, const ImportRequest& req) {
  if (req.provider == "wechat") {
    if (req.wechat_mchid.empty()) {
      return std::unexpected(make_error("merchant_not_configured",
                                        "set --wechatpay-mchid: a bill is checked against it"));
    }
    WechatBillConfig config{req.wechat_mchid};
    return Parse([config](ByteSource& s, const LineSink& sink) {
      return parse_wechat_bill(s, config, sink);
    });
  }
  if (req.provider == "alipay") {
    if (req.alipay_seller_id.empty()) {
      return std::unexpected(make_error("merchant_not_configured",
                                        "set --alipay-seller-id: a bill is checked against it"));
    }
    AlipayBillConfig config{req.alipay_seller_id};
    return Parse([config](ByteSource& s, const LineSink& sink) {
      return parse_alipay_bill(s, config, sink);
    });
  }
  if (req.provider == "bank") {
    auto profile = find_bank_profile(conn, req.bank_profile);
    if (!profile) {
      return std::unexpected(profile.error());
    }
    return Parse([p = *profile](ByteSource& s, const LineSink& sink) {
      return parse_bank_statement(s, p, sink);
    });
  }
  return std::unexpected(make_error("provider_invalid",
                                    "a statement comes from wechat, alipay or "
                                    "bank"));
}

// Parses the file into the staging table. Errors: the parser's, db_unavailable.
std::expected<ParseTally, Error> stage(sql::Connection& tx, const Parse& parse,
                                       ByteSource& source) {
  if (auto c = tx.exec(kStageTable); !c) {
    return std::unexpected(sql::db_failure(c.error()));
  }
  if (auto b = tx.copy_in_begin(kStageCopy); !b) {
    return std::unexpected(sql::db_failure(b.error()));
  }
  std::string chunk;
  chunk.reserve(kChunkBytes + 4096);
  auto parsed = parse(source, [&](const StatementLine& line) -> std::expected<void, Error> {
    append_line(chunk, line);
    if (chunk.size() < kChunkBytes) {
      return {};
    }
    auto put = tx.copy_in_put(chunk);
    chunk.clear();
    if (!put) {
      return std::unexpected(sql::db_failure(put.error()));
    }
    return {};
  });
  if (!parsed) {
    (void)tx.copy_in_end("the statement is broken");
    return std::unexpected(parsed.error());
  }
  if (auto put = tx.copy_in_put(chunk); !put) {
    return std::unexpected(sql::db_failure(put.error()));
  }
  if (auto end = tx.copy_in_end(); !end) {
    return std::unexpected(sql::db_failure(end.error()));
  }
  return parsed;
}

}  // namespace

std::expected<ImportReport, Error> import_statement(sql::Connection& conn, const ImportRequest& req,
                                                    ByteSource& source) {
  auto parse = parser_for(conn, req);
  if (!parse) {
    return std::unexpected(parse.error());
  }
  auto imported =
      sql::in_transaction(conn, [&](sql::Connection& tx) -> std::expected<ImportReport, Error> {
        // The matching joins a million rows at once: its hashes get room (bounded all the same),
        // and its few statements are not worth compiling (JIT cost more than it saved).
        for (const char* setting : {"SET LOCAL work_mem = '256MB'", "SET LOCAL jit = off"}) {
          if (auto w = tx.exec(setting); !w) {
            return std::unexpected(sql::db_failure(w.error()));
          }
        }
        auto created = tx.exec(
            "INSERT INTO statement_imports (provider, bank_profile, file_name, imported_by) "
            "VALUES ($1, $2, $3, $4) RETURNING id",
            params(req.provider, req.bank_profile, req.file_name, req.imported_by));
        if (!created) {
          return std::unexpected(sql::db_failure(created.error()));
        }
        ImportReport report;
        report.import_id = created->int64(0, 0);
        auto tally = stage(tx, *parse, source);
        if (!tally) {
          return std::unexpected(tally.error());
        }
        auto counts = match_staged(tx, req.provider, report.import_id);
        if (!counts) {
          return std::unexpected(counts.error());
        }
        report.rows_read = tally->rows;
        report.new_lines = counts->new_lines;
        report.matched = counts->matched;
        report.exceptions = counts->exceptions;
        report.skipped = tally->rows - counts->new_lines;
        auto saved = tx.exec(
            "UPDATE statement_imports SET rows_read = $2, new_lines = $3, matched = $4, "
            "exceptions = $5, skipped = $6 WHERE id = $1",
            params(report.import_id, report.rows_read, report.new_lines, report.matched,
                   report.exceptions, report.skipped));
        if (!saved) {
          return std::unexpected(sql::db_failure(saved.error()));
        }
        return report;
      });
  if (!imported) {
    return imported;
  }
  if (req.post) {
    auto posted = post_statement_lines(conn, imported->import_id);
    if (!posted) {
      return std::unexpected(posted.error());
    }
    imported->posted = posted->posted;
    imported->post_failed = posted->failed;
  }
  auto overdue = refresh_overdue(conn, req.overdue_days);
  if (!overdue) {
    return std::unexpected(overdue.error());
  }
  imported->overdue_added = *overdue;
  return imported;
}

}  // namespace boai::statements
