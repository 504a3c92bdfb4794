#include "emulators/google/google_command.h"

#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "emulators/common/serve.h"
#include "emulators/google/google_emulator.h"

namespace provisio::emulators {
namespace {

struct GoogleFlags {
  std::string listen = "127.0.0.1:8083";
  std::string public_key;
  std::string domain = "example.com";
  std::string customer_id = "C03az79cb";
  std::string faults;
  uint64_t seed = 1;
  size_t seed_users = 0;
  size_t quota_per_minute = 0;
};

// The flag names a PEM file, or holds the PEM itself.
std::optional<std::string> ReadPem(const std::string& flag) {
  if (flag.find("-----BEGIN") != std::string::npos) return flag;
  std::ifstream in(flag);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

int RunGoogle(const GoogleFlags& flags) {
  auto rules = ParseFaults(flags.faults);
  if (!rules.ok()) {
    std::cerr << rules.error().message() << "\n";
    return 2;
  }
  auto pem = ReadPem(flags.public_key);
  if (!pem) {
    std::cerr << "--service-account-public-key: cannot read " << flags.public_key << "\n";
    return 2;
  }
  GoogleEmulatorOptions options;
  options.public_key_pem = std::move(*pem);
  options.domain = flags.domain;
  options.customer_id = flags.customer_id;
  options.faults = std::move(rules).value();
  options.seed = flags.seed;
  options.quota_per_minute = flags.quota_per_minute;
  auto emulator = GoogleEmulator::Create(std::move(options));
  if (!emulator.ok()) {
    std::cerr << "--service-account-public-key: " << emulator.error().message() << "\n";
    return 2;
  }
  if (flags.seed_users > 0) (*emulator)->SeedUsers(flags.seed_users);
  http::Router router;
  (*emulator)->AddRoutes(router);
  ServeOptions serve;
  serve.listen = flags.listen;
  return ServeUntilSignal(serve, std::move(router));
}

}  // namespace

void AddGoogleCommand(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<GoogleFlags>();
  CLI::App* cmd =
      app.add_subcommand("google",
                         "Google Workspace: token endpoint /token and the Directory API under "
                         "/admin/directory/v1");
  cmd->add_option("--listen", flags->listen, "HOST:PORT; port 0 picks a free one")
      ->capture_default_str();
  cmd->add_option("--service-account-public-key", flags->public_key,
                  "PEM file (or PEM text) of the service account's public key or certificate")
      ->required();
  cmd->add_option("--domain", flags->domain, "The Workspace primary domain")->capture_default_str();
  cmd->add_option("--customer-id", flags->customer_id, "What my_customer stands for")
      ->capture_default_str();
  cmd->add_option("--faults", flags->faults,
                  "Injected faults, e.g. 503:0.05,429:0.05,403:0.05 (403 is "
                  "userRateLimitExceeded),latency:5ms");
  cmd->add_option("--seed", flags->seed, "Seed of the fault sequence")->capture_default_str();
  cmd->add_option("--seed-users", flags->seed_users, "Create N users at start");
  cmd->add_option("--quota-per-minute", flags->quota_per_minute,
                  "Directory requests a minute before 403 userRateLimitExceeded; 0 is no quota");
  cmd->callback([flags, &exit_code] { exit_code = RunGoogle(*flags); });
}

}  // namespace provisio::emulators
