// The short code a donor reads aloud or types into a bank transfer remark: 8 characters from an
// alphabet without 0/O and 1/I, drawn from OpenSSL's random generator.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace boai::donations {

inline constexpr std::string_view kReferenceAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
inline constexpr std::size_t kReferenceLength = 8;

std::string new_reference_code();
bool is_reference_code(std::string_view text);
// The first reference code inside free text (a bank remark: "捐款 7KQ2MZ9D 张三"), upper-cased.
std::optional<std::string> find_reference_code(std::string_view text);

}  // namespace boai::donations
