#include "app/config.h"

#include <toml++/toml.h>
#include <charconv>
#include <cstdlib>

namespace provisio::app {
namespace {

Error Bad(std::string_view source, std::string_view key, std::string_view why) {
  return Error(Code::kInvalidArgument,
               std::string(source) + ": " + std::string(key) + ": " + std::string(why),
               {{"key", std::string(key)}, {"source", std::string(source)}});
}

// Reads an integer `key` from a table into `out`, checking the range.
Status ReadInt(const toml::table& t, std::string_view source, std::string_view prefix,
               std::string_view key, int64_t lo, int64_t hi, int64_t& out) {
  const toml::node* n = t.get(key);
  if (!n) return Ok();
  std::string full = std::string(prefix) + std::string(key);
  auto v = n->value<int64_t>();
  if (!n->is_integer() || !v) return Bad(source, full, "must be an integer");
  if (*v < lo || *v > hi) {
    return Bad(source, full,
               "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
  }
  out = *v;
  return Ok();
}

Status ReadString(const toml::table& t, std::string_view source, std::string_view prefix,
                  std::string_view key, std::string& out) {
  const toml::node* n = t.get(key);
  if (!n) return Ok();
  if (!n->is_string())
    return Bad(source, std::string(prefix) + std::string(key), "must be a string");
  out = *n->value<std::string>();
  return Ok();
}

Status CheckKeys(const toml::table& t, std::string_view source, std::string_view prefix,
                 std::initializer_list<std::string_view> known) {
  for (const auto& [k, v] : t) {
    bool ok = false;
    for (auto name : known) ok = ok || k.str() == name;
    if (!ok) return Bad(source, std::string(prefix) + std::string(k.str()), "unknown setting");
  }
  return Ok();
}

Status ApplyFile(const std::string& path, Config& c) {
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    return Error(Code::kInvalidArgument, path + ":" + std::to_string(where.line) + ":" +
                                             std::to_string(where.column) + ": " +
                                             std::string(e.description()));
  }
  const std::string& src = path;
  RETURN_IF_ERROR(CheckKeys(
      root, src, "",
      {"listen", "data_dir", "database", "node_name", "log", "http", "outbound", "provisioning"}));
  if (const toml::node* n = root.get("outbound")) {
    if (!n->is_table()) return Bad(src, "outbound", "must be a table");
    const toml::table& t = *n->as_table();
    RETURN_IF_ERROR(
        CheckKeys(t, src, "outbound.", {"connect_timeout_ms", "timeout_ms", "ca_bundle", "proxy"}));
    OutboundConfig& o = c.outbound;
    RETURN_IF_ERROR(
        ReadInt(t, src, "outbound.", "connect_timeout_ms", 1, 600'000, o.connect_timeout_ms));
    RETURN_IF_ERROR(ReadInt(t, src, "outbound.", "timeout_ms", 1, 3'600'000, o.timeout_ms));
    RETURN_IF_ERROR(ReadString(t, src, "outbound.", "ca_bundle", o.ca_bundle));
    RETURN_IF_ERROR(ReadString(t, src, "outbound.", "proxy", o.proxy));
  }
  if (const toml::node* n = root.get("provisioning")) {
    if (!n->is_table()) return Bad(src, "provisioning", "must be a table");
    const toml::table& t = *n->as_table();
    RETURN_IF_ERROR(
        CheckKeys(t, src, "provisioning.",
                  {"workers", "max_attempts", "lease_seconds", "quarantine_probe_seconds"}));
    RETURN_IF_ERROR(ReadInt(t, src, "provisioning.", "quarantine_probe_seconds", 1, 3'600,
                            c.provisioning.quarantine_probe_seconds));
    RETURN_IF_ERROR(
        ReadInt(t, src, "provisioning.", "lease_seconds", 5, 86'400, c.provisioning.lease_seconds));
    RETURN_IF_ERROR(ReadInt(t, src, "provisioning.", "workers", 1, 512, c.provisioning.workers));
    RETURN_IF_ERROR(
        ReadInt(t, src, "provisioning.", "max_attempts", 1, 100, c.provisioning.max_attempts));
  }
  std::string listen;
  RETURN_IF_ERROR(ReadString(root, src, "", "listen", listen));
  if (!listen.empty()) {
    auto st = ParseListen(listen, c.listen_host, c.listen_port);
    if (!st.ok()) return Bad(src, "listen", st.error().message());
  }
  RETURN_IF_ERROR(ReadString(root, src, "", "data_dir", c.data_dir));
  RETURN_IF_ERROR(ReadString(root, src, "", "database", c.database));
  RETURN_IF_ERROR(ReadString(root, src, "", "node_name", c.node_name));
  if (const toml::node* n = root.get("log")) {
    if (!n->is_table()) return Bad(src, "log", "must be a table");
    const toml::table& t = *n->as_table();
    RETURN_IF_ERROR(CheckKeys(t, src, "log.", {"format", "level"}));
    std::string format, level;
    RETURN_IF_ERROR(ReadString(t, src, "log.", "format", format));
    RETURN_IF_ERROR(ReadString(t, src, "log.", "level", level));
    if (!format.empty() && !log::ParseFormat(format, c.log_format)) {
      return Bad(src, "log.format", "must be \"text\" or \"json\"");
    }
    if (!level.empty() && !log::ParseLevel(level, c.log_level)) {
      return Bad(src, "log.level", "must be one of trace, debug, info, warn, error, critical, off");
    }
  }
  if (const toml::node* n = root.get("http")) {
    if (!n->is_table()) return Bad(src, "http", "must be a table");
    const toml::table& t = *n->as_table();
    RETURN_IF_ERROR(CheckKeys(t, src, "http.",
                              {"max_body_bytes", "max_header_bytes", "read_timeout_ms",
                               "idle_timeout_ms", "max_connections", "io_threads", "worker_threads",
                               "tls_cert_file", "tls_key_file", "access_log"}));
    HttpConfig& h = c.http;
    int64_t v;
    v = static_cast<int64_t>(h.max_body_bytes);
    RETURN_IF_ERROR(ReadInt(t, src, "http.", "max_body_bytes", 1, int64_t{1} << 32, v));
    h.max_body_bytes = static_cast<uint64_t>(v);
    v = static_cast<int64_t>(h.max_header_bytes);
    RETURN_IF_ERROR(ReadInt(t, src, "http.", "max_header_bytes", 1024, 1 << 20, v));
    h.max_header_bytes = static_cast<uint64_t>(v);
    RETURN_IF_ERROR(ReadInt(t, src, "http.", "read_timeout_ms", 1, 3'600'000, h.read_timeout_ms));
    RETURN_IF_ERROR(ReadInt(t, src, "http.", "idle_timeout_ms", 1, 3'600'000, h.idle_timeout_ms));
    RETURN_IF_ERROR(ReadInt(t, src, "http.", "max_connections", 1, 1'000'000, h.max_connections));
    RETURN_IF_ERROR(ReadInt(t, src, "http.", "io_threads", 0, 256, h.io_threads));
    RETURN_IF_ERROR(ReadInt(t, src, "http.", "worker_threads", 0, 1024, h.worker_threads));
    RETURN_IF_ERROR(ReadString(t, src, "http.", "tls_cert_file", h.tls_cert_file));
    RETURN_IF_ERROR(ReadString(t, src, "http.", "tls_key_file", h.tls_key_file));
    if (const toml::node* al = t.get("access_log")) {
      if (!al->is_boolean()) return Bad(src, "http.access_log", "must be true or false");
      h.access_log = *al->value<bool>();
    }
  }
  return Ok();
}

}  // namespace

std::optional<std::string> ProcessEnv(const char* name) {
  const char* v = std::getenv(name);
  if (!v) return std::nullopt;
  return std::string(v);
}

std::string Config::DatabaseUrl() const {
  if (!database.empty()) return database;
  std::string dir = data_dir;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  return "sqlite://" + dir + "/provisio.db";
}

std::string Config::ListenAddress() const {
  bool v6 = listen_host.find(':') != std::string::npos;
  return (v6 ? "[" + listen_host + "]" : listen_host) + ":" + std::to_string(listen_port);
}

Status ParseListen(std::string_view s, std::string& host, uint16_t& port) {
  size_t colon = s.rfind(':');
  if (colon == std::string_view::npos || colon + 1 >= s.size()) {
    return Error::InvalidArgument("expected HOST:PORT, got '" + std::string(s) + "'");
  }
  std::string_view h = s.substr(0, colon), p = s.substr(colon + 1);
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  if (h.empty())
    return Error::InvalidArgument("listen address '" + std::string(s) + "' has no host");
  unsigned value = 0;
  auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), value);
  if (ec != std::errc() || ptr != p.data() + p.size() || value > 65535) {
    return Error::InvalidArgument("port in '" + std::string(s) + "' must be 0..65535");
  }
  host = std::string(h);
  port = static_cast<uint16_t>(value);
  return Ok();
}

Result<Config> LoadConfig(const ConfigFlags& flags, const Getenv& env) {
  Config c;
  std::optional<std::string> file = flags.config_file ? flags.config_file : env("PROVISIO_CONFIG");
  if (file && !file->empty()) RETURN_IF_ERROR(ApplyFile(*file, c));

  if (auto v = env("PROVISIO_LISTEN")) {
    auto st = ParseListen(*v, c.listen_host, c.listen_port);
    if (!st.ok()) return Bad("environment", "PROVISIO_LISTEN", st.error().message());
  }
  if (auto v = env("PROVISIO_DATA_DIR")) c.data_dir = *v;
  if (auto v = env("PROVISIO_DATABASE")) c.database = *v;
  if (auto v = env("PROVISIO_NODE_NAME")) c.node_name = *v;
  if (auto v = env("PROVISIO_LOG_FORMAT"); v && !log::ParseFormat(*v, c.log_format)) {
    return Bad("environment", "PROVISIO_LOG_FORMAT", "must be \"text\" or \"json\"");
  }
  if (auto v = env("PROVISIO_LOG_LEVEL"); v && !log::ParseLevel(*v, c.log_level)) {
    return Bad("environment", "PROVISIO_LOG_LEVEL",
               "must be one of trace, debug, info, warn, error, critical, off");
  }
  if (auto v = env("PROVISIO_MASTER_KEY")) c.master_key_base64 = *v;
  if (auto v = env("PROVISIO_BOOTSTRAP_ADMIN_EMAIL")) c.bootstrap_admin_email = *v;
  if (auto v = env("PROVISIO_BOOTSTRAP_ADMIN_PASSWORD")) c.bootstrap_admin_password = *v;

  if (flags.listen) {
    auto st = ParseListen(*flags.listen, c.listen_host, c.listen_port);
    if (!st.ok()) return Bad("flag", "--listen", st.error().message());
  }
  if (flags.data_dir) c.data_dir = *flags.data_dir;
  if (flags.database) c.database = *flags.database;

  if (c.data_dir.empty()) return Bad("config", "data_dir", "must not be empty");
  if (c.http.tls_cert_file.empty() != c.http.tls_key_file.empty()) {
    return Bad("config", "http.tls_cert_file",
               "tls_cert_file and tls_key_file must be set together");
  }
  if (c.bootstrap_admin_email.empty() != c.bootstrap_admin_password.empty()) {
    return Bad("environment", "PROVISIO_BOOTSTRAP_ADMIN_EMAIL",
               "PROVISIO_BOOTSTRAP_ADMIN_EMAIL and PROVISIO_BOOTSTRAP_ADMIN_PASSWORD go together");
  }
  return c;
}

}  // namespace provisio::app
