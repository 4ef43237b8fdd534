// Inside stream/ only: tears pipelines down off the GLib main loop. Setting an SRT or RTMP
// pipeline to NULL can block for seconds while its sockets give up, and the loop must not wait.
#pragma once

#include <future>
#include <utility>
#include <vector>

namespace boai::stream {

class Reaper {
 public:
  Reaper() = default;
  ~Reaper() {
    for (auto& job : jobs_) {
      job.wait();
    }
  }
  Reaper(const Reaper&) = delete;
  Reaper& operator=(const Reaper&) = delete;

  // Destroys `owned` (a unique_ptr or shared_ptr) on a thread of its own.
  template <typename Owner>
  void bury(Owner owned) {
    if (!owned) {
      return;
    }
    std::erase_if(jobs_, [](std::future<void>& job) {
      return job.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
    });
    jobs_.push_back(
        std::async(std::launch::async, [o = std::move(owned)]() mutable { o.reset(); }));
  }

 private:
  std::vector<std::future<void>> jobs_;
};

}  // namespace boai::stream
