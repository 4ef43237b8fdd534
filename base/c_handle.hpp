// Ownership of C handles: a unique_ptr whose deleter is the library's own free function.
#pragma once

#include <memory>

namespace boai {

template <auto FreeFn>
struct CFree {
  template <typename T>
  void operator()(T* handle) const noexcept {
    if (handle != nullptr) {
      FreeFn(handle);
    }
  }
};

// CHandle<PGconn, PQfinish> owns a PGconn and calls PQfinish exactly once.
template <typename T, auto FreeFn>
using CHandle = std::unique_ptr<T, CFree<FreeFn>>;

}  // namespace boai
