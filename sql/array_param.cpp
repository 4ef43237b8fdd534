// ArrayParam: the array input syntax of PostgreSQL, quoting every element.
#include "sql/array_param.hpp"

namespace boai::sql {

ArrayParam& ArrayParam::add(const std::optional<std::string>& value) {
  if (count_++ > 0) {
    text_ += ',';
  }
  if (!value) {
    text_ += "NULL";
    return *this;
  }
  text_ += '"';
  for (char c : *value) {
    if (c == '"' || c == '\\') {
      text_ += '\\';
    }
    text_ += c;
  }
  text_ += '"';
  return *this;
}

}  // namespace boai::sql
