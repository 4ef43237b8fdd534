// Where a statement's bytes come from: a file read in chunks, text in memory (tests and fuzzing),
// or either of those converted from GBK to UTF-8 on the way (Alipay's bills).
#pragma once

#include <cstddef>
#include <cstdio>
#include <expected>
#include <memory>
#include <string>
#include <string_view>

#include "base/error.hpp"

namespace boai::statements {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Up to size bytes into buffer; 0 only at the end. Errors: file_unreadable, encoding_invalid.
  virtual std::expected<std::size_t, Error> read(char* buffer, std::size_t size) = 0;
};

class FileSource final : public ByteSource {
 public:
  // Errors: file_unreadable.
  static std::expected<std::unique_ptr<FileSource>, Error> open(const std::string& path);
  ~FileSource() override;
  std::expected<std::size_t, Error> read(char* buffer, std::size_t size) override;

 private:
  explicit FileSource(std::FILE* file) : file_(file) {}
  std::FILE* file_;
};

class TextSource final : public ByteSource {
 public:
  explicit TextSource(std::string_view text) : text_(text) {}
  std::expected<std::size_t, Error> read(char* buffer, std::size_t size) override;

 private:
  std::string_view text_;
};

// GBK bytes from inner come out as UTF-8. A byte sequence that is not GBK, or a character cut
// off at the end, is encoding_invalid, with the line it was on.
class GbkSource final : public ByteSource {
 public:
  explicit GbkSource(ByteSource& inner);
  ~GbkSource() override;
  GbkSource(const GbkSource&) = delete;
  GbkSource& operator=(const GbkSource&) = delete;
  std::expected<std::size_t, Error> read(char* buffer, std::size_t size) override;

 private:
  ByteSource& inner_;
  void* iconv_;          // iconv_t, kept out of this header
  std::string pending_;  // read from inner, not yet converted
  bool inner_done_ = false;
  long line_ = 1;  // of the output so far, for the error's message
};

}  // namespace boai::statements
