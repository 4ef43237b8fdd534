// A streaming CSV reader (RFC 4180 as the providers write it): fields split at commas, quoted
// fields with doubled quotes and line breaks inside, LF or CRLF line ends, a UTF-8 byte order mark
// at the start dropped. It holds one chunk of the input and one record, whatever the file's size.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "statements/byte_source.hpp"

namespace boai::statements {

struct CsvRecord {
  std::vector<std::string> fields;
  std::int64_t line = 0;    // where the record starts, counting from 1
  bool terminated = false;  // it ended with a line break (the last line of a cut file has none)

  // The record as one line again (fields joined by commas): for `#` lines, which are not CSV.
  std::string joined() const;
};

class CsvReader {
 public:
  static constexpr std::size_t kMaxRecordBytes = 64 * 1024;

  explicit CsvReader(ByteSource& source) : source_(source) {}
  // The next record into record (its vectors reused); false at the end of the input. A blank
  // line is a record of one empty field. Errors: file_truncated (a quote left open at the end),
  // line_too_long, and the source's.
  std::expected<bool, Error> next(CsvRecord& record);
  // Lines read so far.
  std::int64_t lines() const { return line_ - 1; }

 private:
  // More input into the buffer; false at its end.
  std::expected<bool, Error> fill();
  std::expected<void, Error> too_long(const CsvRecord& record) const;

  ByteSource& source_;
  std::string buffer_ = std::string(64 * 1024, '\0');
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
  bool eof_ = false;
  bool started_ = false;
  std::int64_t line_ = 1;
};

}  // namespace boai::statements
