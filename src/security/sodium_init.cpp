#include "security/sodium_init.h"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>

namespace provisio::security {

void InitSodium() {
  // A function-local static is initialised once, thread-safely (C++11 magic statics).
  static const bool kInitialised = [] {
    if (sodium_init() < 0) {
      std::fputs("provisio: libsodium failed to initialise\n", stderr);
      std::abort();
    }
    return true;
  }();
  (void)kInitialised;
}

}  // namespace provisio::security
