// An RTMP(S) push target's URL, checked, and a form of it safe to show (the stream key hidden).
#pragma once

#include <expected>
#include <string>
#include <string_view>

#include "base/error.hpp"

namespace boai::stream {

struct PushUrl {
  std::string url;      // as given, key included: only ever handed to the RTMP sink
  std::string display;  // rtmp://live.example.com/app/****
};

// Error code "push_url_invalid" naming the (key-hidden) target.
std::expected<PushUrl, Error> parse_push_url(std::string_view url);

}  // namespace boai::stream
