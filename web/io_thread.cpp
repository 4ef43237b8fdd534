// IoThread: a libev loop on a std::thread, woken from other threads with an ev_async.
#include "web/io_thread.hpp"

#include <ev.h>

#include <stdexcept>

namespace boai::web {

IoThread::IoThread()
    : loop_(ev_loop_new(EVFLAG_AUTO)), async_(new ev_async), tick_(new ev_timer) {
  if (loop_ == nullptr) throw std::runtime_error("cannot create the I/O event loop");
  ev_async_init(async_, &IoThread::on_async);
  async_->data = this;
  ev_timer_init(tick_, &IoThread::on_timer, 1.0, 1.0);
  tick_->data = this;
}

IoThread::~IoThread() {
  stop();
  ev_loop_destroy(loop_);
  delete async_;
  delete tick_;
}

void IoThread::start(std::function<void()> on_wake, std::function<void()> on_tick,
                     std::function<void()> on_exit) {
  on_wake_ = std::move(on_wake);
  on_tick_ = std::move(on_tick);
  on_exit_ = std::move(on_exit);
  ev_async_start(loop_, async_);
  ev_timer_start(loop_, tick_);
  thread_ = std::thread([this] {
    ev_run(loop_, 0);
    ev_async_stop(loop_, async_);
    ev_timer_stop(loop_, tick_);
    if (on_exit_) on_exit_();
  });
}

void IoThread::wake() { ev_async_send(loop_, async_); }

void IoThread::stop() {
  if (!thread_.joinable()) return;
  stopping_ = true;
  wake();
  thread_.join();
}

void IoThread::on_async(struct ev_loop* loop, ev_async* watcher, int) {
  auto* self = static_cast<IoThread*>(watcher->data);
  if (self->on_wake_) self->on_wake_();
  if (self->stopping_) ev_break(loop, EVBREAK_ALL);
}

void IoThread::on_timer(struct ev_loop*, ev_timer* watcher, int) {
  auto* self = static_cast<IoThread*>(watcher->data);
  if (self->on_tick_) self->on_tick_();
}

}  // namespace boai::web
