// Where a page, a script or a style names another file of the site: the places the static build
// rewrites to hashed names. Found by a small scanner of each language, not a full parser: enough
// for the site's own files (web/static), which it is tested on.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace boai::assets {

struct Reference {
  std::size_t offset = 0;  // the URL's text inside the file, quotes excluded
  std::size_t size = 0;
  // An import specifier (`import … from`, `export … from`, `import(…)`, `@import`): it must name
  // a file of the tree. Any other string may be a route or plain words, rewritten only when it
  // names a file.
  bool required = false;
};

// A script: import and export specifiers, dynamic imports with a literal name, and string literals
// that start with "/", "./" or "../" (a URL a script loads). Comments, regular expressions and
// template literals' expressions are read past, not into.
std::vector<Reference> js_references(std::string_view text);
// A style sheet: url(…) and @import.
std::vector<Reference> css_references(std::string_view text);
// A page: the src and href attributes of its tags (outside comments).
std::vector<Reference> html_references(std::string_view text);

}  // namespace boai::assets
