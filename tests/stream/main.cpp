// The stream tests' entry point.
//
// GStreamer's pooled streaming threads are joined after the last test, before the process exits:
// LeakSanitizer's exit-time tracer has crashed (signal 11) while such threads were still winding
// down, failing a run whose tests had all passed.
#define CATCH_CONFIG_RUNNER
#include "stream/gstreamer_runtime.hpp"
#include "tests/support/strict_catch_main.hpp"

int main(int argc, char* argv[]) {
  int failed = boai::test::run_strict_catch(argc, argv);
  boai::stream::join_gstreamer_threads();
  return failed;
}
