// Staff accounts, sign-in with throttling, and sessions in PostgreSQL. Every function here blocks:
// run it on a sql::WorkerPool thread or in a command, never on the GLib main loop.
#pragma once

#include <chrono>
#include <cstdint>
#include <expected>
#include <optional>
#include <string>

#include "base/error.hpp"
#include "sql/connection.hpp"

namespace boai::web {

// The cookie that carries a session token, and how long a session lasts.
inline constexpr const char* kSessionCookie = "boai_session";
inline constexpr int kSessionSeconds = 12 * 60 * 60;

// Sign-in throttling, by name and address together and by address alone, never by name alone
// (staff names are easy to learn: a stranger elsewhere must not lock a host out). Past the free
// failures of the window, every try waits kFirstDelaySeconds after the last failure, a delay that
// doubles with each further failure up to kFailureWindowSeconds. An address gets more free
// failures, since a station's staff share one.
inline constexpr int kFreeFailuresPerNameAndAddress = 5;
inline constexpr int kFreeFailuresPerAddress = 20;
inline constexpr int kFirstDelaySeconds = 30;
inline constexpr int kFailureWindowSeconds = 15 * 60;

// How long a try must still wait after `failures` failures, the last `since_last` seconds ago
// (0: it may go), with `free` of them free.
int throttle_wait_seconds(std::int64_t failures, double since_last, int free);

inline constexpr std::size_t kMinPasswordChars = 8;

// Sessions and accounts that change are announced here (sql/migrations/0016_staff_notices.sql):
// "session <token_sha256>" when a session ends, "user <id>" when an account's role or state does.
inline constexpr const char* kStaffChannel = "boai_staff";

struct StaffSession {
  std::int64_t user_id = 0;
  std::string name;
  std::string role;         // "host", "finance" or "admin"
  std::string session_key;  // the SHA-256 of the token: what a kStaffChannel notice names
  std::chrono::system_clock::time_point expires_at;
};

struct SignedIn {
  std::string token;  // goes to the browser in the cookie; only its SHA-256 is stored
  StaffSession session;
};

// Errors: name_invalid (1-32 characters of UTF-8, no control characters or outer spaces),
// role_invalid, password_too_short, password_too_long, user_exists, db_*.
std::expected<StaffSession, Error> add_user(sql::Connection& conn, const std::string& name,
                                            const std::string& role, const std::string& password);

// Errors: login_throttled (too many recent failures for the name from this address, or for the
// address; the password is not looked at; retry_after gets the seconds to wait), login_failed
// (unknown name, wrong password or disabled account: one message for all, and the same scrypt
// work, so neither words nor timing tell whether a name exists), db_*.
std::expected<SignedIn, Error> login(sql::Connection& conn, const std::string& name,
                                     const std::string& password, const std::string& peer,
                                     int* retry_after = nullptr);

// Changes an account: a new role (empty: unchanged) and/or disabled or enabled again (nullopt:
// unchanged). Its open sockets lose or change their powers at once (kStaffChannel).
// Errors: user_not_found, role_invalid, db_*.
std::expected<StaffSession, Error> change_user(sql::Connection& conn, const std::string& name,
                                               const std::string& role,
                                               std::optional<bool> disabled);

// Ends the session of that token, if there is one.
std::expected<void, Error> logout(sql::Connection& conn, const std::string& token);

// The session of a token: nullopt when it is unknown, expired, its account disabled, or the
// database cannot say (a sign-in fails closed). Refreshes the session's last_seen.
std::optional<StaffSession> session_for_token(sql::Connection& conn, const std::string& token);

// What a session is named by in the database and in kStaffChannel notices.
std::string session_key(const std::string& token);

// The boai_session token of a Cookie header ("a=1; boai_session=…"), or "" when there is none.
std::string session_token_from_cookie(const std::string& cookie_header);

// admin may do everything; host and finance may do what needs their own role.
bool role_allows(const std::string& role, const std::string& needed);
bool is_valid_role(const std::string& role);

}  // namespace boai::web
