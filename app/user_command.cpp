// `boai user add NAME --role ROLE`: a staff account. The password comes from standard input, one
// line, so that it never appears in the process list or the shell's history. `boai user set`
// changes one; the database tells every node's open sockets.
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <optional>
#include <string>

#include "app/command_support.hpp"
#include "app/commands.hpp"
#include "web/staff_accounts.hpp"

namespace boai::app {

namespace {

// One line from standard input; at a terminal, asked for and not echoed.
std::optional<std::string> read_password() {
  termios saved{};
  bool hidden = isatty(STDIN_FILENO) == 1 && tcgetattr(STDIN_FILENO, &saved) == 0;
  if (hidden) {
    std::fprintf(stderr, "password: ");
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  std::string line;
  bool got = static_cast<bool>(std::getline(std::cin, line));
  if (hidden) {
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    std::fprintf(stderr, "\n");
  }
  if (!got && line.empty()) {
    return std::nullopt;
  }
  if (!line.empty() && line.back() == '\r') {
    line.pop_back();
  }
  return line;
}

}  // namespace

int run_user_add(const Invocation& inv) {
  auto password = read_password();
  if (!password) {
    return report(make_error("password_missing", "give the password on standard input"));
  }
  return with_database(inv, [&](sql::Connection& conn) {
    auto user = web::add_user(conn, inv.positional[0], inv.value("--role"), *password);
    if (!user) {
      return report(user.error());
    }
    std::printf("staff user %s (%s) added\n", user->name.c_str(), user->role.c_str());
    return 0;
  });
}

int run_user_set(const Invocation& inv) {
  if (inv.has("--disable") && inv.has("--enable")) {
    return report(make_error("bad_request", "give --disable or --enable, not both"));
  }
  std::optional<bool> disabled;
  if (inv.has("--disable") || inv.has("--enable")) {
    disabled = inv.has("--disable");
  }
  if (!disabled && !inv.has("--role")) {
    return report(make_error("bad_request", "give --role, --disable or --enable"));
  }
  return with_database(inv, [&](sql::Connection& conn) {
    auto user = web::change_user(conn, inv.positional[0], inv.value("--role"), disabled);
    if (!user) {
      return report(user.error());
    }
    std::printf("staff user %s (%s)%s\n", user->name.c_str(), user->role.c_str(),
                disabled ? (*disabled ? " disabled" : " enabled") : "");
    return 0;
  });
}

}  // namespace boai::app
