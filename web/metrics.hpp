// Counters and gauges rendered in Prometheus' text format for GET /metrics.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace boai::web {

class Counter {
 public:
  void add(std::int64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  std::int64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::int64_t> value_{0};
};

class Metrics {
 public:
  // Returns the counter of that name, creating it once; the reference stays valid. A name may
  // carry labels, `family{label="value"}`: the family's series share one HELP and TYPE.
  Counter& counter(const std::string& name, const std::string& help);
  // A gauge read when /metrics is rendered (on the loop thread).
  void gauge(const std::string& name, const std::string& help, std::function<double()> read);
  std::string render() const;

 private:
  struct Entry {
    std::string help;
    std::unique_ptr<Counter> counter;
    std::function<double()> gauge;
  };
  mutable std::mutex mutex_;
  std::map<std::string, Entry> entries_;
};

}  // namespace boai::web
