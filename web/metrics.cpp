// Metrics: the exposition format is "# HELP", "# TYPE", then "name value" per metric.
#include "web/metrics.hpp"

#include <cmath>
#include <cstdio>

namespace boai::web {

Counter& Metrics::counter(const std::string& name, const std::string& help) {
  std::lock_guard lock(mutex_);
  auto& e = entries_[name];
  if (!e.counter) {
    e.help = help;
    e.counter = std::make_unique<Counter>();
  }
  return *e.counter;
}

void Metrics::gauge(const std::string& name, const std::string& help,
                    std::function<double()> read) {
  std::lock_guard lock(mutex_);
  entries_[name] = Entry{help, nullptr, std::move(read)};
}

std::string Metrics::render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& [name, e] : entries_) {
    out += "# HELP " + name + " " + e.help + "\n";
    if (e.counter) {
      out +=
          "# TYPE " + name + " counter\n" + name + " " + std::to_string(e.counter->value()) + "\n";
      continue;
    }
    double v = e.gauge ? e.gauge() : 0;
    char value[64];
    if (v == std::floor(v) && std::abs(v) < 1e15) {
      std::snprintf(value, sizeof value, "%lld", static_cast<long long>(v));
    } else {
      std::snprintf(value, sizeof value, "%.6g", v);
    }
    out += "# TYPE " + name + " gauge\n" + name + " " + value + "\n";
  }
  return out;
}

}  // namespace boai::web
