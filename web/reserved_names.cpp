// ReservedNames: the fold, and the words no viewer may be called.
#include "web/reserved_names.hpp"

namespace boai::web {

namespace {

// Whole names (after folding) that say "staff" in English.
constexpr const char* kReservedWords[] = {"host",    "admin",     "administrator", "staff",
                                          "finance", "moderator", "system",        "boai"};
// Chinese words for staff: a nickname holding one is refused (主持人小王 too).
constexpr const char* kReservedParts[] = {"主持", "工作人员", "管理员", "红十字", "官方", "系统"};

// Letters of other alphabets that a reader takes for Latin ones (Unicode's confusables, the few
// that matter for names: Cyrillic, Greek, accented Latin), and traditional forms of the Chinese
// staff words' characters.
struct LookAlike {
  char32_t from;
  const char* to;
};
constexpr LookAlike kLookAlikes[] = {
    // Cyrillic, lower and upper case.
    {U'а', "a"},
    {U'в', "b"},
    {U'е', "e"},
    {U'ё', "e"},
    {U'і', "i"},
    {U'ї', "i"},
    {U'ј', "j"},
    {U'к', "k"},
    {U'м', "m"},
    {U'н', "h"},
    {U'о', "o"},
    {U'р', "p"},
    {U'с', "c"},
    {U'т', "t"},
    {U'у', "y"},
    {U'х', "x"},
    {U'ѕ', "s"},
    {U'ԁ', "d"},
    {U'һ', "h"},
    {U'ӏ', "l"},
    {U'ԛ', "q"},
    {U'ԝ', "w"},
    {U'А', "a"},
    {U'В', "b"},
    {U'Е', "e"},
    {U'Ѕ', "s"},
    {U'І', "i"},
    {U'Ј', "j"},
    {U'К', "k"},
    {U'М', "m"},
    {U'Н', "h"},
    {U'О', "o"},
    {U'Р', "p"},
    {U'С', "c"},
    {U'Т', "t"},
    {U'У', "y"},
    {U'Х', "x"},
    // Greek.
    {U'α', "a"},
    {U'ε', "e"},
    {U'ι', "i"},
    {U'κ', "k"},
    {U'ν', "v"},
    {U'ο', "o"},
    {U'ρ', "p"},
    {U'τ', "t"},
    {U'υ', "u"},
    {U'χ', "x"},
    {U'Α', "a"},
    {U'Β', "b"},
    {U'Ε', "e"},
    {U'Ζ', "z"},
    {U'Η', "h"},
    {U'Ι', "i"},
    {U'Κ', "k"},
    {U'Μ', "m"},
    {U'Ν', "n"},
    {U'Ο', "o"},
    {U'Ρ', "p"},
    {U'Τ', "t"},
    {U'Υ', "y"},
    {U'Χ', "x"},
    // Latin with accents.
    {U'à', "a"},
    {U'á', "a"},
    {U'â', "a"},
    {U'ã', "a"},
    {U'ä', "a"},
    {U'å', "a"},
    {U'ç', "c"},
    {U'è', "e"},
    {U'é', "e"},
    {U'ê', "e"},
    {U'ë', "e"},
    {U'ì', "i"},
    {U'í', "i"},
    {U'î', "i"},
    {U'ï', "i"},
    {U'ñ', "n"},
    {U'ò', "o"},
    {U'ó', "o"},
    {U'ô', "o"},
    {U'õ', "o"},
    {U'ö', "o"},
    {U'ù', "u"},
    {U'ú', "u"},
    {U'û', "u"},
    {U'ü', "u"},
    {U'ý', "y"},
    {U'ÿ', "y"},
    {U'À', "a"},
    {U'Á', "a"},
    {U'Â', "a"},
    {U'Ä', "a"},
    {U'È', "e"},
    {U'É', "e"},
    {U'Ì', "i"},
    {U'Í', "i"},
    {U'Ò', "o"},
    {U'Ó', "o"},
    {U'Ö', "o"},
    {U'Ù', "u"},
    {U'Ú', "u"},
    {U'Ü', "u"},
    // Traditional characters of 工作人员, 管理员, 红十字, 系统.
    {U'員', "员"},
    {U'紅', "红"},
    {U'統', "统"},
    {U'係', "系"},
    {U'繫', "系"}};

// Nothing a reader sees: spaces, the marks people put between words, zero-width characters and
// combining accents.
bool invisible(char32_t c) {
  return c == U' ' || c == U'\t' || c == U'_' || c == U'-' || c == U'.' || c == 0x3000 ||
         c == 0x00A0 || (c >= 0x200B && c <= 0x200F) || c == 0x2060 || c == 0xFEFF ||
         (c >= 0x0300 && c <= 0x036F);
}

// One code point of UTF-8 at i (advanced past it); a broken sequence yields its first byte.
char32_t next_code_point(std::string_view s, std::size_t& i) {
  auto lead = static_cast<unsigned char>(s[i]);
  std::size_t extra = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
  if (extra == 0 || i + extra >= s.size()) {
    ++i;
    return lead;
  }
  char32_t cp = lead & (0x3Fu >> extra);
  for (std::size_t k = 1; k <= extra; ++k) {
    auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return lead;
    }
    cp = (cp << 6) | (b & 0x3Fu);
  }
  i += extra + 1;
  return cp;
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

// What an ASCII character reads as: letters in lower case, and 0, 1 and l as o, i and i (h0st,
// adm1n, ADMlN).
char reads_as(char c) {
  if (c >= 'A' && c <= 'Z') {
    c = static_cast<char>(c - 'A' + 'a');
  }
  switch (c) {
    case '0':
      return 'o';
    case '1':
    case 'l':
    case '|':
      return 'i';
    default:
      return c;
  }
}

}  // namespace

std::string fold_name(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (std::size_t i = 0; i < name.size();) {
    char32_t c = next_code_point(name, i);
    if (c >= 0xFF01 && c <= 0xFF5E) {  // full-width ASCII
      c -= 0xFEE0;
    }
    if (invisible(c)) {
      continue;
    }
    if (c < 0x80) {
      out.push_back(reads_as(static_cast<char>(c)));
      continue;
    }
    const char* to = nullptr;
    for (const auto& l : kLookAlikes) {
      if (l.from == c) {
        to = l.to;
        break;
      }
    }
    if (to != nullptr && to[1] == '\0' && static_cast<unsigned char>(to[0]) < 0x80) {
      out.push_back(reads_as(to[0]));
    } else if (to != nullptr) {
      out += to;
    } else {
      append_utf8(out, c);
    }
  }
  // "rn" reads as "m" (adrnin).
  for (std::size_t at = out.find("rn"); at != std::string::npos; at = out.find("rn", at)) {
    out.replace(at, 2, "m");
  }
  return out;
}

ReservedNames::ReservedNames() {
  for (const char* w : kReservedWords) {
    words_.insert(fold_name(w));
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
