// `provisio-emulator google ...`: flags, key loading, serving.
#pragma once

#include <CLI/CLI.hpp>

namespace provisio::emulators {

// Adds the google subcommand to `app`; `exit_code` is set when it ran.
void AddGoogleCommand(CLI::App& app, int& exit_code);

}  // namespace provisio::emulators
