// Running an emulator's server the way `provisio serve` runs: print
// "listening on http://HOST:PORT" once bound, stop gracefully on SIGTERM/SIGINT.
#pragma once

#include <functional>
#include <string>

#include "http/router.h"

namespace provisio::emulators {

struct ServeOptions {
  std::string listen = "127.0.0.1:0";  // HOST:PORT
  size_t worker_threads = 16;          // handlers may sleep (latency and timeout faults)
};

// Blocks until SIGTERM/SIGINT; `on_stop` runs after the server stopped (state snapshots).
// Returns the process exit code.
int ServeUntilSignal(const ServeOptions& options, http::Router router,
                     const std::function<void()>& on_stop = {});

}  // namespace provisio::emulators
