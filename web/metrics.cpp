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
  std::string family;  // labelled series of one family sort together: HELP and TYPE once
  for (const auto& [name, e] : entries_) {
    std::string base = name.substr(0, name.find('{'));
    bool first = base != family;
    family = base;
    if (first) {
      out += "# HELP " + base + " " + e.help + "\n";
    }
    if (e.counter) {
      out += (first ? "# TYPE " + base + " counter\n" : std::string()) + name + " " +
             std::to_string(e.counter->value()) + "\n";
      continue;
    }
    double v = e.gauge ? e.gauge() : 0;
    char value[64];
    if (v == std::floor(v) && std::abs(v) < 1e15) {
      std::snprintf(value, sizeof value, "%lld", static_cast<long long>(v));
    } else {
      std::snprintf(value, sizeof value, "%.6g", v);
    }
    out += (first ? "# TYPE " + base + " gauge\n" : std::string()) + name + " " + value + "\n";
  }
  return out;
}

}  // namespace boai::web
