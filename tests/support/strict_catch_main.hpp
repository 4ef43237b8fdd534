// The test binaries' Catch session, strict: a test that checked nothing fails, and so does a run
// in which no test matched (a name ctest cut short at a ";"). Catch 2 takes one --warn only.
#pragma once

#include <catch2/catch.hpp>

namespace boai::test {

inline int run_strict_catch(int argc, char* argv[]) {
  Catch::Session session;
  if (int bad = session.applyCommandLine(argc, argv); bad != 0) {
    return bad;
  }
  auto& config = session.configData();
  config.warnings = static_cast<Catch::WarnAbout::What>(
      config.warnings | Catch::WarnAbout::NoAssertions | Catch::WarnAbout::NoTests);
  return session.run();
}

}  // namespace boai::test
