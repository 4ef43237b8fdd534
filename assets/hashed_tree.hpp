// The static build in memory: a site's files in, the served files out, every asset under a name
// that carries a hash of its content and every page, script and style rewritten to name them so.
// Pages (the .html files, and whatever lies at the top of the tree: favicon.ico, robots.txt) keep
// their names; the rest (js/, css/, vendor/, images, fonts) is hashed.
#pragma once

#include <expected>
#include <map>
#include <string>
#include <vector>

#include "base/error.hpp"

namespace boai::assets {

// Path inside the tree ("js/viewer.js", "/" between folders) to the file's bytes.
using FileTree = std::map<std::string, std::string>;

struct HashedTree {
  FileTree files;                            // what is served: pages and hashed assets only
  std::map<std::string, std::string> names;  // each asset's own path to its hashed path
  std::vector<std::string> warnings;         // a page or style naming a file that is not there
};

// A module's name is the hash of its text after its imports were rewritten: a change in a module
// renames every module that imports it, up to the pages. Modules that import each other in a
// cycle are hashed as one (any change in one renames all of them). Files under vendor/ are other
// projects' builds: copied byte for byte, never read.
// Errors: unresolved_import (an import specifier that names no file of the tree).
std::expected<HashedTree, Error> build_hashed_tree(const FileTree& sources);

// The tree path a URL names from a file of the tree, without its query or fragment; empty for an
// address elsewhere or one that leaves the tree.
std::string resolve_url(std::string_view from_file, std::string_view url);

}  // namespace boai::assets
