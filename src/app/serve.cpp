#include "app/serve.h"

#include <pthread.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "api/routes.h"
#include "app/data_dir_lock.h"
#include "app/master_key.h"
#include "app/static_files.h"
#include "apps/key_rotation.h"
#include "connectors/registry.h"
#include "directory/admin_accounts.h"
#include "directory/directory.h"
#include "http/client.h"
#include "http/response.h"
#include "http/router.h"
#include "http/server.h"
#include "importsync/importer.h"
#include "provisioning/engine.h"
#include "scim/schema.h"
#include "scimserver/scim_server.h"
#include "security/redact.h"
#include "security/secret_box.h"
#include "store/store.h"

namespace provisio::app {
namespace {

namespace fs = std::filesystem;

std::string NodeName(const Config& config) {
  if (!config.node_name.empty()) return config.node_name;
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) std::snprintf(host, sizeof host, "node");
  return std::string(host) + "-" + std::to_string(::getpid());
}

struct Runtime {
  std::unique_ptr<store::Store> store;
  std::atomic<bool> ready{false};
};

void AddOperationalRoutes(http::Router& router, Runtime& rt, http::Server*& server_ref) {
  http::RouteOptions cheap;
  cheap.inline_io = true;
  router.Add(
      "GET", "/healthz",
      [](http::Request&) {
        return http::Response::Json(200, boost::json::object{{"status", "ok"}});
      },
      cheap);
  router.Add("GET", "/readyz", [&rt](http::Request&) {
    if (!rt.ready.load()) {
      return http::Response::Json(503, boost::json::object{{"status", "starting"}});
    }
    auto v = rt.store->SchemaVersion();
    if (!v.ok()) {
      return http::Response::Json(503, boost::json::object{{"status", "store_unavailable"},
                                                           {"message", v.error().message()}});
    }
    return http::Response::Json(
        200, boost::json::object{{"status", "ready"},
                                 {"schema_version", *v},
                                 {"database", std::string(rt.store->backend())}});
  });
  router.Add("GET", "/metrics", [&server_ref](http::Request&) {
    return http::Response::Text(200, server_ref->metrics().RenderPrometheus(),
                                "text/plain; version=0.0.4; charset=utf-8");
  });
}

}  // namespace

