// The load of bench/chat_fanout: N WebSocket viewers in one room on one epoll loop, a few of them
// chatting at a rising rate, and what each step of that rate costs the server.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "bench/chat_fanout/servers.hpp"

namespace boai::bench {

struct LoadConfig {
  int viewers = 10000;        // connections in the room, senders included
  int senders = 4;            // the first few viewers also chat
  std::vector<double> rates;  // messages per second in all, one step each
  double step_seconds = 5;
  double drain_seconds = 3;  // after a step, how long late deliveries still count
  double p99_limit_ms = 250;
  int stop_after = 2;        // steps over the limit in a row that end the run (0: never)
  int source_addresses = 4;  // 127.0.0.1 .. 127.0.0.N, for more ephemeral ports
  std::string room = "bench";
};

struct StepFigures {
  double rate = 0;  // messages per second asked for
  long sent = 0;
  long expected = 0;   // deliveries: each message to each connection still open
  long delivered = 0;  // within the drain time
  double deliveries_per_second = 0;
  double p50_ms = 0;
  double p99_ms = 0;       // undelivered messages count as infinitely late
  double ack_p50_ms = -1;  // send to the sender's ack (-1: no acks, the mirror)
  double ack_p99_ms = -1;
  double cpu_us_per_delivery = 0;       // the server with its database
  double main_cpu_us_per_delivery = 0;  // the server process alone
  double server_cpu_percent = 0;        // of one core, the server with its database
  double generator_cpu_percent = 0;     // of one core, this load generator
  long errors = 0;                      // error frames (rate_limited, ...)
  bool passed = false;
};

struct RunFigures {
  int joined = 0;  // connections that got their welcome
  double connect_seconds = 0;
  double rss_kib_per_viewer = 0;  // server RSS growth over idle connections
  long rss_before_kib = 0;
  long rss_after_kib = 0;
  std::vector<StepFigures> steps;
  std::map<std::string, int> failures;  // why connections failed or closed, and how many
  std::string first_error;              // the first error frame the server sent
  bool interrupted = false;
};

// Puts the load on a running server and measures it. Prints each step as it finishes.
RunFigures run_load(const LoadConfig& config, const RunningServer& server);

// Set by SIGINT or SIGTERM: the run stops at the next chance, and the servers are stopped.
extern volatile int g_stop;

}  // namespace boai::bench
