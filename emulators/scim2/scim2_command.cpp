#include "emulators/scim2/scim2_command.h"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <iostream>
#include <memory>

#include "emulators/common/serve.h"
#include "emulators/scim2/scim_emulator.h"

namespace provisio::emulators {
namespace {

struct Scim2Flags {
  std::string listen = "127.0.0.1:8081";
  std::string token;
  std::string basic;
  std::string faults;
  uint64_t seed = 1;
  size_t seed_users = 0;
  std::string state;
  size_t max_results = 1000;
  size_t bulk_max_operations = 1000;
  size_t bulk_max_payload = 1 << 20;
};

int RunScim2(const Scim2Flags& flags) {
  auto rules = ParseFaults(flags.faults);
  if (!rules.ok()) {
    std::cerr << rules.error().message() << "\n";
    return 2;
  }
  if (!flags.basic.empty() && flags.basic.find(':') == std::string::npos) {
    std::cerr << "--basic: USER:PASS expected\n";
    return 2;
  }
  ScimEmulatorOptions options;
  options.token = flags.token;
  options.basic = flags.basic;
  options.faults = std::move(rules).value();
  options.seed = flags.seed;
  options.max_results = flags.max_results;
  options.bulk_max_operations = flags.bulk_max_operations;
  options.bulk_max_payload_bytes = flags.bulk_max_payload;
  ScimEmulator emulator(options);
  if (!flags.state.empty() && std::filesystem::exists(flags.state)) {
    if (auto s = emulator.Load(flags.state); !s.ok()) {
      std::cerr << "--state: " << s.error().message() << "\n";
      return 1;
    }
    spdlog::info("loaded {} users and {} groups from {}", emulator.user_count(),
                 emulator.group_count(), flags.state);
  }
  if (flags.seed_users > 0) emulator.SeedUsers(flags.seed_users);
  http::Router router;
  emulator.AddRoutes(router);
  ServeOptions serve;
  serve.listen = flags.listen;
  return ServeUntilSignal(serve, std::move(router), [&] {
    if (flags.state.empty()) return;
    if (auto s = emulator.Save(flags.state); !s.ok()) {
      spdlog::error("--state: {}", s.error().message());
    } else {
      spdlog::info("saved {} users and {} groups to {}", emulator.user_count(),
                   emulator.group_count(), flags.state);
    }
  });
}

}  // namespace

void AddScim2Command(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<Scim2Flags>();
  CLI::App* cmd = app.add_subcommand("scim2", "A SCIM 2.0 service provider under /scim/v2");
  cmd->add_option("--listen", flags->listen, "HOST:PORT; port 0 picks a free one")
      ->capture_default_str();
  cmd->add_option("--token", flags->token, "Require this bearer token");
  cmd->add_option("--basic", flags->basic, "Accept HTTP basic USER:PASS");
  cmd->add_option("--faults", flags->faults,
                  "Injected faults, e.g. 500:0.05,429:0.05:retry-after=1,timeout:0.01,latency:5ms");
  cmd->add_option("--seed", flags->seed, "Seed of the fault sequence")->capture_default_str();
  cmd->add_option("--seed-users", flags->seed_users, "Create N users at start");
  cmd->add_option("--state", flags->state, "Load this JSON snapshot at start, save it on exit");
  cmd->add_option("--max-results", flags->max_results, "Largest page served")
      ->capture_default_str();
  cmd->add_option("--bulk-max-operations", flags->bulk_max_operations,
                  "/Bulk maxOperations; 0 turns /Bulk off")
      ->capture_default_str();
  cmd->add_option("--bulk-max-payload", flags->bulk_max_payload, "/Bulk maxPayloadSize in bytes")
      ->capture_default_str();
  cmd->callback([flags, &exit_code] { exit_code = RunScim2(*flags); });
}

}  // namespace provisio::emulators
