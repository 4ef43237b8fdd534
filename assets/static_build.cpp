// static_build: read a folder, build its hashed tree, write it where it is served from.
#include "assets/static_build.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <system_error>

#include "assets/hashed_name.hpp"

namespace boai::assets {

namespace fs = std::filesystem;

std::expected<FileTree, Error> read_tree(const fs::path& dir) {
  FileTree tree;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.starts_with('.')) {
      if (it->is_directory()) {
        it.disable_recursion_pending();
      }
      continue;
    }
    if (!it->is_regular_file()) {
      continue;
    }
    std::ifstream in(it->path(), std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    if (!in) {
      return std::unexpected(make_error("read_failed", "cannot read " + it->path().string()));
    }
    tree[fs::relative(it->path(), dir).generic_string()] = bytes.str();
  }
  if (ec) {
    return std::unexpected(
        make_error("read_failed", "cannot read " + dir.string() + ": " + ec.message()));
  }
  return tree;
}

std::expected<std::vector<std::string>, Error> build_static_dir(const fs::path& source,
                                                                const fs::path& out) {
  auto sources = read_tree(source);
  if (!sources) {
    return std::unexpected(sources.error());
  }
  auto tree = build_hashed_tree(*sources);
  if (!tree) {
    return std::unexpected(tree.error());
  }
  fs::path fresh = out.string() + ".new", old = out.string() + ".old";
  std::error_code ec;
  fs::remove_all(fresh, ec);
  fs::remove_all(old, ec);
  for (const auto& [path, bytes] : tree->files) {
    fs::path file = fresh / path;
    fs::create_directories(file.parent_path(), ec);
    std::ofstream f(file, std::ios::binary);
    f << bytes;
    f.close();
    if (!f) {
      return std::unexpected(make_error("write_failed", "cannot write " + file.string()));
    }
  }
  fs::create_directories(fresh, ec);  // a tree with no file is still a folder
  if (fs::exists(out)) {
    fs::rename(out, old, ec);
  }
  if (!ec) {
    fs::rename(fresh, out, ec);
  }
  if (ec) {
    return std::unexpected(
        make_error("write_failed", "cannot put " + fresh.string() + " in place: " + ec.message()));
  }
  fs::remove_all(old, ec);
  return tree->warnings;
}

std::vector<std::string> hashed_folders(const fs::path& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& top : fs::directory_iterator(dir, ec)) {
    if (!top.is_directory() || top.path().filename().string().starts_with('.')) {
      continue;
    }
    bool any = false, all = true;
    fs::recursive_directory_iterator it(top.path(), ec), end;
    for (; !ec && it != end && all; it.increment(ec)) {
      if (it->is_regular_file()) {
        any = true;
        all = carries_content_hash(it->path().filename().string());
      }
    }
    if (!ec && any && all) {
      out.push_back(top.path().filename().string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace boai::assets
