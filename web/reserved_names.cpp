// ReservedNames: the fold, and the words no viewer may be called.
#include "web/reserved_names.hpp"

namespace boai::web {

namespace {

// Whole names (after folding) that say "staff" in English.
constexpr const char* kReservedWords[] = {"host",    "admin",     "administrator", "staff",
                                          "finance", "moderator", "system",        "boai"};
// Chinese words for staff: a nickname holding one is refused (主持人小王 too).
constexpr const char* kReservedParts[] = {"主持", "工作人员", "管理员", "红十字", "官方", "系统"};

}  // namespace

std::string fold_name(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (std::size_t i = 0; i < name.size();) {
    auto c = static_cast<unsigned char>(name[i]);
    // U+FF01..U+FF5E are EF BC 81..EF BD 9E in UTF-8; U+3000 is E3 80 80.
    if (c == 0xEF && i + 2 < name.size()) {
      auto b1 = static_cast<unsigned char>(name[i + 1]);
      auto b2 = static_cast<unsigned char>(name[i + 2]);
      unsigned code = 0xF000u | ((b1 & 0x3Fu) << 6) | (b2 & 0x3Fu);
      if (code >= 0xFF01 && code <= 0xFF5E) {
        c = static_cast<unsigned char>(code - 0xFEE0);
        i += 3;
      } else {
        out.append(name.substr(i, 3));
        i += 3;
        continue;
      }
    } else if (c == 0xE3 && name.substr(i, 3) == "\xE3\x80\x80") {
      i += 3;
      continue;
    } else {
      ++i;
    }
    if (c == ' ' || c == '_' || c == '-' || c == '.' || c == '\t') {
      continue;
    }
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c));
  }
  return out;
}

ReservedNames::ReservedNames() {
  for (const char* w : kReservedWords) {
    words_.insert(w);
  }
}

bool ReservedNames::reserved(std::string_view nickname) const {
  std::string folded = fold_name(nickname);
  if (words_.contains(folded) || staff_.contains(folded)) {
    return true;
  }
  for (const char* part : kReservedParts) {
    if (folded.find(part) != std::string::npos) {
      return true;
    }
  }
  return false;
}

void ReservedNames::set_staff(const std::vector<std::string>& names) {
  staff_.clear();
  for (const auto& n : names) {
    staff_.insert(fold_name(n));
  }
}

}  // namespace boai::web
