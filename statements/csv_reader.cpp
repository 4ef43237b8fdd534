// CsvReader: a small state machine over a 64 KiB buffer; unquoted runs are copied in one piece.
#include "statements/csv_reader.hpp"

#include <cstring>

namespace boai::statements {

std::string CsvRecord::joined() const {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    out += (i == 0 ? "" : ",") + fields[i];
  }
  return out;
}

std::expected<bool, Error> CsvReader::fill() {
  if (eof_) {
    return false;
  }
  pos_ = 0;
  end_ = 0;
  // The first fill reads at least three bytes, if there are, to see a byte order mark whole.
  do {
    auto n = source_.read(buffer_.data() + end_, buffer_.size() - end_);
    if (!n) {
      return std::unexpected(n.error());
    }
    end_ += *n;
    eof_ = *n == 0;
  } while (!started_ && !eof_ && end_ < 3);
  if (!started_) {
    started_ = true;
    if (end_ >= 3 && std::memcmp(buffer_.data(), "\xEF\xBB\xBF", 3) == 0) {
      pos_ = 3;  // the byte order mark Windows tools put first
    }
  }
  eof_ = end_ == 0;
  return !eof_;
}

std::expected<void, Error> CsvReader::too_long(const CsvRecord& record) const {
  return std::unexpected(make_error(
      "line_too_long", "line " + std::to_string(record.line) + ": a record is over 64 KiB"));
}

std::expected<bool, Error> CsvReader::next(CsvRecord& record) {
  enum class State { kFieldStart, kUnquoted, kQuoted, kQuoteInQuoted };
  std::size_t count = 0;
  std::size_t bytes = 0;
  State state = State::kFieldStart;
  record.line = line_;
  record.terminated = false;
  auto field = [&]() -> std::string& {
    if (record.fields.size() <= count) {
      record.fields.resize(count + 1);
    }
    return record.fields[count];
  };
  auto finish = [&]() {
    record.fields.resize(count + 1);
    return true;
  };
  for (;;) {
    if (pos_ == end_) {
      auto more = fill();
      if (!more) {
        return std::unexpected(more.error());
      }
      if (!*more) {
        if (state == State::kQuoted) {
          return std::unexpected(make_error(
              "file_truncated",
              "line " + std::to_string(record.line) + ": the file ends inside a quoted field"));
        }
        if (state == State::kFieldStart && count == 0 && bytes == 0) {
          return false;  // nothing after the last line break
        }
        field();
        return finish();
      }
    }
    const char* data = buffer_.data();
    if (state == State::kFieldStart) {
      field().clear();
      if (data[pos_] == '"') {
        state = State::kQuoted;
        ++pos_;
        ++bytes;
        continue;
      }
      state = State::kUnquoted;
    }
    if (state == State::kUnquoted) {
      std::size_t run = pos_;
      while (run < end_ && data[run] != ',' && data[run] != '\n') {
        ++run;
      }
      field().append(data + pos_, run - pos_);
      bytes += run - pos_ + 1;
      if (bytes > kMaxRecordBytes) {
        return std::unexpected(too_long(record).error());
      }
      pos_ = run;
      if (pos_ == end_) {
        continue;
      }
      if (data[pos_] == ',') {
        ++pos_;
        ++count;
        state = State::kFieldStart;
        continue;
      }
      ++pos_;  // the line break
      ++line_;
      auto& last = field();
      if (!last.empty() && last.back() == '\r') {
        last.pop_back();
      }
      record.terminated = true;
      return finish();
    }
    char c = data[pos_++];
    if (++bytes > kMaxRecordBytes) {
      return std::unexpected(too_long(record).error());
    }
    if (state == State::kQuoted) {
      if (c == '"') {
        state = State::kQuoteInQuoted;
      } else {
        line_ += c == '\n' ? 1 : 0;
        field() += c;
      }
      continue;
    }
    // After a quote inside a quoted field: a second quote is a quote; anything else ends it.
    if (c == '"') {
      field() += '"';
      state = State::kQuoted;
    } else if (c == ',') {
      ++count;
      state = State::kFieldStart;
    } else if (c == '\n') {
      ++line_;
      record.terminated = true;
      return finish();
    } else if (c != '\r') {
      field() += c;  // text after the closing quote: kept, as spreadsheets do
      state = State::kUnquoted;
    }
  }
}

}  // namespace boai::statements
