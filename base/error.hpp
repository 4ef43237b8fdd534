// The error every module returns for failures a user or a peer can cause: a stable code and words.
#pragma once

#include <string>

namespace boai {

struct Error {
  std::string code;     // stable, machine-readable: "amount_out_of_range", "db_unavailable"
  std::string message;  // one sentence for a person

  friend bool operator==(const Error&, const Error&) = default;
};

inline Error make_error(std::string code, std::string message) {
  return Error{std::move(code), std::move(message)};
}

}  // namespace boai
