// Internal to web/: the thread that runs libwebsockets on its own libev (epoll) loop. GLib's loop
// asks every one of its sources about every wakeup, which with ten thousand viewer sockets cost
// more than the fan-out itself; epoll only reports the sockets that are ready.
#pragma once

#include <atomic>
#include <functional>
#include <thread>

struct ev_loop;
struct ev_async;
struct ev_timer;
struct ev_idle;

namespace boai::web {

class IoThread {
 public:
  IoThread();
  ~IoThread();  // stops the thread if it runs
  IoThread(const IoThread&) = delete;
  IoThread& operator=(const IoThread&) = delete;

  // The loop to hand libwebsockets as its foreign loop, before start().
  struct ev_loop* loop() const {
    return loop_;
  }

  // Runs the loop on the new thread. on_wake runs there after every wake(), on_tick once a second;
  // on_exit runs there once the loop has stopped, to tear down what lives on it. on_turn does a
  // share of some longer work, asked for with want_turns(): it runs once every turn of the loop,
  // after the ready sockets have been served, until it returns false (nothing left).
  void start(std::function<void()> on_wake, std::function<void()> on_tick,
             std::function<void()> on_exit, std::function<bool()> on_turn);
  // From any thread: on_wake runs soon on the I/O thread (several wakes may make one call).
  void wake();
  // On the I/O thread: on_turn runs from the next turn on; meanwhile the loop does not sleep.
  void want_turns();
  // From the thread that started it: a last on_wake, then on_exit, then the thread is joined.
  void stop();

 private:
  static void on_async(struct ev_loop* loop, ev_async* watcher, int events);
  static void on_timer(struct ev_loop* loop, ev_timer* watcher, int events);
  static void on_idle(struct ev_loop* loop, ev_idle* watcher, int events);

  struct ev_loop* loop_;
  ev_async* async_;
  ev_timer* tick_;
  ev_idle* turns_;
  std::function<void()> on_wake_, on_tick_, on_exit_;
  std::function<bool()> on_turn_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace boai::web
