// `boai migrate`: bring the schema up to date and exit.
#include <cstdio>

#include "app/commands.hpp"
#include "app/database_setup.hpp"

namespace boai::app {

int run_migrate(const Options& options) {
  auto db = open_database(options, true);
  if (!db) {
    std::fprintf(stderr, "boai: %s\n", db.error().message.c_str());
    return 1;
  }
  return 0;
}

}  // namespace boai::app
