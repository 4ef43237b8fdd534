// What a database call returns when it fails: a stable code, words, and PostgreSQL's SQLSTATE.
#pragma once

#include <string>

#include "base/error.hpp"

namespace boai::sql {

struct DbError {
  std::string code;      // "db_unavailable", "unique_violation", "serialization_failure", ...
  std::string message;   // libpq's or the server's words
  std::string sqlstate;  // five characters from the server, empty when the failure was local
  std::string
      constraint;  // the constraint a violation names (not the message: it may be translated)

  boai::Error to_error() const { return boai::Error{code, message}; }
};

// Maps a SQLSTATE to the few stable codes the rest of the project acts on.
std::string code_for_sqlstate(const std::string& sqlstate);

}  // namespace boai::sql
