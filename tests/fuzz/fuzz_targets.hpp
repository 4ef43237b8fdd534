// Fuzz targets for every parser of outside input, each a function of bytes that must never crash,
// hang or break its property under the sanitizers. Each has the shape of LLVMFuzzerTestOneInput,
// so a libFuzzer build can call it; every ctest run drives them with tests/fuzz/smoke_main.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace boai::fuzz {

// The fuzzer's bytes as text, and a property that must hold (a broken one ends the run, named).
inline std::string_view view(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}
inline void require(bool property, const char* what) {
  if (!property) {
    throw std::logic_error(what);
  }
}

void client_frame(const std::uint8_t* data, std::size_t size);    // web::parse_client_frame
void money(const std::uint8_t* data, std::size_t size);           // donations::Money::parse
void reference_code(const std::uint8_t* data, std::size_t size);  // find_reference_code
void text_rules(const std::uint8_t* data, std::size_t size);      // UTF-8 checks, masking
void migration_name(const std::uint8_t* data, std::size_t size);  // parse_migrations
void command_line(const std::uint8_t* data, std::size_t size);    // app::parse_command_line

// What arrives over HTTP and from other nodes (fuzz_targets_web.cpp).
void login_body(const std::uint8_t* data, std::size_t size);            // web::parse_login_body
void cookie_header(const std::uint8_t* data, std::size_t size);         // session_token_from_cookie
void room_presence(const std::uint8_t* data, std::size_t size);         // RoomPresence::heard
void room_notice(const std::uint8_t* data, std::size_t size);           // web::parse_room_notice
void stored_password_hash(const std::uint8_t* data, std::size_t size);  // verify_password
void paging_query(const std::uint8_t* data, std::size_t size);    // query_value, parse_bounded
void recording_name(const std::uint8_t* data, std::size_t size);  // stream::parse_recording_name

// What payment providers push (fuzz_targets_notices.cpp).
void wechat_notice(const std::uint8_t* data, std::size_t size);  // WeChat Pay envelope, transaction
void alipay_notice(const std::uint8_t* data, std::size_t size);  // Alipay's form notice
void generic_notice(const std::uint8_t* data, std::size_t size);  // generic JSON, signature header
// What the providers answer our orders' queries (fuzz_targets_payorders.cpp).
void provider_answer(const std::uint8_t* data, std::size_t size);

// Checkpoints read back by the ledger's checks (fuzz_targets_ledger.cpp).
void published_checkpoints(const std::uint8_t* data, std::size_t size);  // parse_published
void local_checkpoint(const std::uint8_t* data, std::size_t size);       // parse_checkpoint
std::vector<std::string> checkpoint_seeds();
void copy_row(const std::uint8_t* data, std::size_t size);  // sql::CopyRow::parse, row reused
std::vector<std::string> copy_row_seeds();

// What hosts type for the studio (fuzz_targets_stream.cpp).
void source(const std::uint8_t* data, std::size_t size);    // stream::parse_source
void push_url(const std::uint8_t* data, std::size_t size);  // stream::parse_push_url

// Statements finance staff import (fuzz_targets_statements.cpp), with seeds in each format.
void wechat_bill(const std::uint8_t* data, std::size_t size);     // parse_wechat_bill
void alipay_bill(const std::uint8_t* data, std::size_t size);     // parse_alipay_bill
void bank_statement(const std::uint8_t* data, std::size_t size);  // parse_bank_statement
std::vector<std::string> wechat_bill_seeds();
std::vector<std::string> alipay_bill_seeds();
std::vector<std::string> bank_statement_seeds();

}  // namespace boai::fuzz
