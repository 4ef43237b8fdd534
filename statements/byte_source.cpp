// The byte sources: a FILE read in chunks, a view of text, and GBK converted by iconv.
#include "statements/byte_source.hpp"

#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace boai::statements {

std::expected<std::unique_ptr<FileSource>, Error> FileSource::open(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    return std::unexpected(
        make_error("file_unreadable", path + ": " + std::string(std::strerror(errno))));
  }
  return std::unique_ptr<FileSource>(new FileSource(f));
}

FileSource::~FileSource() {
  std::fclose(file_);
}

std::expected<std::size_t, Error> FileSource::read(char* buffer, std::size_t size) {
  std::size_t n = std::fread(buffer, 1, size, file_);
  if (n == 0 && std::ferror(file_)) {
    return std::unexpected(make_error("file_unreadable", std::strerror(errno)));
  }
  return n;
}

std::expected<std::size_t, Error> TextSource::read(char* buffer, std::size_t size) {
  std::size_t n = std::min(size, text_.size());
  std::memcpy(buffer, text_.data(), n);
  text_.remove_prefix(n);
  return n;
}

GbkSource::GbkSource(ByteSource& inner) : inner_(inner) {
  iconv_t cd = iconv_open("UTF-8", "GBK");
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    throw std::runtime_error("iconv cannot convert GBK here");
  }
  iconv_ = cd;
}

GbkSource::~GbkSource() {
  iconv_close(static_cast<iconv_t>(iconv_));
}

std::expected<std::size_t, Error> GbkSource::read(char* buffer, std::size_t size) {
  for (;;) {
    if (!inner_done_ && pending_.size() < 4096) {
      char chunk[16 * 1024];
      auto n = inner_.read(chunk, sizeof chunk);
      if (!n) {
        return std::unexpected(n.error());
      }
      inner_done_ = *n == 0;
      pending_.append(chunk, *n);
    }
    if (pending_.empty()) {
      return 0;
    }
    char* in = pending_.data();
    std::size_t in_left = pending_.size();
    char* out = buffer;
    std::size_t out_left = size;
    std::size_t r = iconv(static_cast<iconv_t>(iconv_), &in, &in_left, &out, &out_left);
    int err = r == static_cast<std::size_t>(-1) ? errno : 0;
    std::size_t produced = size - out_left;
    line_ += std::count(buffer, buffer + produced, '\n');
    pending_.erase(0, pending_.size() - in_left);
    // EINVAL: a character cut off at the end of what was read; more may come, unless it is over.
    if (err == EILSEQ || (err == EINVAL && inner_done_ && produced == 0)) {
      return std::unexpected(make_error(
          "encoding_invalid", "line " + std::to_string(line_) + ": the bytes are not GBK text"));
    }
    if (produced > 0) {
      return produced;
    }
    if (err == E2BIG) {
      throw std::logic_error("GbkSource::read wants room for one character");
    }
  }
}

}  // namespace boai::statements
