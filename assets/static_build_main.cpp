// boai-static-build SOURCE OUT: the served tree of the pages, run by the build (assets/
// CMakeLists.txt) and by hand after editing an installed site's pages.
#include <cstdio>

#include "assets/static_build.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: boai-static-build SOURCE OUT\n");
    return 2;
  }
  auto warnings = boai::assets::build_static_dir(argv[1], argv[2]);
  if (!warnings) {
    std::fprintf(stderr, "boai-static-build: %s: %s\n", warnings.error().code.c_str(),
                 warnings.error().message.c_str());
    return 1;
  }
  for (const auto& w : *warnings) {
    std::fprintf(stderr, "boai-static-build: warning: %s\n", w.c_str());
  }
  return 0;
}
