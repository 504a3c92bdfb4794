// provisio-emulator: local stand-ins for target applications. Each target is one subcommand
// registered here explicitly; `scim2` today, `salesforce` and `google` in their issues.
#include <CLI/CLI.hpp>

#include "core/log.h"
#include "emulators/google/google_command.h"
#include "emulators/salesforce/salesforce_command.h"
#include "emulators/scim2/scim2_command.h"

int main(int argc, char** argv) {
  provisio::log::Setup({});
  CLI::App app{"provisio-emulator: faithful local stand-ins for target applications"};
  app.require_subcommand(1);
  int exit_code = 0;
  provisio::emulators::AddScim2Command(app, exit_code);
  provisio::emulators::AddSalesforceCommand(app, exit_code);
  provisio::emulators::AddGoogleCommand(app, exit_code);
  CLI11_PARSE(app, argc, argv);
  return exit_code;
}
