// references: the three scanners. Each walks its text once and keeps the spans of URLs; what they
// name is resolved by the static build (hashed_tree.cpp).
#include "assets/references.hpp"

#include <array>
#include <cctype>
#include <string>

namespace boai::assets {

namespace {

bool is_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

bool is_word_char(char c) {
  auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) != 0 || c == '_' || c == '$' || u >= 0x80;
}

bool lower_equals(std::string_view text, std::string_view lower) {
  if (text.size() != lower.size()) {
    return false;
  }
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != lower[i]) {
      return false;
    }
  }
  return true;
}

bool starts_with_lower(std::string_view text, std::size_t at, std::string_view lower) {
  return at + lower.size() <= text.size() && lower_equals(text.substr(at, lower.size()), lower);
}

// A URL a script writes as a path of the site, not a protocol-relative address ("//host/…").
bool names_a_path(std::string_view value) {
  return (value.starts_with('/') && !value.starts_with("//")) || value.starts_with("./") ||
         value.starts_with("../");
}

// The script scanner. What came last tells a regular expression from a division ("/") and an
// import specifier from any string.
class JsScanner {
 public:
  explicit JsScanner(std::string_view text) : t_(text) {}

  std::vector<Reference> run() {
    while (i_ < t_.size()) {
      step();
    }
    return std::move(found_);
  }

 private:
  enum class Kind { none, word, punct, value, close };
  struct Token {
    Kind kind = Kind::none;
    std::string_view text;
  };

  char at(std::size_t i) const { return i < t_.size() ? t_[i] : '\0'; }

  void push(Kind kind, std::string_view text) {
    before_ = last_;
    last_ = {kind, text};
  }

  bool regex_may_follow() const {
    static constexpr std::array<std::string_view, 14> kKeywords = {
        "return", "typeof", "instanceof", "in", "of",   "new",   "delete",
        "void",   "throw",  "case",       "do", "else", "yield", "await"};
    switch (last_.kind) {
      case Kind::none:
      case Kind::punct:
        return true;
      case Kind::word:
        for (auto k : kKeywords) {
          if (last_.text == k) {
            return true;
          }
        }
        return false;
      case Kind::value:
      case Kind::close:
        return false;
    }
    return false;
  }

  void step() {
    char c = t_[i_];
    if (is_space(c)) {
      ++i_;
    } else if (c == '/' && at(i_ + 1) == '/') {
      auto end = t_.find('\n', i_);
      i_ = end == std::string_view::npos ? t_.size() : end;
    } else if (c == '/' && at(i_ + 1) == '*') {
      auto end = t_.find("*/", i_ + 2);
      i_ = end == std::string_view::npos ? t_.size() : end + 2;
    } else if (c == '\'' || c == '"') {
      quoted(c);
    } else if (c == '`') {
      ++i_;
      template_text(true);
    } else if (c == '/') {
      if (regex_may_follow()) {
        regex();
      } else {
        push(Kind::punct, t_.substr(i_++, 1));
      }
    } else if (is_word_char(c)) {
      std::size_t start = i_;
      while (i_ < t_.size() && is_word_char(t_[i_])) {
        ++i_;
      }
      push(Kind::word, t_.substr(start, i_ - start));
    } else if (c == '}' && !templates_.empty() && templates_.back() == 0) {
      templates_.pop_back();  // the end of a template's ${…}: its text goes on
      ++i_;
      template_text(false);
    } else {
      if (!templates_.empty() && c == '{') {
        ++templates_.back();
      } else if (!templates_.empty() && c == '}') {
        --templates_.back();
      }
      push(c == ')' || c == ']' ? Kind::close : Kind::punct, t_.substr(i_++, 1));
    }
  }

  void quoted(char quote) {
    std::size_t start = ++i_;
    while (i_ < t_.size() && t_[i_] != quote && t_[i_] != '\n') {
      i_ += t_[i_] == '\\' ? 2 : 1;
    }
    std::size_t end = i_ < t_.size() ? i_ : t_.size();
    ++i_;
    literal(start, end);
  }

  // From just past a backtick (whole: the literal's start) or past the "}" of an expression, to
  // the closing backtick or the next "${".
  void template_text(bool whole) {
    std::size_t start = i_;
    while (i_ < t_.size()) {
      char c = t_[i_];
      if (c == '\\') {
        i_ += 2;
      } else if (c == '`') {
        ++i_;
        if (whole) {
          literal(start, i_ - 1);
        } else {
          push(Kind::value, t_.substr(start, i_ - start));
        }
        return;
      } else if (c == '$' && at(i_ + 1) == '{') {
        i_ += 2;
        templates_.push_back(0);
        push(Kind::punct, "${");
        return;
      } else {
        ++i_;
      }
    }
  }

  void regex() {
    std::size_t start = i_++;
    bool in_class = false;
    while (i_ < t_.size() && t_[i_] != '\n') {
      char c = t_[i_];
      if (c == '\\') {
        i_ += 2;
        continue;
      }
      ++i_;
      if (c == '[') {
        in_class = true;
      } else if (c == ']') {
        in_class = false;
      } else if (c == '/' && !in_class) {
        break;
      }
    }
    while (i_ < t_.size() && is_word_char(t_[i_])) {
      ++i_;  // flags
    }
    push(Kind::value, t_.substr(start, i_ - start));
  }

