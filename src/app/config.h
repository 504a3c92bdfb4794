// The configuration of `provisio serve`: an immutable struct with its defaults written
// beside each field. Sources in rising precedence: TOML file, environment, flags.
#pragma once

#include <spdlog/common.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/log.h"
#include "core/result.h"

namespace provisio::app {

struct HttpConfig {
  uint64_t max_body_bytes = 1 << 20;     // larger request bodies get 413
  uint64_t max_header_bytes = 16 << 10;  // larger request heads get 431
  int64_t read_timeout_ms = 30'000;      // a request not complete by then gets 408
  int64_t idle_timeout_ms = 60'000;      // keep-alive connections idle this long are closed
  int64_t max_connections = 10'000;
  int64_t io_threads = 0;      // 0: one per core
  int64_t worker_threads = 0;  // 0: twice the cores, at least 4
  std::string tls_cert_file;   // both set: serve HTTPS
  std::string tls_key_file;
  bool access_log = true;
};

// Calls Provisio makes to target applications.
struct OutboundConfig {
  int64_t connect_timeout_ms = 10'000;
  int64_t timeout_ms = 30'000;  // a whole request; a slower target counts as a timeout (retried)
  std::string ca_bundle;        // PEM file of trusted CAs; empty: the system's
  std::string proxy;            // "http://host:port"; empty: the environment's
};

struct ProvisioningConfig {
  int64_t workers = 16;      // accounts worked on at once (each a blocking call)
  int64_t max_attempts = 8;  // then an item is dead-lettered
  // A node that stops working on its leased items (killed, cut off) hands them on after this.
  int64_t lease_seconds = 120;
  // A quarantined application's target is probed after this, doubling up to 10 minutes.
  int64_t quarantine_probe_seconds = 30;
};

struct Config {
  std::string listen_host = "127.0.0.1";
  uint16_t listen_port = 8080;
  std::string data_dir = "./data";
  std::string database;  // empty: sqlite://<data_dir>/provisio.db
  // This node's name in leases and the provisioning log; empty: "<hostname>-<pid>".
  std::string node_name;
  HttpConfig http;
  OutboundConfig outbound;
  ProvisioningConfig provisioning;
  log::Format log_format = log::Format::kText;
  spdlog::level::level_enum log_level = spdlog::level::info;
  // Only from the environment, never from a file or a flag that `ps` could show.
  std::string master_key_base64;  // PROVISIO_MASTER_KEY
  std::string bootstrap_admin_email;
  std::string bootstrap_admin_password;

  std::string DatabaseUrl() const;
  std::string ListenAddress() const;
};

// What the command line said; unset fields leave the lower sources in force.
struct ConfigFlags {
  std::optional<std::string> config_file;
  std::optional<std::string> listen;
  std::optional<std::string> data_dir;
  std::optional<std::string> database;
};

using Getenv = std::function<std::optional<std::string>(const char* name)>;
std::optional<std::string> ProcessEnv(const char* name);

// Reads the file (when given by flag or PROVISIO_CONFIG), then the environment, then the
// flags. Any bad value is an invalid_argument Error naming the key and the source.
Result<Config> LoadConfig(const ConfigFlags& flags, const Getenv& env = ProcessEnv);

// "HOST:PORT" or "[v6]:PORT".
Status ParseListen(std::string_view s, std::string& host, uint16_t& port);

}  // namespace provisio::app
