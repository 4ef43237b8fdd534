// IoThread: a libev loop on a std::thread, woken from other threads with an ev_async.
#include "web/io_thread.hpp"

#include <ev.h>

#include <stdexcept>

namespace boai::web {

IoThread::IoThread()
    : loop_(ev_loop_new(EVFLAG_AUTO)),
      async_(new ev_async),
      tick_(new ev_timer),
      turns_(new ev_idle) {
  if (loop_ == nullptr) {
    throw std::runtime_error("cannot create the I/O event loop");
  }
  ev_async_init(async_, &IoThread::on_async);
  async_->data = this;
  ev_timer_init(tick_, &IoThread::on_timer, 1.0, 1.0);
  tick_->data = this;
  // An idle watcher keeps the loop from sleeping while there is work; at the top priority it
  // runs every turn, however busy the sockets, rather than only when none of them is ready.
  ev_idle_init(turns_, &IoThread::on_idle);
  ev_set_priority(turns_, EV_MAXPRI);
  turns_->data = this;
}

IoThread::~IoThread() {
  stop();
  ev_loop_destroy(loop_);
  delete async_;
  delete tick_;
  delete turns_;
}

void IoThread::start(std::function<void()> on_wake, std::function<void()> on_tick,
                     std::function<void()> on_exit, std::function<bool()> on_turn) {
  on_wake_ = std::move(on_wake);
  on_tick_ = std::move(on_tick);
  on_exit_ = std::move(on_exit);
  on_turn_ = std::move(on_turn);
  ev_async_start(loop_, async_);
  ev_timer_start(loop_, tick_);
  thread_ = std::thread([this] {
    ev_run(loop_, 0);
    ev_async_stop(loop_, async_);
    ev_timer_stop(loop_, tick_);
    ev_idle_stop(loop_, turns_);
    if (on_exit_) {
      on_exit_();
    }
  });
}

void IoThread::wake() {
  ev_async_send(loop_, async_);
}

void IoThread::want_turns() {
  ev_idle_start(loop_, turns_);
}

void IoThread::stop() {
  if (!thread_.joinable()) {
    return;
  }
  stopping_ = true;
  wake();
  thread_.join();
}

void IoThread::on_async(struct ev_loop* loop, ev_async* watcher, int) {
  auto* self = static_cast<IoThread*>(watcher->data);
  if (self->on_wake_) {
    self->on_wake_();
  }
  if (self->stopping_) {
    ev_break(loop, EVBREAK_ALL);
  }
}

void IoThread::on_timer(struct ev_loop*, ev_timer* watcher, int) {
  auto* self = static_cast<IoThread*>(watcher->data);
  if (self->on_tick_) {
    self->on_tick_();
  }
}

void IoThread::on_idle(struct ev_loop* loop, ev_idle* watcher, int) {
  auto* self = static_cast<IoThread*>(watcher->data);
  if (!self->on_turn_ || !self->on_turn_()) {
    ev_idle_stop(loop, watcher);
  }
}
}  // namespace boai::web