  void literal(std::size_t start, std::size_t end) {
    std::string_view value = t_.substr(start, end - start);
    bool specifier =
        (last_.kind == Kind::word && (last_.text == "from" || last_.text == "import")) ||
        (last_.kind == Kind::punct && last_.text == "(" && before_.kind == Kind::word &&
         before_.text == "import");
    if (specifier || (names_a_path(value) && value.find('\\') == std::string_view::npos)) {
      found_.push_back({start, value.size(), specifier});
    }
    push(Kind::value, value);
  }

  std::string_view t_;
  std::size_t i_ = 0;
  Token last_, before_;
  std::vector<int> templates_;  // the open ${…} of template literals: their "{" depth
  std::vector<Reference> found_;
};

}  // namespace

std::vector<Reference> js_references(std::string_view text) {
  return JsScanner(text).run();
}

std::vector<Reference> css_references(std::string_view text) {
  std::vector<Reference> found;
  bool importing = false;  // after @import, to its ";"
  std::size_t i = 0;
  auto quoted = [&](std::size_t from) {
    char quote = text[from];
    std::size_t end = from + 1;
    while (end < text.size() && text[end] != quote && text[end] != '\n') {
      end += text[end] == '\\' ? 2 : 1;
    }
    return std::min(end, text.size());
  };
  while (i < text.size()) {
    char c = text[i];
    if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
      auto end = text.find("*/", i + 2);
      i = end == std::string_view::npos ? text.size() : end + 2;
    } else if (c == '\'' || c == '"') {
      std::size_t end = quoted(i);
      if (importing) {
        found.push_back({i + 1, end - i - 1, true});
      }
      i = end + 1;
    } else if (starts_with_lower(text, i, "url(") && (i == 0 || !is_word_char(text[i - 1])) &&
               (i == 0 || text[i - 1] != '-')) {
      i += 4;
      while (i < text.size() && is_space(text[i])) {
        ++i;
      }
      if (i < text.size() && (text[i] == '\'' || text[i] == '"')) {
        std::size_t end = quoted(i);
        found.push_back({i + 1, end - i - 1, importing});
        i = end + 1;
      } else {
        std::size_t start = i;
        while (i < text.size() && text[i] != ')' && !is_space(text[i])) {
          ++i;
        }
        found.push_back({start, i - start, importing});
      }
    } else if (c == '@' && starts_with_lower(text, i, "@import")) {
      importing = true;
      i += 7;
    } else {
      if (c == ';') {
        importing = false;
      }
      ++i;
    }
  }
  return found;
}

std::vector<Reference> html_references(std::string_view text) {
  std::vector<Reference> found;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text.substr(i).starts_with("<!--")) {
      auto end = text.find("-->", i + 4);
      i = end == std::string_view::npos ? text.size() : end + 3;
      continue;
    }
    if (text[i] != '<' || i + 1 >= text.size() ||
        std::isalpha(static_cast<unsigned char>(text[i + 1])) == 0) {
      ++i;
      continue;
    }
    std::size_t name_start = ++i;
    while (i < text.size() && !is_space(text[i]) && text[i] != '>' && text[i] != '/') {
      ++i;
    }
    std::string_view tag = text.substr(name_start, i - name_start);
    // The attributes, to the tag's ">".
    while (i < text.size() && text[i] != '>') {
      if (is_space(text[i]) || text[i] == '/') {
        ++i;
        continue;
      }
      std::size_t attr_start = i;
      while (i < text.size() && !is_space(text[i]) && text[i] != '=' && text[i] != '>' &&
             text[i] != '/') {
        ++i;
      }
      std::string_view attr = text.substr(attr_start, i - attr_start);
      while (i < text.size() && is_space(text[i])) {
        ++i;
      }
      if (i >= text.size() || text[i] != '=') {
        continue;
      }
      ++i;
      while (i < text.size() && is_space(text[i])) {
        ++i;
      }
      std::size_t start = i, end = i;
      if (i < text.size() && (text[i] == '"' || text[i] == '\'')) {
        auto close = text.find(text[i], i + 1);
        start = i + 1;
        end = close == std::string_view::npos ? text.size() : close;
        i = end + 1;
      } else {
        while (i < text.size() && !is_space(text[i]) && text[i] != '>') {
          ++i;
        }
        end = i;
      }
      if (lower_equals(attr, "src") || lower_equals(attr, "href")) {
        found.push_back({start, end - start, false});
      }
    }
    ++i;
    // A script's or a style's own text is not markup.
    for (std::string_view raw : {"script", "style"}) {
      if (lower_equals(tag, raw)) {
        std::string close = "</" + std::string(raw);
        while (i < text.size() && !starts_with_lower(text, i, close)) {
          ++i;
        }
      }
    }
  }
  return found;
}

}  // namespace boai::assets
