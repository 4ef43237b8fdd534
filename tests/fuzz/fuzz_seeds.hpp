// Every fuzz target with the seeds its mutations start from.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace boai::fuzz {

struct FuzzTarget {
  const char* name;
  void (*run)(const std::uint8_t* data, std::size_t size);
  std::vector<std::string> seeds;
};

const std::vector<FuzzTarget>& fuzz_targets();

}  // namespace boai::fuzz
