// Nicknames a viewer may not take: the staff's account names and the words that say "staff"
// (host, 主持人, 工作人员…), compared after folding what looks alike to a reader: letters in any
// case, full-width forms (Ｈｏｓｔ), spaces and invisible characters, letters of other alphabets
// (Cyrillic һоѕt, Greek, accented), digits that read as letters (h0st) and traditional forms of
// the Chinese words (工作人員). Loop thread only.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace boai::web {

// Full-width ASCII forms (U+FF01–U+FF5E) to ASCII, look-alike letters to the Latin or simplified
// ones they pass for, letters to lower case, 0 to o, 1 and l to i, rn to m; spaces (ASCII,
// U+3000, no-break), zero-width characters, combining accents and the marks people put between
// words (_ - .) left out. A key to compare, not a name to show.
std::string fold_name(std::string_view name);

class ReservedNames {
 public:
  ReservedNames();
  // Whether a viewer may not be called this: it folds to a staff name or a reserved word, or
  // holds one of the Chinese words for staff.
  bool reserved(std::string_view nickname) const;
  // The staff accounts' names as the database now has them.
  void set_staff(const std::vector<std::string>& names);

 private:
  std::set<std::string, std::less<>> words_;  // folded
  std::set<std::string, std::less<>> staff_;  // folded
};

}  // namespace boai::web
