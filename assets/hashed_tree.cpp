// hashed_tree: scan every page, script and style for the files it names, hash the assets in the
// order of their imports (Tarjan's strongly connected components come out dependencies first),
// then rewrite the pages.
#include "assets/hashed_tree.hpp"

#include <algorithm>
#include <functional>
#include <optional>

#include "assets/hashed_name.hpp"
#include "assets/references.hpp"

namespace boai::assets {

namespace {

bool is_page(const std::string& path) {
  return path.find('/') == std::string::npos || path.ends_with(".html");
}

// The URL's path, without "?query" or "#fragment".
std::string_view url_path(std::string_view url) {
  return url.substr(0, std::min(url.find('?'), url.find('#')));
}

std::vector<Reference> references_of(const std::string& path, std::string_view text) {
  if (path.starts_with("vendor/")) {
    return {};
  }
  if (path.ends_with(".js") || path.ends_with(".mjs")) {
    return js_references(text);
  }
  if (path.ends_with(".css")) {
    return css_references(text);
  }
  if (path.ends_with(".html")) {
    return html_references(text);
  }
  return {};
}

// One file that names others: where, and which file of the tree each names (empty: none).
struct Scanned {
  std::vector<Reference> refs;
  std::vector<std::string> targets;
};

// The text with each reference to a renamed file given the new file name; the rest of the URL
// (folders as written, query, fragment) as it was.
std::string rewrite(const std::string& text, const Scanned& scanned,
                    const std::map<std::string, std::string>& names) {
  std::string out;
  std::size_t copied = 0;
  for (std::size_t i = 0; i < scanned.refs.size(); ++i) {
    auto named = names.find(scanned.targets[i]);
    if (named == names.end()) {
      continue;
    }
    const Reference& ref = scanned.refs[i];
    std::string_view path = url_path(std::string_view(text).substr(ref.offset, ref.size));
    std::size_t name_at =
        ref.offset + (path.rfind('/') == std::string_view::npos ? 0 : path.rfind('/') + 1);
    const std::string& hashed = named->second;
    out.append(text, copied, name_at - copied);
    out += hashed.substr(hashed.rfind('/') == std::string::npos ? 0 : hashed.rfind('/') + 1);
    copied = ref.offset + path.size();
  }
  out.append(text, copied);
  return out;
}

// The assets' import graph in strongly connected components, each after those it imports.
std::vector<std::vector<std::string>> components_in_order(
    const std::map<std::string, std::vector<std::string>>& edges) {
  std::map<std::string, int> index, low;
  std::vector<std::string> stack;
  std::map<std::string, bool> on_stack;
  std::vector<std::vector<std::string>> out;
  int next = 0;
  std::function<void(const std::string&)> visit = [&](const std::string& v) {
    index[v] = low[v] = next++;
    stack.push_back(v);
    on_stack[v] = true;
    for (const auto& w : edges.at(v)) {
      if (!index.contains(w)) {
        visit(w);
        low[v] = std::min(low[v], low[w]);
      } else if (on_stack[w]) {
        low[v] = std::min(low[v], index[w]);
      }
    }
    if (low[v] == index[v]) {
      std::vector<std::string> component;
      std::string w;
      do {
        w = stack.back();
        stack.pop_back();
        on_stack[w] = false;
        component.push_back(w);
      } while (w != v);
      std::sort(component.begin(), component.end());
      out.push_back(std::move(component));
    }
  };
  for (const auto& [v, _] : edges) {
    if (!index.contains(v)) {
      visit(v);
    }
  }
  return out;
}

}  // namespace

std::string resolve_url(std::string_view from_file, std::string_view url) {
  std::string_view path = url_path(url);
  auto colon = path.find(':');
  if (path.empty() || path.starts_with("//") ||
      (colon != std::string_view::npos && colon < path.find('/'))) {
    return {};  // another site, data:, mailto:, a fragment alone
  }
  std::vector<std::string_view> parts;
  if (!path.starts_with('/')) {
    std::string_view dir = from_file.substr(
        0, from_file.rfind('/') == std::string_view::npos ? 0 : from_file.rfind('/'));
    while (!dir.empty()) {
      auto slash = dir.find('/');
      parts.push_back(dir.substr(0, slash));
      dir = slash == std::string_view::npos ? std::string_view{} : dir.substr(slash + 1);
    }
  }
  while (!path.empty()) {
    auto slash = path.find('/');
    std::string_view part = path.substr(0, slash);
    path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash + 1);
    if (part.empty() || part == ".") {
      continue;
    }
    if (part == "..") {
      if (parts.empty()) {
        return {};
      }
      parts.pop_back();
      continue;
    }
    parts.push_back(part);
  }
  std::string out;
  for (auto part : parts) {
    out += out.empty() ? "" : "/";
    out += part;
  }
  return out;
}

std::expected<HashedTree, Error> build_hashed_tree(const FileTree& sources) {
  HashedTree tree;
  std::map<std::string, Scanned> scanned;
  std::map<std::string, std::vector<std::string>> edges;  // asset to the assets it names
  for (const auto& [path, text] : sources) {
    Scanned s;
    s.refs = references_of(path, text);
    for (const auto& ref : s.refs) {
      std::string_view url(text.data() + ref.offset, ref.size);
      std::string target = resolve_url(path, url);
      if (!sources.contains(target)) {
        if (ref.required) {
          return std::unexpected(make_error(
              "unresolved_import", path + " imports \"" + std::string(url) +
                                       "\", which names no file of the tree (bare names and "
                                       "computed imports cannot be served under a hash)"));
        }
        std::string_view name = url_path(url).substr(url_path(url).rfind('/') + 1);
        if (!target.empty() && name.find('.') != std::string_view::npos) {
          tree.warnings.push_back(path + " names " + std::string(url) +
                                  ", which is not in the tree: left as written");
        }
        target.clear();
      } else if (is_page(target)) {
        target.clear();  // pages keep their names
      }
      s.targets.push_back(std::move(target));
    }
    if (!is_page(path)) {
      auto& out = edges[path];
      for (const auto& t : s.targets) {
        if (!t.empty() && std::find(out.begin(), out.end(), t) == out.end()) {
          out.push_back(t);
        }
      }
    }
    scanned.emplace(path, std::move(s));
  }

  for (const auto& component : components_in_order(edges)) {
    const auto& only = component.front();
    const auto& self = edges.at(only);
    bool cycle = component.size() > 1 || std::find(self.begin(), self.end(), only) != self.end();
    if (!cycle) {
      std::string text = rewrite(sources.at(only), scanned.at(only), tree.names);
      tree.names[only] = hashed_path(only, sha256_hex(text));
      tree.files[tree.names[only]] = std::move(text);
      continue;
    }
    // Each member's name cannot wait for the others' text: the component is hashed as a whole,
    // its members' texts with the names from outside it, and each member named by that hash and
    // its own path.
    std::string whole;
    for (const auto& member : component) {
      std::string text = rewrite(sources.at(member), scanned.at(member), tree.names);
      whole += member + '\0' + std::to_string(text.size()) + '\0' + text;
    }
    std::string digest = sha256_hex(whole);
    for (const auto& member : component) {
      tree.names[member] = hashed_path(member, sha256_hex(digest + '\0' + member));
    }
    for (const auto& member : component) {
      tree.files[tree.names[member]] = rewrite(sources.at(member), scanned.at(member), tree.names);
    }
  }
  for (const auto& [path, text] : sources) {
    if (is_page(path)) {
      tree.files[path] = rewrite(text, scanned.at(path), tree.names);
    }
  }
  return tree;
}

}  // namespace boai::assets
