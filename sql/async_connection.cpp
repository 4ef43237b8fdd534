// AsyncConnection: libpq's non-blocking API (PQconnectPoll, PQsendQueryParams, PQconsumeInput)
// driven by fd watches on a GLib main context.
#include "sql/async_connection.hpp"

#include <glib-unix.h>
#include <glib.h>

#include "sql/pq_support.hpp"

namespace boai::sql {

namespace {
constexpr std::chrono::milliseconds kMaxBackoff{5000};
}

void AsyncConnection::Finish::operator()(pg_conn* c) const noexcept {
  PQfinish(c);
}

AsyncConnection::AsyncConnection(GMainContext* context, std::string conninfo)
    : context_(context), conninfo_(std::move(conninfo)) {}

AsyncConnection::~AsyncConnection() {
  unwatch();
  if (reconnect_source_ != nullptr) {
    g_source_destroy(reconnect_source_);
    g_source_unref(reconnect_source_);
  }
}

void AsyncConnection::start() {
  if (state_ == State::kDown && reconnect_source_ == nullptr) {
    begin_connect();
  }
}

void AsyncConnection::set_state(State s) {
  bool was_up = up();
  state_ = s;
  if (was_up != up() && on_state_) {
    on_state_(up());
  }
}

void AsyncConnection::begin_connect() {
  auto p = detail::connect_params(conninfo_);
  conn_.reset(PQconnectStartParams(p.keywords.data(), p.values.data(), 1));
  if (!conn_ || PQstatus(conn_.get()) == CONNECTION_BAD) {
    lost(conn_ ? detail::error_from_connection(conn_.get())
               : DbError{"db_unavailable", "out of memory", "", ""});
    return;
  }
  set_state(State::kConnecting);
  connect_polling_write_ = true;
  watch(true);
}

void AsyncConnection::continue_connect() {
  switch (PQconnectPoll(conn_.get())) {
    case PGRES_POLLING_READING:
      watch(false);
      return;
    case PGRES_POLLING_WRITING:
      watch(true);
      return;
    case PGRES_POLLING_OK:
      became_ready();
      return;
    default:
      lost(detail::error_from_connection(conn_.get()));
      return;
  }
}

void AsyncConnection::became_ready() {
  PQsetnonblocking(conn_.get(), 1);
  PQsetNoticeProcessor(
      conn_.get(), [](void*, const char*) {}, nullptr);
  backoff_ = std::chrono::milliseconds{250};
  set_state(State::kReady);
  watch(false);
  // LISTEN takes an identifier, not a parameter: PQescapeIdentifier quotes it safely.
  std::deque<Pending> listens;
  for (const auto& [channel, cb] : channels_) {
    char* quoted = PQescapeIdentifier(conn_.get(), channel.c_str(), channel.size());
    if (quoted == nullptr) {
      continue;
    }
    listens.push_back(Pending{std::string("LISTEN ") + quoted, {}, [](auto) {}});
    PQfreemem(quoted);
  }
  queue_.insert(queue_.begin(), listens.begin(), listens.end());
  send_next();
}

void AsyncConnection::lost(const DbError& why) {
  unwatch();
  conn_.reset();
  set_state(State::kDown);
  auto failed = std::move(queue_);
  queue_.clear();
  if (in_flight_) {
    failed.push_front(std::move(*in_flight_));
  }
  in_flight_.reset();
  in_flight_result_.reset();
  for (auto& p : failed) {
    p.cb(std::unexpected(why));
  }
  schedule_reconnect();
}

void AsyncConnection::schedule_reconnect() {
  if (reconnect_source_ != nullptr) {
    return;
  }
  reconnect_source_ = g_timeout_source_new(static_cast<guint>(backoff_.count()));
  g_source_set_callback(reconnect_source_, &AsyncConnection::on_reconnect_timer, this, nullptr);
  g_source_attach(reconnect_source_, context_);
  backoff_ = std::min(backoff_ * 2, kMaxBackoff);
}

int AsyncConnection::on_reconnect_timer(void* self) {
  auto* c = static_cast<AsyncConnection*>(self);
  g_source_unref(c->reconnect_source_);
  c->reconnect_source_ = nullptr;
  c->begin_connect();
  return G_SOURCE_REMOVE;
}

void AsyncConnection::query(std::string sql, Params params, Callback cb) {
  if (state_ != State::kReady) {
    cb(std::unexpected(DbError{"db_unavailable", "the database is not connected", "", ""}));
    return;
  }
  queue_.push_back(Pending{std::move(sql), std::move(params), std::move(cb)});
  send_next();
}

void AsyncConnection::listen(const std::string& channel, NotifyCallback cb) {
  bool is_new = channels_.find(channel) == channels_.end();
  channels_[channel] = std::move(cb);
  if (is_new && state_ == State::kReady) {
    char* quoted = PQescapeIdentifier(conn_.get(), channel.c_str(), channel.size());
    if (quoted == nullptr) {
      return;
    }
    queue_.push_back(Pending{std::string("LISTEN ") + quoted, {}, [](auto) {}});
    PQfreemem(quoted);
    send_next();
  }
}

void AsyncConnection::send_next() {
  if (state_ != State::kReady || in_flight_ || queue_.empty()) {
    return;
  }
  in_flight_ = std::move(queue_.front());
  queue_.pop_front();
  auto values = detail::value_pointers(in_flight_->params);
  if (PQsendQueryParams(conn_.get(), in_flight_->sql.c_str(), static_cast<int>(values.size()),
                        nullptr, values.data(), nullptr, nullptr, 0) == 0) {
    lost(detail::error_from_connection(conn_.get()));
    return;
  }
  flush_output();
}

void AsyncConnection::flush_output() {
  int pending = PQflush(conn_.get());
  if (pending < 0) {
    lost(detail::error_from_connection(conn_.get()));
    return;
  }
  watch(pending == 1);
}

void AsyncConnection::read_input() {
  if (PQconsumeInput(conn_.get()) == 0) {
    lost(detail::error_from_connection(conn_.get()));
    return;
  }
  while (in_flight_ && PQisBusy(conn_.get()) == 0) {
    PGresult* raw = PQgetResult(conn_.get());
    if (raw == nullptr) {  // the statement is complete: hand over its (last) result
      auto done = std::move(*in_flight_);
      auto result = in_flight_result_ ? std::move(*in_flight_result_)
                                      : std::expected<Result, DbError>(Result());
      in_flight_.reset();
      in_flight_result_.reset();
      done.cb(std::move(result));
      if (!conn_) {
        return;  // the callback's work lost the connection
      }
      send_next();
      continue;
    }
    auto status = PQresultStatus(raw);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
      in_flight_result_ = Result(raw);
    } else {
      in_flight_result_ = std::unexpected(detail::error_from_result(raw, conn_.get()));
      PQclear(raw);
    }
  }
  if (PQstatus(conn_.get()) == CONNECTION_BAD) {
    lost(detail::error_from_connection(conn_.get()));
    return;
  }
  deliver_notifications();
}

