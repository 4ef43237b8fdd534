// bench/chat_fanout's printed figures (printf: this compiler has no <format>).
#include "bench/chat_fanout/report.hpp"

#include <cmath>
#include <cstdio>

namespace boai::bench {

namespace {

// 1234567 -> "1,234,567": deliveries per second are read at a glance.
std::string grouped(double value) {
  auto n = static_cast<long long>(std::llround(value));
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) {
      out += ',';
    }
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

std::string ms(double v) {
  if (std::isinf(v)) {
    return "lost";  // over 1% of the deliveries never came
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

}  // namespace

const StepFigures* capacity_step(const RunFigures& figures) {
  const StepFigures* best = nullptr;
  for (const auto& s : figures.steps) {
    if (s.passed && (best == nullptr || s.deliveries_per_second > best->deliveries_per_second)) {
      best = &s;
    }
  }
  return best;
}

void print_step(const std::string& server, const StepFigures& s) {
  double share = s.expected > 0
                     ? 100.0 * static_cast<double>(s.delivered) / static_cast<double>(s.expected)
                     : 0;
  std::string ack = s.ack_p50_ms < 0 ? std::string("-") : ms(s.ack_p50_ms) + "/" + ms(s.ack_p99_ms);
  std::printf(
      "  %-16s %5g msg/s  sent %5ld  delivered %6.2f%%  %11s dlv/s  p50 %7s ms  "
      "p99 %7s ms  ack p50/p99 %s ms  cpu %6.2f us/dlv (process %.2f)  "
      "cpu server %3.0f%% gen %3.0f%%  errors %ld  %s\n",
      server.c_str(), s.rate, s.sent, share, grouped(s.deliveries_per_second).c_str(),
      ms(s.p50_ms).c_str(), ms(s.p99_ms).c_str(), ack.c_str(), s.cpu_us_per_delivery,
      s.main_cpu_us_per_delivery, s.server_cpu_percent, s.generator_cpu_percent, s.errors,
      s.passed ? "ok" : "OVER");
  std::fflush(stdout);
}

void print_failures(const std::map<std::string, int>& failures) {
  for (const auto& [why, count] : failures) {
    std::printf("    %d connection(s): %s\n", count, why.c_str());
  }
}

void print_summary(const std::vector<ServerResult>& results, double p99_limit_ms) {
  std::printf("\nsummary: capacity = the most deliveries per second with p99 under %g ms\n",
              p99_limit_ms);
  std::printf("  %-16s %8s %15s %9s %8s %8s %11s %9s %15s\n", "server", "viewers", "capacity dlv/s",
              "at msg/s", "p50 ms", "p99 ms", "cpu us/dlv", "cpu %", "KiB/idle viewer");
  for (const auto& r : results) {
    if (!r.skipped.empty()) {
      std::printf("  %-16s skipped: %s\n", r.name.c_str(), r.skipped.c_str());
      continue;
    }
    const StepFigures* cap = capacity_step(r.figures);
    // With no step under the limit, the costs of the first step still compare the servers.
    const StepFigures* shown = cap != nullptr            ? cap
                               : r.figures.steps.empty() ? nullptr
                                                         : &r.figures.steps.front();
    if (shown == nullptr) {
      std::printf("  %-16s %8d %15s\n", r.name.c_str(), r.figures.joined, "no step ran");
      continue;
    }
    std::printf("  %-16s %8d %15s %9g %8s %8s %11.2f %9.0f %15.1f\n", r.name.c_str(),
                r.figures.joined,
                cap != nullptr ? grouped(cap->deliveries_per_second).c_str() : "0", shown->rate,
                ms(shown->p50_ms).c_str(), ms(shown->p99_ms).c_str(), shown->cpu_us_per_delivery,
                shown->server_cpu_percent, r.figures.rss_kib_per_viewer);
  }
  std::printf(
      "  (cpu: the server's, with its database, per delivery and as %% of one core; with "
      "no step under the limit, the figures are the first step's)\n");
  // The ratios of the first server (boai) to each peer.
  if (results.empty() || !results[0].skipped.empty()) {
    return;
  }
  const StepFigures* ours = capacity_step(results[0].figures);
  std::printf("  ratios:");
  for (std::size_t i = 1; i < results.size(); ++i) {
    if (!results[i].skipped.empty()) {
      continue;
    }
    const StepFigures* theirs = capacity_step(results[i].figures);
    std::printf("  %s / %s = ", results[0].name.c_str(), results[i].name.c_str());
    if (ours != nullptr && theirs != nullptr) {
      std::printf("%.2fx", ours->deliveries_per_second / theirs->deliveries_per_second);
    } else if (ours != nullptr) {
      std::printf("inf (the peer held no step)");
    } else {
      std::printf("0");
    }
  }
  std::printf("\n");
}

}  // namespace boai::bench
