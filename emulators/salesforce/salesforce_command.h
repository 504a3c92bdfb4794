// `provisio-emulator salesforce ...`: flags (INTERFACES), seeding, serving.
#pragma once

#include <CLI/CLI.hpp>

namespace provisio::emulators {

// Adds the salesforce subcommand to `app`; `exit_code` is set when it ran.
void AddSalesforceCommand(CLI::App& app, int& exit_code);

}  // namespace provisio::emulators