void AsyncConnection::deliver_notifications() {
  while (PGnotify* n = PQnotifies(conn_.get())) {
    std::string channel = n->relname, payload = n->extra;
    PQfreemem(n);
    auto it = channels_.find(channel);
    if (it != channels_.end()) {
      it->second(payload);
    }
  }
}

void AsyncConnection::watch(bool want_write) {
  unwatch();
  int fd = PQsocket(conn_.get());
  if (fd < 0) {
    return;
  }
  auto condition =
      static_cast<GIOCondition>(G_IO_IN | G_IO_HUP | G_IO_ERR | (want_write ? G_IO_OUT : 0));
  fd_source_ = g_unix_fd_source_new(fd, condition);
  g_source_set_callback(fd_source_, G_SOURCE_FUNC(&AsyncConnection::on_fd), this, nullptr);
  g_source_attach(fd_source_, context_);
}

void AsyncConnection::unwatch() {
  if (fd_source_ == nullptr) {
    return;
  }
  g_source_destroy(fd_source_);
  g_source_unref(fd_source_);
  fd_source_ = nullptr;
}

int AsyncConnection::on_fd(int /*fd*/, unsigned condition, void* self) {
  auto* c = static_cast<AsyncConnection*>(self);
  if (c->state_ == State::kConnecting) {
    c->continue_connect();
    return G_SOURCE_CONTINUE;
  }
  if ((condition & G_IO_OUT) != 0) {
    c->flush_output();
  }
  if (c->conn_ && (condition & (G_IO_IN | G_IO_HUP | G_IO_ERR)) != 0) {
    c->read_input();
  }
  return G_SOURCE_CONTINUE;
}

}  // namespace boai::sql
