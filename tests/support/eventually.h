// Polls a condition in integration tests: until `check()` holds or `seconds` pass (then one
// last look), every `every`.
#pragma once

#include <chrono>
#include <thread>

namespace provisio::testing {

template <typename F>
bool Eventually(F&& check, int seconds = 120,
                std::chrono::milliseconds every = std::chrono::milliseconds(100)) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (check()) return true;
    std::this_thread::sleep_for(every);
  }
  return check();
}

}  // namespace provisio::testing
