// provisio: the command line. Subcommands are thin: they parse flags, load the
// configuration and call into the modules.
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <iostream>
#include <string>

#include "app/config.h"
#include "app/rotate_master_key.h"
#include "app/serve.h"
#include "core/clock.h"
#include "directory/admin_accounts.h"
#include "security/bearer_auth.h"
#include "security/security_settings.h"
#include "store/store.h"

#ifndef PROVISIO_VERSION
#define PROVISIO_VERSION "0.0.0"
#endif

namespace {

using provisio::app::Config;
using provisio::app::ConfigFlags;

void AddStoreFlags(CLI::App* cmd, ConfigFlags& flags) {
  cmd->add_option_function<std::string>(
      "--config", [&](const std::string& v) { flags.config_file = v; }, "TOML configuration file");
  cmd->add_option_function<std::string>(
      "--data-dir", [&](const std::string& v) { flags.data_dir = v; }, "Data folder (./data)");
  cmd->add_option_function<std::string>(
      "--database", [&](const std::string& v) { flags.database = v; },
      "sqlite://PATH or postgresql://... (sqlite://<data-dir>/provisio.db)");
}

provisio::Result<Config> Load(const ConfigFlags& flags) {
  auto config = provisio::app::LoadConfig(flags);
  if (config.ok()) provisio::log::Setup({config->log_format, config->log_level});
  return config;
}

int AdminCreate(const ConfigFlags& flags, const std::string& email, const std::string& role) {
  auto config = Load(flags);
  if (!config.ok()) {
    std::cerr << "provisio: " << config.error().message() << "\n";
    return 2;
  }
  std::string password;
  if (!std::getline(std::cin, password)) {
    std::cerr << "provisio: give the password on standard input\n";
    return 2;
  }
  if (!password.empty() && password.back() == '\r') password.pop_back();
  auto store = provisio::store::OpenStore(config->DatabaseUrl());
  if (!store.ok()) {
    std::cerr << "provisio: " << store.error().message() << "\n";
    return 1;
  }
  provisio::SystemClock clock;
  auto settings = provisio::security::LoadSecuritySettings(**store);
  if (!settings.ok()) {
    std::cerr << "provisio: " << settings.error().message() << "\n";
    return 1;
  }
  auto admin = provisio::directory::CreateAdmin(
      **store, clock, {email, role, password, static_cast<size_t>(settings->min_password_length)});
  if (!admin.ok()) {
    std::cerr << "provisio: " << admin.error().message() << "\n";
    return admin.error().code() == provisio::Code::kUniqueness ? 1 : 2;
  }
  std::cout << "created " << admin->role << " " << admin->email << " (id " << admin->id << ")\n";
  return 0;
}

int ScimTokenCreate(const ConfigFlags& flags, const std::string& name) {
  auto config = Load(flags);
  if (!config.ok()) {
    std::cerr << "provisio: " << config.error().message() << "\n";
    return 2;
  }
  auto store = provisio::store::OpenStore(config->DatabaseUrl());
  if (!store.ok()) {
    std::cerr << "provisio: " << store.error().message() << "\n";
    return 1;
  }
  provisio::SystemClock clock;
  auto token = provisio::security::CreateToken(**store, clock, "scim", name, "", "");
  if (!token.ok()) {
    std::cerr << "provisio: " << token.error().message() << "\n";
    return 2;
  }
  std::cerr << "SCIM token '" << name << "' (id " << token->id
            << ") created; it is shown only this once:\n";
  std::cout << token->secret << "\n";
  return 0;
}

int StoreCopy(const std::string& from_url, const std::string& to_url) {
  provisio::log::Setup({provisio::log::Format::kText, spdlog::level::warn});
  auto from = provisio::store::OpenStore(from_url);
  if (!from.ok()) {
    std::cerr << "provisio: " << from_url << ": " << from.error().message() << "\n";
    return 1;
  }
  auto to = provisio::store::OpenStore(to_url);
  if (!to.ok()) {
    std::cerr << "provisio: " << to_url << ": " << to.error().message() << "\n";
    return 1;
  }
  auto report = provisio::store::CopyStore(**from, **to, [](std::string_view table, int64_t rows) {
    std::cout << "  " << table << ": " << rows << " rows\n" << std::flush;
  });
  if (!report.ok()) {
    std::cerr << "provisio: store copy failed, nothing was written: " << report.error().message()
              << "\n";
    return report.error().code() == provisio::Code::kConflict ? 1 : 2;
  }
  int64_t total = 0;
  for (const auto& [table, rows] : report->tables) total += rows;
  std::cout << "copied " << total << " rows from " << (*from)->backend() << " to "
            << (*to)->backend()
            << "; start the nodes on the destination with the same master key\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"Provisio: identity provisioning hub"};
  cli.require_subcommand(1);
  ConfigFlags flags;

  auto* serve = cli.add_subcommand("serve", "Run the server");
  AddStoreFlags(serve, flags);
  serve->add_option_function<std::string>(
      "--listen", [&](const std::string& v) { flags.listen = v; },
      "HOST:PORT (127.0.0.1:8080; port 0 picks a free one)");

  cli.add_subcommand("version", "Print the version");

  auto* admin = cli.add_subcommand("admin", "Manage administrators");
  admin->require_subcommand(1);
  auto* create = admin->add_subcommand("create", "Create an administrator (password on stdin)");
  std::string email, role = "admin";
  create->add_option("--email", email, "Email address (the sign-in name)")->required();
  create->add_option("--role", role, "super-admin, admin or operator")
      ->check(CLI::IsMember({"super-admin", "admin", "operator"}));
  AddStoreFlags(create, flags);

  auto* scim_token = cli.add_subcommand("scim-token", "Manage SCIM client tokens");
  scim_token->require_subcommand(1);
  auto* scim_create = scim_token->add_subcommand(
      "create", "Mint a bearer token for a SCIM client (HR system, identity provider)");
  std::string token_name;
  scim_create->add_option("--name", token_name, "What the token is for, e.g. 'Entra ID'")
      ->required();
  AddStoreFlags(scim_create, flags);

  auto* store_cmd = cli.add_subcommand("store", "Work on a whole store");
  store_cmd->require_subcommand(1);
  auto* copy = store_cmd->add_subcommand(
      "copy", "Copy a whole installation into an empty database (e.g. SQLite to PostgreSQL)");
  std::string copy_from, copy_to;
  copy->add_option("--from", copy_from, "Source, e.g. sqlite://data/provisio.db")->required();
  copy->add_option("--to", copy_to, "Destination, e.g. postgresql://user@host/provisio")
      ->required();

  auto* rotate = cli.add_subcommand(
      "rotate-master-key",
      "Re-encrypt every stored secret under a new master key (run with the server stopped)");
  provisio::app::RotateOptions rotate_options;
  rotate->add_option("--new-key-file", rotate_options.new_key_file,
                     "0600 file with the new key (base64 of 32 bytes); default: generate one");
  AddStoreFlags(rotate, flags);

  CLI11_PARSE(cli, argc, argv);
  if (copy->parsed()) return StoreCopy(copy_from, copy_to);

  if (cli.got_subcommand("version")) {
    std::cout << "provisio " << PROVISIO_VERSION << "\n";
    return 0;
  }
  if (cli.got_subcommand("serve")) {
    auto config = Load(flags);
    if (!config.ok()) {
      std::cerr << "provisio: " << config.error().message() << "\n";
      return 2;
    }
    return provisio::app::RunServe(*config);
  }
  if (create->parsed()) return AdminCreate(flags, email, role);
  if (scim_create->parsed()) return ScimTokenCreate(flags, token_name);
  if (rotate->parsed()) {
    auto config = Load(flags);
    if (!config.ok()) {
      std::cerr << "provisio: " << config.error().message() << "\n";
      return 2;
    }
    return provisio::app::RunRotateMasterKey(*config, rotate_options);
  }
  return 0;
}
