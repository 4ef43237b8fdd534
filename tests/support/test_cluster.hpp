// A throw-away PostgreSQL cluster for one test binary, started through the same launcher that
// `boai serve` uses, and a fresh database per test on it.
#pragma once

#include <filesystem>
#include <string>

namespace boai::test {

// A new empty directory under /tmp, removed when the test binary exits.
std::filesystem::path temp_dir(const std::string& prefix);

// conninfo of a new, empty database on the shared test cluster (started on first use).
std::string fresh_database(const std::string& hint);

}  // namespace boai::test
