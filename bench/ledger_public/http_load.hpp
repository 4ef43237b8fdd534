// A closed-loop HTTP/1.1 load generator for bench/ledger_public: N keep-alive connections on one
// epoll loop, each with one request in flight, the next sent when the last answer is complete.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace boai::bench {

struct LoadResult {
  double seconds = 0;                // the measured window
  std::int64_t answers = 0;          // complete answers in the window
  std::int64_t all_answers = 0;      // complete answers, the unmeasured first seconds too
  std::int64_t bytes = 0;            // their bodies' bytes
  std::int64_t unexpected = 0;       // answers whose status was not `expect_status`
  std::int64_t reconnects = 0;       // connections the server closed (opened again)
  std::vector<double> latencies_us;  // send to the answer's last byte, sorted
  double per_second() const { return seconds > 0 ? static_cast<double>(answers) / seconds : 0; }
  double percentile_ms(double p) const;
};

// GETs `path` on 127.0.0.1:port over `connections` connections, `warmup` seconds unmeasured and
// then `seconds` measured. `extra_headers` are whole header lines, each ending in "\r\n".
LoadResult run_load(int port, const std::string& path, const std::string& extra_headers,
                    int connections, double warmup, double seconds, int expect_status);

}  // namespace boai::bench
