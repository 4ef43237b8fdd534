// GCC's -fsanitize-coverage=trace-pc calls __sanitizer_cov_trace_pc at every basic block; libFuzzer
// reads coverage from 8-bit counters. Each calling block's address is hashed to one counter of a
// table registered with libFuzzer before main, so a new block (and how often it ran) is new
// coverage to the engine. Collisions only make the guidance a little coarser.
#include <cstddef>
#include <cstdint>

extern "C" void __sanitizer_cov_8bit_counters_init(std::uint8_t* start, std::uint8_t* stop);
extern "C" void __sanitizer_cov_pcs_init(const std::uintptr_t* begin, const std::uintptr_t* end);

namespace {

constexpr std::size_t kCounters = 1 << 18;
alignas(64) std::uint8_t g_counters[kCounters];
std::uintptr_t g_pcs[kCounters * 2];  // one made-up "PC" a counter, with no flags

struct Registered {
  Registered() {
    for (std::size_t i = 0; i < kCounters; ++i) {
      g_pcs[2 * i] = i + 1;
    }
    __sanitizer_cov_8bit_counters_init(g_counters, g_counters + kCounters);
    __sanitizer_cov_pcs_init(g_pcs, g_pcs + 2 * kCounters);
  }
} g_registered;

}  // namespace

extern "C" void __sanitizer_cov_trace_pc() {
  auto pc = reinterpret_cast<std::uintptr_t>(__builtin_return_address(0));
  std::uint64_t h = (pc ^ (pc >> 17)) * 0x9E3779B97F4A7C15ull;
  ++g_counters[(h >> 40) % kCounters];
}
