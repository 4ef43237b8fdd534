// A non-blocking PostgreSQL connection driven by a GLib main context: queries queue up and run one
// at a time, results come back as callbacks on the loop, LISTEN channels deliver notifications,
// and a lost connection is re-established with back-off. Use it only from the loop's thread.
#pragma once

#include <chrono>
#include <deque>
#include <expected>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "sql/error.hpp"
#include "sql/params.hpp"
#include "sql/result.hpp"

struct pg_conn;
typedef struct _GMainContext GMainContext;
typedef struct _GSource GSource;

namespace boai::sql {

class AsyncConnection {
 public:
  using Callback = std::function<void(std::expected<Result, DbError>)>;
  using NotifyCallback = std::function<void(const std::string& payload)>;
  using StateCallback = std::function<void(bool up)>;

  AsyncConnection(GMainContext* context, std::string conninfo);
  ~AsyncConnection();
  AsyncConnection(const AsyncConnection&) = delete;
  AsyncConnection& operator=(const AsyncConnection&) = delete;

  // Begins connecting; later failures reconnect by themselves.
  void start();
  // Runs one statement; cb runs on the loop. While the database is down, cb gets db_unavailable.
  void query(std::string sql, Params params, Callback cb);
  // Subscribes to a channel, now and after every reconnect.
  void listen(const std::string& channel, NotifyCallback cb);
  void on_state_change(StateCallback cb) { on_state_ = std::move(cb); }
  bool up() const { return state_ == State::kReady; }

 private:
  enum class State { kDown, kConnecting, kReady };
  struct Pending {
    std::string sql;
    Params params;
    Callback cb;
  };
  struct Finish {
    void operator()(pg_conn* c) const noexcept;
  };

  void begin_connect();
  void continue_connect();
  void became_ready();
  void lost(const DbError& why);
  void schedule_reconnect();
  void send_next();
  void read_input();
  void flush_output();
  void deliver_notifications();
  void watch(bool want_write);
  void unwatch();
  void set_state(State s);

  static int on_fd(int fd, unsigned condition, void* self);
  static int on_reconnect_timer(void* self);

  GMainContext* context_;
  std::string conninfo_;
  std::unique_ptr<pg_conn, Finish> conn_;
  State state_ = State::kDown;
  bool connect_polling_write_ = true;
  GSource* fd_source_ = nullptr;
  GSource* reconnect_source_ = nullptr;
  std::chrono::milliseconds backoff_{250};
  std::deque<Pending> queue_;
  std::optional<Pending> in_flight_;
  std::optional<std::expected<Result, DbError>> in_flight_result_;
  std::map<std::string, NotifyCallback> channels_;
  StateCallback on_state_;
};

}  // namespace boai::sql
