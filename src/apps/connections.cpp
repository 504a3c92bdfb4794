#include "apps/connections.h"

#include <algorithm>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "apps/auth_kinds.h"
#include "apps/catalog.h"
#include "core/ids.h"

namespace provisio::apps {
namespace {

constexpr size_t kMaxUrlChars = 2048;

// The host of `rest` (what follows "scheme://") is this machine: localhost, [::1] or an
// IPv4 literal 127.x.y.z (not a name that merely starts with "127.").
bool IsLoopback(std::string_view rest) {
  if (rest.starts_with("[::1]")) {
    return rest.size() == 5 || rest[5] == ':' || rest[5] == '/';
  }
  std::string_view host = rest.substr(0, rest.find_first_of(":/?#"));
  if (host == "localhost") return true;
  if (!host.starts_with("127.")) return false;
  int dots = 0;
  for (char c : host) {
    if (c == '.') {
      ++dots;
    } else if (c < '0' || c > '9') {
      return false;
    }
  }
  return dots == 3;
}

Status CheckUrlIn(std::string_view field, std::string_view url,
                  const std::vector<std::string_view>& schemes) {
  size_t sep = url.find("://");
  bool scheme_ok = false;
  if (sep != std::string_view::npos) {
    for (auto s : schemes) scheme_ok = scheme_ok || url.substr(0, sep) == s;
    // Plain http to this machine (an emulator, a test target) for every HTTPS type too.
    bool web = std::find(schemes.begin(), schemes.end(), "https") != schemes.end();
    scheme_ok =
        scheme_ok || (web && url.substr(0, sep) == "http" && IsLoopback(url.substr(sep + 3)));
  }
  bool host_ok = sep != std::string_view::npos && sep + 3 < url.size() && url[sep + 3] != '/';
  bool chars_ok = true;
  for (unsigned char c : url) chars_ok = chars_ok && c > ' ' && c != 0x7f;
  if (scheme_ok && host_ok && chars_ok) return Ok();
  std::string list;
  boost::json::array allowed;
  for (auto s : schemes) {
    list += (list.empty() ? "" : ", ") + std::string(s) + "://";
    allowed.emplace_back(s);
  }
  return Reject(Code::kInvalidValue, "invalid_url",
                std::string(field) + " must be an absolute URL starting with " + list,
                {{"field", field}, {"schemes", std::move(allowed)}});
}

const Template* TemplateFor(std::string_view type) { return FindTemplate(type); }

// Reads the auth object: kind-specific fields, secrets sealed. `previous` (same kind) supplies
// values for omitted fields on update.
struct AuthParts {
  std::string kind;
  boost::json::object fields;
  DecryptedSecrets secrets;
};

Result<AuthParts> ReadAuth(const Input& auth, const Template& t, const AuthParts* previous) {
  std::string kind;
  if (auth.Has("kind")) {
    ASSIGN_OR_RETURN(kind, auth.String("kind", 64));
  } else if (previous) {
    kind = previous->kind;
  } else {
    ASSIGN_OR_RETURN(kind, auth.String("kind", 64));  // missing_field
  }
  const AuthKind* spec = FindAuthKind(kind);
  if (!spec) {
    boost::json::array all;
    for (const AuthKind& k : AuthKinds()) all.emplace_back(k.kind);
    return Reject(Code::kInvalidValue, "unknown_auth_kind", "auth.kind '" + kind + "' is unknown",
                  {{"field", "auth.kind"}, {"allowed", std::move(all)}});
  }
  bool allowed = false;
  for (auto k : t.auth_kinds) allowed = allowed || k == kind;
  if (!allowed) {
    boost::json::array kinds;
    for (auto k : t.auth_kinds) kinds.emplace_back(k);
    return Reject(Code::kInvalidValue, "unsupported_auth_kind",
                  "a " + std::string(t.id) + " connection cannot use auth kind " + kind,
                  {{"field", "auth.kind"}, {"allowed", std::move(kinds)}});
  }
  if (previous && previous->kind != kind) previous = nullptr;  // a new kind starts afresh
  std::vector<std::string_view> names = {"kind"};
  for (const AuthField& f : spec->fields) names.push_back(f.name);
  for (const auto& kv : auth.object()) {
    if (std::find(names.begin(), names.end(), kv.key()) == names.end()) {
      boost::json::array allowed_names;
      for (auto n : names) allowed_names.emplace_back(n);
      return Reject(
          Code::kInvalidArgument, "unknown_field",
          "unknown field 'auth." + std::string(kv.key()) + "' for auth kind " + kind,
          {{"field", "auth." + std::string(kv.key())}, {"allowed", std::move(allowed_names)}});
    }
  }
  AuthParts parts;
  parts.kind = kind;
  for (const AuthField& f : spec->fields) {
    ASSIGN_OR_RETURN(auto value, auth.OptString(f.name, f.max_chars));
    if (!value && previous) {
      if (f.secret) {
        auto it = previous->secrets.find(f.name);
        if (it != previous->secrets.end()) value = it->second;
      } else if (auto it = previous->fields.find(f.name); it != previous->fields.end()) {
        value = std::string(it->value().get_string());
      }
    }
    if (!value) {
      if (!f.required) continue;
      return Reject(Code::kInvalidArgument, "missing_field",
                    "auth." + std::string(f.name) + " is required for auth kind " + kind,
                    {{"field", "auth." + std::string(f.name)}});
    }
    std::string field = "auth." + std::string(f.name);
    if (f.name == "token_url" || f.name == "login_url") {
      RETURN_IF_ERROR(CheckUrl(field, *value, {"https", "http"}));
    }
    if (f.name == "admin_email" && value->find('@') == std::string::npos) {
      return Reject(Code::kInvalidValue, "invalid_value", field + " must be an email address",
                    {{"field", field}});
    }
    if (f.name == "header") {
      for (unsigned char c : *value) {
        if (!std::isalnum(c) && c != '-' && c != '_') {
          return Reject(Code::kInvalidValue, "invalid_value",
                        field + " must be an HTTP header name", {{"field", field}});
        }
      }
    }
    if (f.name == "service_account_json") {
      boost::system::error_code ec;
      auto doc = boost::json::parse(*value, ec);
      if (ec || !doc.is_object()) {
        // Never echo the value: it is a secret.
        return Reject(Code::kInvalidValue, "invalid_value",
                      field + " must be the service account's JSON key file", {{"field", field}});
      }
    }
    if (f.secret) {
      parts.secrets[std::string(f.name)] = std::move(*value);
    } else {
      parts.fields[f.name] = std::move(*value);
    }
  }
  return parts;
}

Result<std::string> ReadSettings(const Input& settings, const Template& t,
                                 const boost::json::object* previous) {
  std::vector<std::string_view> names;
  for (const SettingField& f : t.connection_settings) names.push_back(f.name);
  for (const auto& kv : settings.object()) {
    if (std::find(names.begin(), names.end(), kv.key()) == names.end()) {
      return Reject(Code::kInvalidArgument, "unknown_field",
                    "unknown field 'settings." + std::string(kv.key()) + "' for a " +
                        std::string(t.id) + " connection",
                    {{"field", "settings." + std::string(kv.key())}});
    }
  }
  boost::json::object out = previous ? *previous : boost::json::object{};
  for (const SettingField& f : t.connection_settings) {
    if (settings.IsNull(f.name)) {
      out.erase(f.name);
      continue;
    }
    ASSIGN_OR_RETURN(auto value, settings.OptString(f.name, 1024));
    if (value) out[f.name] = *value;
  }
  for (const SettingField& f : t.connection_settings) {
    if (f.required && !out.contains(f.name)) {
      return Reject(Code::kInvalidArgument, "missing_field",
                    "settings." + std::string(f.name) + " is required for a " + std::string(t.id) +
                        " connection",
                    {{"field", "settings." + std::string(f.name)}});
    }
  }
  return boost::json::serialize(out);
}

Result<std::string> Seal(const DecryptedSecrets& secrets, const security::SecretBox& box,
                         std::string_view id) {
  boost::json::object o;
  for (const auto& [k, v] : secrets) o[k] = v;
  return box.Seal(boost::json::serialize(o), id);
}

Result<std::string> ReadSettingsMember(const Input& body, const Template& t,
                                       const boost::json::object* previous) {
  ASSIGN_OR_RETURN(auto settings, body.OptObject("settings"));
  if (settings) return ReadSettings(*settings, t, previous);
  ASSIGN_OR_RETURN(Input empty, Input::FromValue(boost::json::object{}, "settings"));
  return ReadSettings(empty, t, previous);
}

}  // namespace

Status CheckUrl(std::string_view field, std::string_view url,
                std::initializer_list<std::string_view> schemes) {
  return CheckUrlIn(field, url, std::vector<std::string_view>(schemes));
}

Result<ConnectionRecord> NewConnection(const Input& body, const security::SecretBox& box,
                                       TimePoint now) {
  RETURN_IF_ERROR(body.AllowOnly({"name", "type", "base_url", "auth", "settings"}));
  ConnectionRecord c;
  ASSIGN_OR_RETURN(c.name, body.String("name", kMaxNameChars));
  ASSIGN_OR_RETURN(c.type, body.String("type", 64));
  const Template* t = TemplateFor(c.type);
  if (!t) {
    boost::json::array types;
    for (const Template& tt : Catalog()) types.emplace_back(tt.id);
    return Reject(Code::kInvalidValue, "unknown_connection_type",
                  "type '" + c.type + "' is not in the catalog",
                  {{"field", "type"}, {"allowed", std::move(types)}});
  }
  ASSIGN_OR_RETURN(c.base_url, body.String("base_url", kMaxUrlChars));
  RETURN_IF_ERROR(CheckUrlIn("base_url", c.base_url, t->url_schemes));
  ASSIGN_OR_RETURN(auto auth, body.OptObject("auth"));
  if (!auth) {
    return Reject(Code::kInvalidArgument, "missing_field", "auth is required", {{"field", "auth"}});
  }
  ASSIGN_OR_RETURN(AuthParts parts, ReadAuth(*auth, *t, nullptr));
  ASSIGN_OR_RETURN(c.settings, ReadSettingsMember(body, *t, nullptr));
  c.id = NewUuid();
  c.auth_kind = parts.kind;
  c.auth_fields = boost::json::serialize(parts.fields);
  ASSIGN_OR_RETURN(c.secrets, Seal(parts.secrets, box, c.id));
  c.created = c.updated = now;
  return c;
}

Result<ConnectionRecord> UpdatedConnection(const ConnectionRecord& current, const Input& body,
                                           const security::SecretBox& box, TimePoint now) {
  RETURN_IF_ERROR(body.AllowOnly({"name", "type", "base_url", "auth", "settings"}));
  ConnectionRecord c = current;
  const Template* t = TemplateFor(c.type);
  if (!t) return Error::Internal("connection " + c.id + " has an unknown type");
  ASSIGN_OR_RETURN(auto type, body.OptString("type", 64));
  if (type && *type != c.type) {
    return Reject(Code::kInvalidArgument, "immutable_field",
                  "type cannot change; create a new connection instead", {{"field", "type"}});
  }
  ASSIGN_OR_RETURN(auto name, body.OptString("name", kMaxNameChars));
  if (name) c.name = *name;
  ASSIGN_OR_RETURN(auto base_url, body.OptString("base_url", kMaxUrlChars));
  if (base_url) {
    RETURN_IF_ERROR(CheckUrlIn("base_url", *base_url, t->url_schemes));
    c.base_url = *base_url;
  }
  ASSIGN_OR_RETURN(auto auth, body.OptObject("auth"));
  if (auth) {
    AuthParts previous;
    previous.kind = current.auth_kind;
    auto fields = boost::json::parse(current.auth_fields);
    if (fields.is_object()) previous.fields = fields.get_object();
    ASSIGN_OR_RETURN(previous.secrets, OpenSecrets(current, box));
    ASSIGN_OR_RETURN(AuthParts parts, ReadAuth(*auth, *t, &previous));
    c.auth_kind = parts.kind;
    c.auth_fields = boost::json::serialize(parts.fields);
    ASSIGN_OR_RETURN(c.secrets, Seal(parts.secrets, box, c.id));
  }
  if (body.Has("settings")) {
    auto prev = boost::json::parse(current.settings);
    ASSIGN_OR_RETURN(c.settings,
                     ReadSettingsMember(body, *t, prev.is_object() ? &prev.get_object() : nullptr));
  }
  c.updated = now;
  return c;
}

Result<DecryptedSecrets> OpenSecrets(const ConnectionRecord& connection,
                                     const security::SecretBox& box) {
  DecryptedSecrets out;
  if (connection.secrets.empty()) return out;
  ASSIGN_OR_RETURN(std::string plain, box.Open(connection.secrets, connection.id));
  boost::system::error_code ec;
  auto v = boost::json::parse(plain, ec);
  if (ec || !v.is_object()) return Error::Internal("sealed secrets of a connection are corrupt");
  for (const auto& kv : v.get_object()) {
    if (kv.value().is_string()) out[std::string(kv.key())] = std::string(kv.value().get_string());
  }
  return out;
}

boost::json::object ConnectionJson(const ConnectionRecord& c) {
  boost::json::object o;
  o["id"] = c.id;
  o["name"] = c.name;
  o["type"] = c.type;
  o["base_url"] = c.base_url;
  boost::json::object auth;
  auth["kind"] = c.auth_kind;
  boost::system::error_code ec;
  auto fields = boost::json::parse(c.auth_fields, ec);
  if (!ec && fields.is_object()) {
    for (const auto& kv : fields.get_object()) auth[kv.key()] = kv.value();
  }
  if (const AuthKind* spec = FindAuthKind(c.auth_kind)) {
    for (const AuthField& f : spec->fields) {
      // Which secrets are set is known from the spec alone: every required secret is.
      if (f.secret) auth[f.name] = {{"set", !c.secrets.empty()}};
    }
  }
  o["auth"] = std::move(auth);
  auto settings = boost::json::parse(c.settings, ec);
  o["settings"] = (!ec && settings.is_object()) ? settings : boost::json::object{};
  o["created"] = FormatRfc3339(c.created);
  o["updated"] = FormatRfc3339(c.updated);
  return o;
}

}  // namespace provisio::apps
