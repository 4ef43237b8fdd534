// The static build on disk: web/static in, the served tree out (the default --static-dir, and what
// is installed as /usr/share/boai/static).
#pragma once

#include <expected>
#include <filesystem>
#include <string>
#include <vector>

#include "assets/hashed_tree.hpp"
#include "base/error.hpp"

namespace boai::assets {

// Every regular file under dir but hidden ones (".name": an editor's swap file, .gitignore).
// Errors: read_failed.
std::expected<FileTree, Error> read_tree(const std::filesystem::path& dir);

// Builds the hashed tree of source and puts it at out, replacing what was there: written beside
// it first, then renamed into place. Returns the build's warnings.
// Errors: those of read_tree and build_hashed_tree, write_failed.
std::expected<std::vector<std::string>, Error> build_static_dir(const std::filesystem::path& source,
                                                                const std::filesystem::path& out);

// The top folders of a served tree whose every file (one at least) carries a content hash: "js",
// "css", "vendor" of a built tree, none of web/static itself. Read once, at start.
std::vector<std::string> hashed_folders(const std::filesystem::path& dir);

}  // namespace boai::assets
