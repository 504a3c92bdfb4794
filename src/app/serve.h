// `provisio serve`: the composition root. Opens the store, loads the master key, creates
// the bootstrap admin, wires the routes and runs the HTTP server until SIGTERM/SIGINT.
#pragma once

#include "app/config.h"

namespace provisio::app {

// Returns the process exit code.
int RunServe(const Config& config);

}  // namespace provisio::app
