// Parsing of --source strings; every refusal names the input.
#include "stream/source_spec.hpp"

#include <charconv>

namespace boai::stream {
namespace {

constexpr size_t kMaxSourceLength = 1024;
constexpr size_t kMaxQuotedLength = 120;

std::unexpected<Error> invalid_source(std::string_view text, std::string_view why) {
  return std::unexpected(
      make_error("source_invalid",
                 "Source " + quote_for_message(text) + " is not valid: " + std::string(why) + "."));
}

bool has_control_or_space(std::string_view s) {
  for (unsigned char c : s) {
    if (c <= 0x20 || c == 0x7f) {
      return true;
    }
  }
  return false;
}

bool is_host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-';
}

bool is_query_char(char c) {
  return is_host_char(c) || c == '_' || c == '=' || c == '&';
}

std::expected<std::uint16_t, std::string> parse_port(std::string_view s) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || value == 0 || value > 65535) {
    return std::unexpected("the port must be a number from 1 to 65535");
  }
  return static_cast<std::uint16_t>(value);
}

std::expected<SourceSpec, Error> parse_srt(std::string_view text) {
  std::string_view rest = text.substr(6);  // after srt://
  std::string_view query;
  if (auto q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  auto colon = rest.rfind(':');
  if (colon == std::string_view::npos) {
    return invalid_source(text, "an SRT source needs a port (srt://:9000)");
  }
  std::string_view host = rest.substr(0, colon);
  for (char c : host) {
    if (!is_host_char(c)) {
      return invalid_source(text, "the SRT address has characters that cannot be in one");
    }
  }
  auto port = parse_port(rest.substr(colon + 1));
  if (!port) {
    return invalid_source(text, port.error());
  }
  for (char c : query) {
    if (!is_query_char(c)) {
      return invalid_source(text, "the SRT options have characters that cannot be in them");
    }
  }
  if (query.find("mode=") != std::string_view::npos) {
    return invalid_source(text, "the studio always listens; leave out mode=");
  }
  SourceSpec spec;
  spec.kind = SourceKind::kSrt;
  spec.host = std::string(host);
  spec.port = *port;
  spec.uri = "srt://" + (host.empty() ? std::string("0.0.0.0") : std::string(host)) + ":" +
             std::to_string(*port) + "?mode=listener";
  if (!query.empty()) {
    spec.uri += "&" + std::string(query);
  }
  return spec;
}

std::expected<SourceSpec, Error> parse_rtmp(std::string_view text) {
  std::string_view rest = text.substr(text.find("://") + 3);
  auto slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0) {
    return invalid_source(text, "an RTMP source looks like rtmp://host/app/stream");
  }
  std::string_view authority = rest.substr(0, slash);
  std::string_view host = authority;
  if (auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    auto port = parse_port(authority.substr(colon + 1));
    if (!port) {
      return invalid_source(text, port.error());
    }
  }
  if (host.empty()) {
    return invalid_source(text, "the RTMP address has no host");
  }
  for (char c : host) {
    if (!is_host_char(c)) {
      return invalid_source(text, "the RTMP host has characters that cannot be in one");
    }
  }
  std::string_view path = rest.substr(slash + 1);
  auto app_end = path.find('/');
  if (path.empty() || app_end == 0 || app_end == std::string_view::npos ||
      app_end + 1 >= path.size()) {
    return invalid_source(text, "an RTMP source needs an application and a stream name");
  }
  SourceSpec spec;
  spec.kind = SourceKind::kRtmp;
  spec.uri = std::string(text);
  return spec;
}

}  // namespace

std::string quote_for_message(std::string_view text) {
  std::string out = "\"";
  for (size_t i = 0; i < text.size() && i < kMaxQuotedLength; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    out += (c < 0x20 || c == 0x7f) ? '?' : static_cast<char>(c);
  }
  if (text.size() > kMaxQuotedLength) {
    out += "...";
  }
  return out + "\"";
}

std::expected<SourceSpec, Error> parse_source(std::string_view text) {
  if (text.size() > kMaxSourceLength) {
    return invalid_source(text, "it is too long");
  }
  SourceSpec spec;
  if (text.empty() || text == "test") {
    spec.kind = SourceKind::kTest;
  } else if (text == "clock") {
    spec.kind = SourceKind::kClock;
  } else if (text.starts_with("v4l2:")) {
    std::string_view rest = text.substr(5);
    std::string_view options;
    if (auto q = rest.find('?'); q != std::string_view::npos) {
      options = rest.substr(q + 1);
      rest = rest.substr(0, q);
    }
    if (!rest.starts_with("/dev/") || rest.size() <= 5 || has_control_or_space(rest)) {
      return invalid_source(text, "a camera is named by its device, like v4l2:/dev/video0");
    }
    spec.kind = SourceKind::kV4l2;
    spec.device = std::string(rest);
    if (!options.empty()) {
      if (!options.starts_with("audio=") || has_control_or_space(options)) {
        return invalid_source(text,
                              "the only camera option is audio=pulse:NAME or audio=alsa:DEVICE");
      }
      spec.audio_device = std::string(options.substr(6));
      if (!spec.audio_device.starts_with("pulse:") && !spec.audio_device.starts_with("alsa:")) {
        return invalid_source(text, "the microphone is pulse:NAME or alsa:DEVICE");
      }
    }
  } else if (text.starts_with("srt://")) {
    if (has_control_or_space(text)) {
      return invalid_source(text, "it has spaces or control characters");
    }
    auto parsed = parse_srt(text);
    if (parsed) {
      parsed->text = std::string(text);
    }
    return parsed;
  } else if (text.starts_with("rtmp://") || text.starts_with("rtmps://")) {
    if (has_control_or_space(text)) {
      return invalid_source(text, "it has spaces or control characters");
    }
    auto parsed = parse_rtmp(text);
    if (parsed) {
      parsed->text = std::string(text);
    }
    return parsed;
  } else if (text.starts_with("file:")) {
    std::string_view path = text.substr(5);
    if (path.starts_with("//")) {
      path.remove_prefix(2);
    }
    if (path.empty()) {
      return invalid_source(text, "a file source needs a path, like file:/srv/class.mp4");
    }
    for (unsigned char c : path) {
      if (c < 0x20) {
        return invalid_source(text, "the path has control characters");
      }
    }
    spec.kind = SourceKind::kFile;
    spec.path = std::string(path);
  } else {
    return invalid_source(
        text, "use test, clock, v4l2:/dev/videoN, srt://:PORT, rtmp://host/app/key or file:PATH");
  }
  spec.text = std::string(text.empty() ? "test" : text);
  return spec;
}

}  // namespace boai::stream
