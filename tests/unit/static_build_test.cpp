// Issue #17: the pages' scripts and styles served under names that carry their content's hash,
// every page, import and style rewritten to name them so (assets/hashed_tree.hpp).
#include "assets/static_build.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <regex>

#include "assets/hashed_name.hpp"
#include "assets/hashed_tree.hpp"
#include "assets/references.hpp"

using boai::assets::build_hashed_tree;
using boai::assets::carries_content_hash;
using boai::assets::FileTree;
using boai::assets::HashedTree;

namespace {

HashedTree must_build(const FileTree& sources) {
  auto tree = build_hashed_tree(sources);
  INFO((tree ? "" : tree.error().message));
  REQUIRE(tree);
  return *tree;
}

// The URLs a file's scanner finds, as written.
std::vector<std::string> urls_in(const std::string& path, const std::string& text) {
  std::vector<boai::assets::Reference> refs;
  if (path.ends_with(".html")) {
    refs = boai::assets::html_references(text);
  } else if (path.ends_with(".css")) {
    refs = boai::assets::css_references(text);
  } else if (path.ends_with(".js") && !path.starts_with("vendor/")) {
    refs = boai::assets::js_references(text);
  }
  std::vector<std::string> out;
  for (const auto& r : refs) {
    out.push_back(text.substr(r.offset, r.size));
  }
  return out;
}

// Every file a built tree's pages, scripts and styles name is one of its files; pages name no
// asset but by its hashed name.
void check_every_reference_resolves(const HashedTree& tree) {
  for (const auto& [path, text] : tree.files) {
    for (const auto& url : urls_in(path, text)) {
      std::string target = boai::assets::resolve_url(path, url);
      bool is_file = tree.files.contains(target);
      bool was_asset = tree.names.contains(target);
      INFO(path << " names " << url);
      CHECK(!was_asset);  // an asset's own name is never served
      if (is_file && target.find('/') != std::string::npos) {
        CHECK(carries_content_hash(target));
      }
    }
  }
}

const FileTree kSite = {
    {"index.html",
     "<link rel=\"stylesheet\" href=\"/css/site.css\">\n"
     "<script src=\"/vendor/lib.min.js\" defer></script>\n"
     "<script type=\"module\" src=\"/js/page.js\"></script>\n"
     "<a href=\"/ledger\">books</a>"},
    {"js/page.js",
     "import { a } from './a.js';\nexport { b } from \"./b.js\";\n"
     "const lazy = () => import('./lazy.js');\nconst lib = '/vendor/lib.min.js';\n"},
    {"js/a.js", "import { b } from './b.js';\nexport const a = b + 1;\n"},
    {"js/b.js", "export const b = 1;\n"},
    {"js/lazy.js", "export default 'lazy';\n"},
    {"js/alone.js", "export const alone = true;\n"},
    {"css/site.css", "@import './fonts.css';\nbody { background: url(../img/bg.png); }\n"},
    {"css/fonts.css", "@font-face { src: url('/fonts/sans.woff2') format('woff2'); }\n"},
    {"img/bg.png", "PNG"},
    {"fonts/sans.woff2", "WOFF2"},
    {"vendor/lib.min.js", "var x='./a.js';import('./b.js')"},
};

}  // namespace

