// What the live room needs of the studio, without knowing GStreamer: the host's commands in, the
// studio's health out. app/ implements it with stream::Studio (web/ never includes stream/).
#pragma once

#include <expected>
#include <nlohmann/json.hpp>
#include <string>

#include "base/error.hpp"

namespace boai::web {

class StudioControl {
 public:
  virtual ~StudioControl() = default;
  // The room the studio broadcasts into; its hosts may command it.
  virtual const std::string& room() const = 0;
  // A "studio.*" request's type and body; the answer's fields go into the ack.
  virtual std::expected<nlohmann::json, Error> command(const std::string& type,
                                                       const nlohmann::json& body) = 0;
};

}  // namespace boai::web