int RunServe(const Config& config) {
  // Signals are taken synchronously by this thread (sigwait), so every thread started from
  // here on inherits them blocked.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  std::error_code ec;
  fs::create_directories(config.data_dir, ec);
  if (ec) {
    spdlog::critical("cannot create data dir {}: {}", config.data_dir, ec.message());
    return 1;
  }
  ::chmod(config.data_dir.c_str(), 0700);
  // Held while serving: `provisio rotate-master-key` refuses to run meanwhile, and a server
  // does not start while a rotation runs.
  auto lock = DataDirLock::Shared(config.data_dir);
  if (!lock.ok()) {
    spdlog::critical("{}", lock.error().message());
    return 1;
  }

  auto key = LoadMasterKey(config, /*create_if_missing=*/true);
  if (!key.ok()) {
    spdlog::critical("master key: {}", key.error().message());
    return 1;
  }

  Runtime rt;
  auto store = store::OpenStore(config.DatabaseUrl());
  if (!store.ok()) {
    spdlog::critical("store {}: {}", config.DatabaseUrl(), store.error().ToString());
    return 1;
  }
  rt.store = std::move(store).value();
  SystemClock clock;
  if (!config.bootstrap_admin_email.empty()) {
    auto created = directory::BootstrapSuperAdmin(*rt.store, clock, config.bootstrap_admin_email,
                                                  config.bootstrap_admin_password);
    if (!created.ok() && created.error().code() != Code::kUniqueness) {
      spdlog::critical("{}", created.error().message());
      return 1;
    }  // kUniqueness: another node starting beside this one created it first
    if (created.ok() && *created)
      spdlog::info("created the first Super Admin {}", config.bootstrap_admin_email);
  }

  http::ServerOptions options;
  options.host = config.listen_host;
  options.port = config.listen_port;
  options.io_threads = static_cast<size_t>(config.http.io_threads);
  options.worker_threads = static_cast<size_t>(config.http.worker_threads);
  options.max_body_bytes = config.http.max_body_bytes;
  options.max_header_bytes = config.http.max_header_bytes;
  options.read_timeout = std::chrono::milliseconds(config.http.read_timeout_ms);
  options.idle_timeout = std::chrono::milliseconds(config.http.idle_timeout_ms);
  options.max_connections = static_cast<size_t>(config.http.max_connections);
  options.tls_cert_file = config.http.tls_cert_file;
  options.tls_key_file = config.http.tls_key_file;
  options.access_log = config.http.access_log;

  http::Server* server_ref = nullptr;
  http::Router router;
  AddOperationalRoutes(router, rt, server_ref);

  // The admin REST API under /api/v1. Connection testers join once connectors exist.
  security::SecretBox secrets(std::move(key).value());
  if (auto st = apps::CheckMasterKey(*rt.store, secrets); !st.ok()) {
    spdlog::critical("master key: {}", st.error().message());
    return 1;
  }

  // The inbound SCIM 2.0 service provider over the portal directory.
  scim::SchemaRegistry registry = scim::SchemaRegistry::WithCoreSchemas();
  directory::Directory directory(*rt.store, registry, clock);
  scimserver::ScimServerDeps scim_deps{directory, *rt.store, registry, clock, {}};
  scimserver::RegisterScimRoutes(router, scim_deps);

  // Outbound: one HTTP client for every connector, and the provisioning engine.
  http::ClientOptions client_options;
  client_options.is_secret_name = security::IsSecretName;
  client_options.connect_timeout = std::chrono::milliseconds(config.outbound.connect_timeout_ms);
  client_options.timeout = std::chrono::milliseconds(config.outbound.timeout_ms);
  client_options.ca_bundle = config.outbound.ca_bundle;
  if (!config.outbound.proxy.empty()) client_options.proxy = config.outbound.proxy;
  http::Client http_client(client_options);
  provisioning::EngineOptions engine_options;
  engine_options.workers = static_cast<int>(config.provisioning.workers);
  engine_options.max_attempts = static_cast<int>(config.provisioning.max_attempts);
  engine_options.lease = std::chrono::seconds(config.provisioning.lease_seconds);
  engine_options.quarantine_probe =
      std::chrono::seconds(config.provisioning.quarantine_probe_seconds);
  engine_options.node_id = NodeName(config);
  spdlog::info("node {} on the {} store", engine_options.node_id, rt.store->backend());
  provisioning::Engine engine(*rt.store, directory, secrets, http_client, clock, engine_options);
  // Import runs read through the engine's connectors (secrets decrypted there, cached), on the
  // application's rate limit; a read waits up to a minute for its turn.
  importsync::Importer importer(
      *rt.store, directory,
      [&engine](const store::ApplicationRow& app, const store::ConnectionRow& c) {
        return engine.ImportConnectorFor(app, c, std::chrono::minutes(1));
      },
      clock);

  // The admin REST API under /api/v1; a connection test opens the connector and calls Test().
  api::ApiDeps api_deps{*rt.store, clock, secrets};
  api_deps.engine = &engine;
  api_deps.importer = &importer;
  for (std::string_view type : connectors::ConnectorTypes()) {
    api_deps.testers[std::string(type)] =
        [&engine](const apps::ConnectionRecord& c,
                  const apps::DecryptedSecrets&) -> Result<apps::TestResult> {
      auto connector = engine.ConnectorFor(c);
      if (!connector.ok()) return apps::TestResult{false, connector.error().message()};
      auto st = (*connector)->Test();
      if (!st.ok()) return apps::TestResult{false, st.error().message()};
      return apps::TestResult{true, "connected"};
    };
  }
  api::RegisterApiRoutes(router, api_deps);
  // The admin console (web/dist) at "/", last: literal routes (/api, /scim, /healthz) win.
  fs::path web_root = FindWebRoot();
  spdlog::info("admin console from {}", web_root.string());
  router.Add("GET", "/{path*}", StaticFilesHandler(web_root));
  http::Server server(options, std::move(router));
  server_ref = &server;
  auto port = server.Start();
  if (!port.ok()) {
    spdlog::critical("cannot listen on {}: {}", config.ListenAddress(), port.error().message());
    return 1;
  }
  engine.Start();
  importer.Start();
  rt.ready = true;
  std::string scheme = config.http.tls_cert_file.empty() ? "http" : "https";
  std::string host = config.listen_host.find(':') != std::string::npos
                         ? "[" + config.listen_host + "]"
                         : config.listen_host;
  std::cout << "listening on " << scheme << "://" << host << ":" << *port << std::endl;
  spdlog::info("provisio serving {} on {}://{}:{}", config.DatabaseUrl(), scheme, host, *port);

  int sig = 0;
  sigwait(&signals, &sig);
  spdlog::info("received {}, shutting down", sig == SIGTERM ? "SIGTERM" : "SIGINT");
  rt.ready = false;
  server.Stop();
  importer.Stop();
  engine.Stop();
  spdlog::info("stopped");
  return 0;
}

}  // namespace provisio::app
