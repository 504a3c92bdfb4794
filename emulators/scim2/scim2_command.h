// `provisio-emulator scim2 ...`: flags, state file, serving.
#pragma once

#include <CLI/CLI.hpp>

namespace provisio::emulators {

// Adds the scim2 subcommand to `app`; `exit_code` is set when it ran.
void AddScim2Command(CLI::App& app, int& exit_code);

}  // namespace provisio::emulators
