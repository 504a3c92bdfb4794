#include "emulators/salesforce/salesforce_command.h"

#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "emulators/common/serve.h"
#include "emulators/salesforce/salesforce_emulator.h"

namespace provisio::emulators {
namespace {

struct SalesforceFlags {
  std::string listen = "127.0.0.1:8082";
  SalesforceEmulatorOptions options;
  std::string jwt_public_key;  // a file
  std::string faults;
  size_t seed_users = 0;
};

int RunSalesforce(SalesforceFlags& flags) {
  auto rules = ParseFaults(flags.faults);
  if (!rules.ok()) {
    std::cerr << rules.error().message() << "\n";
    return 2;
  }
  flags.options.faults = std::move(rules).value();
  if (!flags.jwt_public_key.empty()) {
    std::ifstream in(flags.jwt_public_key);
    std::stringstream text;
    text << in.rdbuf();
    if (!in || text.str().find("-----BEGIN") == std::string::npos) {
      std::cerr << "--jwt-public-key: cannot read a PEM key or certificate from "
                << flags.jwt_public_key << "\n";
      return 2;
    }
    flags.options.jwt_public_key_pem = text.str();
  }
  if (flags.options.batch_size < 1 || flags.options.batch_size > 2000) {
    std::cerr << "--page-size: 1..2000\n";
    return 2;
  }
  SalesforceEmulator emulator(flags.options);
  if (flags.seed_users > 0) emulator.SeedUsers(flags.seed_users);
  http::Router router;
  emulator.AddRoutes(router);
  ServeOptions serve;
  serve.listen = flags.listen;
  return ServeUntilSignal(serve, std::move(router));
}

}  // namespace

void AddSalesforceCommand(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<SalesforceFlags>();
  SalesforceEmulatorOptions& o = flags->options;
  CLI::App* cmd = app.add_subcommand(
      "salesforce", "A Salesforce org: /services/oauth2/token and the REST API /services/data");
  cmd->add_option("--listen", flags->listen, "HOST:PORT; port 0 picks a free one")
      ->capture_default_str();
  cmd->add_option("--client-id", o.client_id, "The connected app's consumer key")
      ->capture_default_str();
  cmd->add_option("--client-secret", o.client_secret,
                  "The consumer secret (client credentials and username-password flows)");
  cmd->add_option("--jwt-public-key", flags->jwt_public_key,
                  "PEM file: public key or certificate verifying JWT bearer assertions");
  cmd->add_option("--admin-username", o.admin_username,
                  "The integration user: a JWT's sub, the client credentials run-as user")
      ->capture_default_str();
  cmd->add_option("--admin-password", o.admin_password,
                  "The integration user's password (username-password flow)");
  cmd->add_option("--faults", flags->faults,
                  "Injected faults, e.g. 503:0.05,403:0.01,latency:5ms (403/429 answer "
                  "REQUEST_LIMIT_EXCEEDED)");
  cmd->add_option("--seed", o.seed, "Seed of the fault sequence")->capture_default_str();
  cmd->add_option("--seed-users", flags->seed_users, "Create N users at start");
  cmd->add_option("--page-size", o.batch_size, "Largest query page (Salesforce: 2000)")
      ->capture_default_str();
  cmd->add_option("--daily-api-limit", o.daily_api_limit,
                  "REST calls before REQUEST_LIMIT_EXCEEDED")
      ->capture_default_str();
  cmd->add_option("--token-ttl", o.token_ttl_seconds,
                  "Seconds an access token lives (0: until restart)")
      ->capture_default_str();
  cmd->callback([flags, &exit_code] { exit_code = RunSalesforce(*flags); });
}

}  // namespace provisio::emulators
