// The fuzz targets under libFuzzer (scripts/fuzz): BOAI_FUZZ_TARGET names the target; with
// BOAI_FUZZ_SEEDS_TO=DIR the target's seeds are written there as files (a corpus to start from)
// and nothing is run. A target's broken property (std::logic_error) is a finding: it aborts.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fstream>
#include <string>

#include "tests/fuzz/fuzz_seeds.hpp"

namespace {

const boai::fuzz::FuzzTarget* g_target = nullptr;

void list_targets() {
  for (const auto& t : boai::fuzz::fuzz_targets()) {
    std::printf("%s\n", t.name);
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const char* name = std::getenv("BOAI_FUZZ_TARGET");
  for (const auto& t : boai::fuzz::fuzz_targets()) {
    if (name != nullptr && std::strcmp(name, t.name) == 0) {
      g_target = &t;
    }
  }
  if (g_target == nullptr) {
    std::fprintf(stderr, "BOAI_FUZZ_TARGET names no target; the targets are:\n");
    list_targets();
    std::exit(2);
  }
  if (const char* dir = std::getenv("BOAI_FUZZ_SEEDS_TO")) {
    int n = 0;
    for (const auto& seed : g_target->seeds) {
      std::ofstream(std::string(dir) + "/seed-" + std::to_string(n++), std::ios::binary) << seed;
    }
    std::exit(0);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    g_target->run(data, size);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "boai: %s: property failed: %s\n", g_target->name, e.what());
    std::abort();
  }
  return 0;
}
