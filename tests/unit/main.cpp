// The unit tests' entry point.
#define CATCH_CONFIG_RUNNER
#include "tests/support/strict_catch_main.hpp"

int main(int argc, char* argv[]) {
  return boai::test::run_strict_catch(argc, argv);
}
