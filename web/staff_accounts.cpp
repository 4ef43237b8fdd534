// Staff accounts: names and roles checked here, passwords through password_hash, session tokens
// from RAND_bytes stored as their SHA-256, failures counted in staff_login_failures.
#include "web/staff_accounts.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "donations/text_rules.hpp"
#include "web/password_hash.hpp"

namespace boai::web {

using sql::params;

namespace {

constexpr std::size_t kMaxNameChars = 32;
constexpr std::size_t kMaxPasswordBytes = 1024;
constexpr std::size_t kTokenBytes = 32;
// Failures older than this are deleted; only the last kFailureWindowSeconds count.
constexpr int kKeepFailuresSeconds = 24 * 60 * 60;

Error failed(const sql::DbError& e) {
  return Error{e.code, e.message};
}

std::string hex(const unsigned char* data, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out += kDigits[data[i] >> 4];
    out += kDigits[data[i] & 0xf];
  }
  return out;
}

std::string sha256_hex(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("OpenSSL SHA-256 failed");
  }
  return hex(digest, size);
}

std::string new_token() {
  unsigned char random[kTokenBytes];
  if (RAND_bytes(random, sizeof random) != 1) {
    throw std::runtime_error("OpenSSL RAND_bytes failed");
  }
  return hex(random, sizeof random);
}

// Only what new_token() makes reaches the database.
bool plausible_token(const std::string& token) {
  if (token.size() != 2 * kTokenBytes) {
    return false;
  }
  for (char c : token) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

bool is_valid_name(const std::string& name) {
  if (!donations::is_valid_utf8(name) || donations::trim_text(name) != name) {
    return false;
  }
  auto chars = donations::char_count(name);
  if (chars == 0 || chars > kMaxNameChars) {
    return false;
  }
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f) {
      return false;
    }
  }
  return true;
}

std::size_t password_chars(const std::string& password) {
  return donations::is_valid_utf8(password) ? donations::char_count(password) : password.size();
}

// Checked against when the name is unknown, so that an unknown name costs what a known one does.
const std::string& decoy_hash() {
  static const std::string kDecoy = hash_password("a decoy that no password matches");
  return kDecoy;
}

}  // namespace

bool is_valid_role(const std::string& role) {
  return role == "host" || role == "finance" || role == "admin";
}

bool role_allows(const std::string& role, const std::string& needed) {
  if (!is_valid_role(role)) {
    return false;
  }
  return role == "admin" || role == needed;
}

std::expected<StaffSession, Error> add_user(sql::Connection& conn, const std::string& name,
                                            const std::string& role, const std::string& password) {
  if (!is_valid_name(name)) {
    return std::unexpected(
        make_error("name_invalid",
                   "a staff name is 1-32 characters, without control characters or outer "
                   "spaces"));
  }
  if (!is_valid_role(role)) {
    return std::unexpected(make_error("role_invalid", "a role is host, finance or admin"));
  }
  if (password_chars(password) < kMinPasswordChars) {
    return std::unexpected(
        make_error("password_too_short",
                   "a password has at least " + std::to_string(kMinPasswordChars) + " characters"));
  }
  if (password.size() > kMaxPasswordBytes) {
    return std::unexpected(
        make_error("password_too_long",
                   "a password has at most " + std::to_string(kMaxPasswordBytes) + " bytes"));
  }
  auto r = conn.exec(
      "INSERT INTO staff_users (name, role, password_hash) VALUES ($1, $2, $3) "
      "ON CONFLICT (name) DO NOTHING RETURNING id",
      params(name, role, hash_password(password)));
  if (!r) {
    return std::unexpected(failed(r.error()));
  }
  if (r->rows() == 0) {
    return std::unexpected(
        make_error("user_exists", "a staff user \"" + name + "\" exists already"));
  }
  return StaffSession{r->int64(0, 0), name, role, "", {}};
}

int throttle_wait_seconds(std::int64_t failures, double since_last, int free) {
  if (failures < free) {
    return 0;
  }
  auto doublings = std::min<std::int64_t>(failures - free, 10);
  auto delay = std::min(kFirstDelaySeconds << doublings, kFailureWindowSeconds);
  return std::max(0, static_cast<int>(std::ceil(delay - since_last)));
}

