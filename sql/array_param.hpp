// One parameter carrying many values: a PostgreSQL array literal for `unnest($1::text[])`, so a
// batch of rows goes in one statement with fixed SQL text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sql/params.hpp"

namespace boai::sql {

// {"a","b \"quoted\"",NULL}: every element quoted, backslash and quote escaped.
class ArrayParam {
 public:
  ArrayParam& add(const std::optional<std::string>& value);
  ArrayParam& add(std::int64_t value) {
    return add(std::optional<std::string>(std::to_string(value)));
  }
  ArrayParam& add_bool(bool value) { return add(std::optional<std::string>(value ? "t" : "f")); }
  Param param() const { return text_ + "}"; }
  std::size_t size() const { return count_; }

 private:
  std::string text_ = "{";
  std::size_t count_ = 0;
};

}  // namespace boai::sql
