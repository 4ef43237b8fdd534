// How bench/chat_fanout prints its figures: each step as it ends, then a summary of the three
// servers side by side with the ratios of their capacities.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "bench/chat_fanout/load.hpp"

namespace boai::bench {

struct ServerResult {
  std::string name;
  std::string skipped;  // why it was not measured; empty when it was
  RunFigures figures;
};

// The step with the most deliveries per second under the p99 limit, or nullptr.
const StepFigures* capacity_step(const RunFigures& figures);

void print_step(const std::string& server, const StepFigures& step);
void print_failures(const std::map<std::string, int>& failures);
void print_summary(const std::vector<ServerResult>& results, double p99_limit_ms);

}  // namespace boai::bench