std::expected<SignedIn, Error> login(sql::Connection& conn, const std::string& name,
                                     const std::string& password, const std::string& peer,
                                     int* retry_after) {
  // A name that cannot exist is counted under "" so that it still costs its address a failure.
  std::string key = is_valid_name(name) ? name : "";
  if (auto old = conn.exec(
          "DELETE FROM staff_login_failures WHERE attempted_at < now() - make_interval(secs => $1)",
          params(kKeepFailuresSeconds));
      !old) {
    return std::unexpected(failed(old.error()));
  }
  auto counts = conn.exec(
      "SELECT count(*) FILTER (WHERE name = $1), "
      "coalesce((extract(epoch FROM now() - max(attempted_at) FILTER (WHERE name = $1)) * 1000)"
      "::bigint, 0), "
      "count(*), coalesce((extract(epoch FROM now() - max(attempted_at)) * 1000)::bigint, 0) "
      "FROM staff_login_failures "
      "WHERE peer = $2 AND attempted_at > now() - make_interval(secs => $3)",
      params(key, peer, kFailureWindowSeconds));
  if (!counts) {
    return std::unexpected(failed(counts.error()));
  }
  // Seconds since the last failure, from milliseconds.
  auto since = [&](int column) { return static_cast<double>(counts->int64(0, column)) / 1000; };
  int wait =
      std::max(throttle_wait_seconds(counts->int64(0, 0), since(1), kFreeFailuresPerNameAndAddress),
               throttle_wait_seconds(counts->int64(0, 2), since(3), kFreeFailuresPerAddress));
  if (wait > 0) {
    if (retry_after != nullptr) {
      *retry_after = wait;
    }
    return std::unexpected(make_error("login_throttled", "too many failed sign-ins; try again in " +
                                                             std::to_string(wait) + " seconds"));
  }

  auto user = conn.exec("SELECT id, role, password_hash, disabled FROM staff_users WHERE name = $1",
                        params(key));
  if (!user) {
    return std::unexpected(failed(user.error()));
  }
  bool found = !key.empty() && user->rows() == 1;
  std::string stored = found ? std::string(user->text(0, 2)) : decoy_hash();
  bool matches = verify_password(password, stored);
  if (!found || !matches || user->boolean(0, 3)) {
    auto f = conn.exec("INSERT INTO staff_login_failures (name, peer) VALUES ($1, $2)",
                       params(key, peer));
    if (!f) {
      return std::unexpected(failed(f.error()));
    }
    return std::unexpected(make_error("login_failed", "wrong name or password"));
  }

  std::string token = new_token();
  StaffSession session{user->int64(0, 0), name, std::string(user->text(0, 1)), sha256_hex(token),
                       std::chrono::system_clock::now() + std::chrono::seconds(kSessionSeconds)};
  if (auto gone = conn.exec("DELETE FROM staff_sessions WHERE expires_at < now()"); !gone) {
    return std::unexpected(failed(gone.error()));
  }
  auto s = conn.exec(
      "INSERT INTO staff_sessions (token_sha256, user_id, expires_at) "
      "VALUES ($1, $2, now() + make_interval(secs => $3))",
      params(session.session_key, session.user_id, kSessionSeconds));
  if (!s) {
    return std::unexpected(failed(s.error()));
  }
  // A success forgives the name's earlier mistakes from this address, not the address's others.
  if (auto clear = conn.exec("DELETE FROM staff_login_failures WHERE name = $1 AND peer = $2",
                             params(key, peer));
      !clear) {
    return std::unexpected(failed(clear.error()));
  }
  return SignedIn{std::move(token), std::move(session)};
}

std::expected<void, Error> logout(sql::Connection& conn, const std::string& token) {
  if (!plausible_token(token)) {
    return {};
  }
  auto r =
      conn.exec("DELETE FROM staff_sessions WHERE token_sha256 = $1", params(sha256_hex(token)));
  if (!r) {
    return std::unexpected(failed(r.error()));
  }
  return {};
}

std::optional<StaffSession> session_for_token(sql::Connection& conn, const std::string& token) {
  if (!plausible_token(token)) {
    return std::nullopt;
  }
  auto key = sha256_hex(token);
  auto r = conn.exec(
      "UPDATE staff_sessions s SET last_seen = now() FROM staff_users u "
      "WHERE s.token_sha256 = $1 AND s.expires_at > now() AND u.id = s.user_id AND NOT u.disabled "
      "RETURNING u.id, u.name, u.role, "
      "(extract(epoch FROM s.expires_at - now()) * 1000)::bigint",
      params(key));
  if (!r || r->rows() != 1) {
    return std::nullopt;
  }
  // The time left, not the database's clock: this machine's clock may differ from it.
  auto left = std::chrono::milliseconds(r->int64(0, 3));
  return StaffSession{r->int64(0, 0), std::string(r->text(0, 1)), std::string(r->text(0, 2)),
                      std::move(key), std::chrono::system_clock::now() + left};
}

std::expected<StaffSession, Error> change_user(sql::Connection& conn, const std::string& name,
                                               const std::string& role,
                                               std::optional<bool> disabled) {
  if (!role.empty() && !is_valid_role(role)) {
    return std::unexpected(make_error("role_invalid", "a role is host, finance or admin"));
  }
  auto r = conn.exec(
      "UPDATE staff_users SET role = coalesce(nullif($2, ''), role), "
      "disabled = coalesce($3::boolean, disabled) WHERE name = $1 RETURNING id, role",
      params(name, role,
             disabled ? std::optional<std::string>(*disabled ? "true" : "false") : std::nullopt));
  if (!r) {
    return std::unexpected(failed(r.error()));
  }
  if (r->rows() == 0) {
    return std::unexpected(make_error("user_not_found", "no staff user \"" + name + "\""));
  }
  return StaffSession{r->int64(0, 0), name, std::string(r->text(0, 1)), "", {}};
}

std::string session_key(const std::string& token) {
  return sha256_hex(token);
}

std::string session_token_from_cookie(const std::string& cookie_header) {
  std::string_view rest = cookie_header;
  const std::string_view wanted = kSessionCookie;
  while (!rest.empty()) {
    auto end = rest.find(';');
    std::string_view pair = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    while (!pair.empty() && pair.front() == ' ') {
      pair.remove_prefix(1);
    }
    while (!pair.empty() && pair.back() == ' ') {
      pair.remove_suffix(1);
    }
    if (pair.size() > wanted.size() && pair.starts_with(wanted) && pair[wanted.size()] == '=') {
      return std::string(pair.substr(wanted.size() + 1));
    }
  }
  return "";
}

}  // namespace boai::web
