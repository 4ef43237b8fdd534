// Inside stream/ only: how a stage of the studio tells the studio's listener what happened.
#pragma once

#include <string>
#include <utility>

#include "stream/studio_health.hpp"

namespace boai::stream {

inline void notify(const StudioListener& listener, StudioEvent::Kind kind, std::string subject,
                   std::string code = {}, std::string message = {}) {
  if (listener) {
    listener(StudioEvent{kind, std::move(subject), std::move(code), std::move(message)});
  }
}

}  // namespace boai::stream