TEST_CASE("hashed names: the hash before the extension, and known by their shape") {
  auto digest = boai::assets::sha256_hex("abc");
  CHECK(digest == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(boai::assets::hashed_path("js/viewer.js", digest) == "js/viewer.ba7816bf8f.js");
  CHECK(boai::assets::hashed_path("vendor/hls.min.js", digest) == "vendor/hls.min.ba7816bf8f.js");
  CHECK(boai::assets::hashed_path("img/LICENSE", digest) == "img/LICENSE.ba7816bf8f");
  for (const char* yes :
       {"js/viewer.ba7816bf8f.js", "/vendor/hls.min.0123456789.js", "a.ba7816bf8f"}) {
    CHECK(carries_content_hash(yes));
  }
  for (const char* no : {"js/viewer.js", "/js/viewer.BA7816BF8F.js", "/js/.ba7816bf8f.js",
                         "/proofs/item-0123456789abcdef.jpg", "/js/v.ba7816bf8.js", "index.html"}) {
    CHECK_FALSE(carries_content_hash(no));
  }
}

TEST_CASE(
    "the script scanner finds imports and paths, not comments, regular expressions or words") {
  std::string js =
      "// hls.js's own 'setting' from './comment.js'\n"
      "/* import './block.js' */\n"
      "import './side.js';\n"
      "import x, { y } from \"../up/y.js\";\n"
      "export * from './all.js';\n"
      "const re = /['\"]from '.\\/re.js'/g;\n"
      "const half = total / 2 / 'x'.length;\n"
      "const t = `/api/${id}/x?q=${'./in.js'}` + `./plain.js`;\n"
      "const u = await import(\n  './dyn.js');\n"
      "Array.from('./not-import.js');\n"
      "const words = 'it is ok', route = '/ledger', far = '//cdn.example/x.js';\n";
  CHECK(urls_in("js/x.js", js) == std::vector<std::string>{"./side.js", "../up/y.js", "./all.js",
                                                           "./in.js", "./plain.js", "./dyn.js",
                                                           "./not-import.js", "/ledger"});
  auto refs = boai::assets::js_references(js);
  std::vector<bool> required;
  for (const auto& r : refs) {
    required.push_back(r.required);
  }
  CHECK(required == std::vector<bool>{true, true, true, false, false, true, false, false});
}

TEST_CASE("the style and page scanners find url(), @import, src and href") {
  CHECK(urls_in("css/a.css",
                "/* url(no.png) */ @import url(\"b.css\"); a { background: URL( c.png ); "
                "mask: url('d.svg#m') } b { content: 'url(e.png)' }") ==
        std::vector<std::string>{"b.css", "c.png", "d.svg#m"});
  CHECK(urls_in("p.html",
                "<!-- <script src=\"/gone.js\"></script> -->\n<link rel=stylesheet href=/a.css>"
                "<script type='module' src='/js/b.js'></script>"
                "<script>const s = '<img src=\"/no.png\">';</script><IMG SRC=\"/c.png\" alt>") ==
        std::vector<std::string>{"/a.css", "/js/b.js", "/c.png"});
}

TEST_CASE("every asset gets a hashed name and every reference to it follows") {
  auto tree = must_build(kSite);
  CHECK(tree.names.size() == 10);
  for (const auto& [source, served] : tree.names) {
    CHECK(carries_content_hash(served));
    CHECK(tree.files.contains(served));
    CHECK_FALSE(tree.files.contains(source));
  }
  CHECK(tree.files.contains("index.html"));
  check_every_reference_resolves(tree);
  const auto& page = tree.files.at("index.html");
  CHECK(page.find("href=\"/" + tree.names.at("css/site.css") + "\"") != std::string::npos);
  CHECK(page.find("src=\"/" + tree.names.at("js/page.js") + "\"") != std::string::npos);
  CHECK(page.find("href=\"/ledger\"") != std::string::npos);  // a route, not a file
  auto script = tree.files.at(tree.names.at("js/page.js"));
  auto name_of = [&](const std::string& path) { return path.substr(path.rfind('/') + 1); };
  CHECK(script.find("import('./" + name_of(tree.names.at("js/lazy.js")) + "')") !=
        std::string::npos);
  CHECK(script.find("'/" + tree.names.at("vendor/lib.min.js") + "'") != std::string::npos);
  auto style = tree.files.at(tree.names.at("css/site.css"));
  CHECK(style.find("url(../" + tree.names.at("img/bg.png") + ")") != std::string::npos);
  // Another project's build is its own: not a byte changed, whatever it seems to import.
  CHECK(tree.files.at(tree.names.at("vendor/lib.min.js")) == kSite.at("vendor/lib.min.js"));
  CHECK(tree.warnings.empty());
}

TEST_CASE("names are stable for the same content and follow a change up the imports") {
  auto first = must_build(kSite);
  CHECK(must_build(kSite).names == first.names);

  auto changed = kSite;
  changed["js/b.js"] = "export const b = 2;\n";
  auto second = must_build(changed);
  for (const char* renamed : {"js/b.js", "js/a.js", "js/page.js"}) {
    INFO(renamed);
    CHECK(second.names.at(renamed) != first.names.at(renamed));
  }
  for (const char* kept : {"js/lazy.js", "js/alone.js", "css/site.css", "vendor/lib.min.js"}) {
    INFO(kept);
    CHECK(second.names.at(kept) == first.names.at(kept));
  }
  CHECK(second.files.at("index.html") != first.files.at("index.html"));
  // A style's font changes: the style that imports the one naming it is renamed too.
  changed = kSite;
  changed["fonts/sans.woff2"] = "WOFF2 v2";
  auto third = must_build(changed);
  CHECK(third.names.at("css/fonts.css") != first.names.at("css/fonts.css"));
  CHECK(third.names.at("css/site.css") != first.names.at("css/site.css"));
  CHECK(third.names.at("js/page.js") == first.names.at("js/page.js"));
}

TEST_CASE("modules that import each other are hashed as one") {
  FileTree cycle = {{"index.html", "<script type=module src=/js/a.js></script>"},
                    {"js/a.js", "import { b } from './b.js';\nexport const a = 1;\n"},
                    {"js/b.js", "import { a } from './a.js';\nexport const b = 2;\n"},
                    {"js/self.js", "import * as me from './self.js';\nexport const s = 3;\n"},
                    {"js/c.js", "import { a } from './a.js';\n"}};
  auto first = must_build(cycle);
  check_every_reference_resolves(first);
  CHECK(first.names.size() == 4);
  auto changed = cycle;
  changed["js/b.js"] += "export const more = 4;\n";
  auto second = must_build(changed);
  for (const char* renamed : {"js/a.js", "js/b.js", "js/c.js"}) {
    INFO(renamed);
    CHECK(second.names.at(renamed) != first.names.at(renamed));
  }
  CHECK(second.names.at("js/self.js") == first.names.at("js/self.js"));
  CHECK(must_build(changed).names == second.names);
}

TEST_CASE("an import that names no file of the tree is refused, a missing page asset is told") {
  for (const char* script : {"import { x } from './gone.js';", "import 'lit';",
                             "const m = await import('./parts/' + name);"}) {
    INFO(script);
    auto tree = build_hashed_tree({{"js/a.js", script}});
    REQUIRE_FALSE(tree);
    CHECK(tree.error().code == "unresolved_import");
  }
  auto tree = must_build({{"index.html", "<script src=\"/vendor/hls.min.js\"></script>"}});
  CHECK(tree.files.at("index.html") == "<script src=\"/vendor/hls.min.js\"></script>");
  CHECK(tree.warnings.size() == 1);
}

TEST_CASE("the site's own pages: every reference resolves and pages name hashed files only") {
  auto sources = boai::assets::read_tree(BOAI_SOURCE_DIR "/web/static");
  REQUIRE(sources);
  REQUIRE(sources->contains("index.html"));
  auto tree = must_build(*sources);
  check_every_reference_resolves(tree);
  // Each script and style a page loads is a hashed file of the tree.
  std::regex loads(R"re((?:src|href)="(/(?:js|css|vendor)/[^"]+)")re");
  int pages = 0;
  for (const auto& [path, text] : tree.files) {
    if (!path.ends_with(".html")) {
      continue;
    }
    ++pages;
    int named = 0;
    for (std::sregex_iterator m(text.begin(), text.end(), loads), end; m != end; ++m, ++named) {
      std::string url = (*m)[1];
      INFO(path << ": " << url);
      if (url.starts_with("/vendor/") && !sources->contains("vendor/hls.min.js")) {
        continue;  // hls.js is not installed (npm, web/): the page names it as written
      }
      CHECK(carries_content_hash(url));
      CHECK(tree.files.contains(url.substr(1)));
    }
    CHECK(named >= 2);
  }
  CHECK(pages >= 6);
}

TEST_CASE("the build on disk replaces the served tree whole, and a failed one leaves it") {
  namespace fs = std::filesystem;
  fs::path root = fs::temp_directory_path() / ("boai-static-build-" + std::to_string(::getpid()));
  fs::remove_all(root);
  auto write = [](const fs::path& file, const std::string& text) {
    fs::create_directories(file.parent_path());
    std::ofstream(file) << text;
  };
  write(root / "src/index.html", "<script type=module src=/js/a.js></script>");
  write(root / "src/js/a.js", "export const a = 1;\n");
  write(root / "src/js/.a.js.swp", "an editor's");
  auto warnings = boai::assets::build_static_dir(root / "src", root / "out");
  REQUIRE(warnings);
  auto first = boai::assets::read_tree(root / "out");
  REQUIRE(first);
  CHECK(first->size() == 2);
  CHECK(first->contains("index.html"));

  write(root / "src/js/a.js", "export const a = 2;\n");
  REQUIRE(boai::assets::build_static_dir(root / "src", root / "out"));
  auto second = boai::assets::read_tree(root / "out");
  REQUIRE(second);
  CHECK(second->size() == 2);  // the old name is gone with the old tree
  CHECK(second->at("index.html") != first->at("index.html"));

  write(root / "src/js/a.js", "import './gone.js';\n");
  auto failed = boai::assets::build_static_dir(root / "src", root / "out");
  REQUIRE_FALSE(failed);
  CHECK(failed.error().code == "unresolved_import");
  auto kept = boai::assets::read_tree(root / "out");
  REQUIRE(kept);
  CHECK(*kept == *second);
  fs::remove_all(root);
}
