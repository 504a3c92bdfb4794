#include "connectors/ldap/ldap_connector.h"

#include <strings.h>

#include <boost/json.hpp>
#include <cctype>

#include "connectors/error_class.h"
#include "core/ids.h"
#include "core/json.h"

namespace provisio::connectors::ldap {
namespace {

constexpr const char* kUserAttrs[] = {
    "*", "entryUUID", "modifyTimestamp", "createTimestamp", "uSNChanged", nullptr};
// An ids-only listing (gone detection): what an account's id is made of, nothing else.
constexpr const char* kIdAttrs[] = {"entryUUID", "objectGUID", nullptr};

constexpr std::string_view kUsnPrefix = "usn:";

bool IsUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = 0;
    if (c == 0) return false;
    if (c >= 0x80) {
      if ((c >> 5) == 6)
        n = 1;
      else if ((c >> 4) == 14)
        n = 2;
      else if ((c >> 3) == 30)
        n = 3;
      else
        return false;
    }
    if (i + n + 1 > s.size()) return false;
    for (size_t k = 1; k <= n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return false;
    }
    i += n + 1;
  }
  return true;
}

bool IsBinaryAttribute(std::string_view name) {
  for (std::string_view b : {"objectGUID", "objectSid", "jpegPhoto", "userCertificate",
                             "thumbnailPhoto", "userPassword", "msExchMailboxGuid"}) {
    if (name.size() == b.size() && strncasecmp(name.data(), b.data(), b.size()) == 0) return true;
  }
  return name.find(";binary") != std::string_view::npos;
}

// Maps a libldap result code to a classified Error.
Error LdapError(int rc, std::string_view what, const char* server_message = nullptr) {
  std::string msg = std::string(what) + ": " + ldap_err2string(rc);
  if (server_message && *server_message) msg += " (" + std::string(server_message) + ")";
  switch (rc) {
    case LDAP_SERVER_DOWN:
    case LDAP_TIMEOUT:
    case LDAP_CONNECT_ERROR:
    case LDAP_BUSY:
    case LDAP_UNAVAILABLE:
    case LDAP_TIMELIMIT_EXCEEDED:
      return ClassifiedError(ErrorClass::kRetryable, std::move(msg));
    case LDAP_INVALID_CREDENTIALS:
    case LDAP_INAPPROPRIATE_AUTH:
    case LDAP_INSUFFICIENT_ACCESS:
    case LDAP_STRONG_AUTH_REQUIRED:
    case LDAP_CONFIDENTIALITY_REQUIRED: {
      Error e = ClassifiedError(ErrorClass::kAuth, std::move(msg));
      return e;
    }
    case LDAP_NO_SUCH_OBJECT:
      return ClassifiedError(ErrorClass::kNotFound, std::move(msg));
    case LDAP_FILTER_ERROR:
    case LDAP_INVALID_DN_SYNTAX:
    case LDAP_UNDEFINED_TYPE:
    case LDAP_INAPPROPRIATE_MATCHING:
      return ClassifiedError(ErrorClass::kInvalid, std::move(msg));
    default:
      return ClassifiedError(ErrorClass::kFatal, std::move(msg));
  }
}

Account EntryToAccount(LDAP* ld, LDAPMessage* entry) {
  Account a;
  boost::json::object& o = a.attributes;
  if (char* dn = ldap_get_dn(ld, entry)) {
    o["dn"] = dn;
    ldap_memfree(dn);
  }
  BerElement* ber = nullptr;
  for (char* attr = ldap_first_attribute(ld, entry, &ber); attr;
       attr = ldap_next_attribute(ld, entry, ber)) {
    std::string name(attr);
    struct berval** vals = ldap_get_values_len(ld, entry, attr);
    ldap_memfree(attr);
    if (!vals) continue;
    boost::json::array values;
    bool binary = IsBinaryAttribute(name);
    bool guid = strcasecmp(name.c_str(), "objectGUID") == 0;
    for (int i = 0; vals[i]; ++i) {
      std::string_view v(vals[i]->bv_val, vals[i]->bv_len);
      if (guid && v.size() == 16) {
        values.emplace_back(GuidString(v));
      } else if (binary || !IsUtf8(v)) {
        values.emplace_back(Base64Encode(v));
      } else {
        values.emplace_back(v);
      }
    }
    ldap_value_free_len(vals);
    if (values.size() == 1) {
      o[name] = std::move(values[0]);
    } else {
      o[name] = std::move(values);
    }
  }
  if (ber) ber_free(ber, 0);
  auto str = [&](std::string_view k) -> std::string {
    for (const auto& [key, v] : o) {
      if (key.size() == k.size() && strncasecmp(key.data(), k.data(), k.size()) == 0 &&
          v.is_string()) {
        return std::string(v.get_string());
      }
    }
    return "";
  };
  // Active Directory's objectGUID where the directory has one (an AD-shaped schema on another
  // server keeps AD's ids), else OpenLDAP's entryUUID.
  a.id = str("objectGUID");
  if (a.id.empty()) a.id = str("entryUUID");
  if (a.id.empty()) a.id = str("dn");
  // Active Directory: ACCOUNTDISABLE (0x2) in userAccountControl.
  if (std::string uac = str("userAccountControl"); !uac.empty()) {
    try {
      o["active"] = (std::stoll(uac) & 0x2) == 0;
    } catch (...) {
    }
  }
  a.etag = str("modifyTimestamp");
  return a;
}

}  // namespace

std::string GuidString(std::string_view b) {
  if (b.size() != 16) return "";
  // Data1 (4 bytes), Data2 and Data3 (2 bytes each) little-endian, then 8 bytes in order.
  static constexpr int kOrder[16] = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    auto c = static_cast<unsigned char>(b[static_cast<size_t>(kOrder[i])]);
    out += kHex[c >> 4];
    out += kHex[c & 0xf];
  }
  return out;
}

std::optional<std::string> GuidBytes(std::string_view text) {
  if (text.size() != 36) return std::nullopt;
  std::string hex;
  for (size_t i = 0; i < text.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (text[i] != '-') return std::nullopt;
      continue;
    }
    if (!std::isxdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
    hex += text[i];
  }
  std::string inorder(16, '\0');
  for (size_t i = 0; i < 16; ++i) {
    inorder[i] = static_cast<char>(std::stoi(hex.substr(i * 2, 2), nullptr, 16));
  }
  static constexpr int kOrder[16] = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};
  std::string out(16, '\0');
  for (size_t i = 0; i < 16; ++i) out[static_cast<size_t>(kOrder[i])] = inorder[i];
  return out;
}

namespace {

bool IsLoopback(std::string_view url) {
  auto p = url.find("://");
  std::string_view host = p == std::string_view::npos ? url : url.substr(p + 3);
  return host.starts_with("127.") || host.starts_with("localhost") || host.starts_with("[::1]");
}

struct Cursor {
  std::string session;
  uint64_t offset = 0;    // entries returned before this page, for a resume on a new connection
  std::string cookie;     // base64 paged-results cookie
  std::string since;      // incremental: modifyTimestamp >= since, or "usn:N": uSNChanged >= N
  bool ids_only = false;  // only the attributes an id is made of (kIdAttrs)
};

std::string EncodeCursor(const Cursor& c) {
  boost::json::object o{{"s", c.session}, {"o", c.offset}, {"c", c.cookie}};
  if (!c.since.empty()) o["t"] = c.since;
  if (c.ids_only) o["i"] = true;
  return Base64Encode(boost::json::serialize(o));
}

Result<Cursor> DecodeCursor(std::string_view text) {
  Cursor c;
  if (text.empty()) return c;
  auto raw = Base64Decode(text);
  if (!raw) return Error::InvalidArgument("ldap: malformed cursor");
  auto v = json::Parse(*raw);
  if (!v.ok() || !v->is_object()) return Error::InvalidArgument("ldap: malformed cursor");
  const auto& o = v->get_object();
  c.session = std::string(json::GetString(o, "s").value_or(""));
  c.offset = static_cast<uint64_t>(json::GetInt(o, "o").value_or(0));
  c.cookie = std::string(json::GetString(o, "c").value_or(""));
  c.since = std::string(json::GetString(o, "t").value_or(""));
  c.ids_only = json::GetBool(o, "i").value_or(false);
  return c;
}

}  // namespace

std::string IncrementalCursor(std::string_view marker) {
  Cursor c;
  c.since = std::string(marker);
  return EncodeCursor(c);
}

std::string IdsOnlyCursor() {
  Cursor c;
  c.ids_only = true;
  return EncodeCursor(c);
}

std::string ChangeMarker(const Account& account) {
  for (const auto& [k, v] : account.attributes) {
    if (strcasecmp(std::string(k).c_str(), "uSNChanged") != 0 || !v.is_string()) continue;
    std::string_view usn = v.get_string();
    if (usn.empty() || usn.size() > 20 ||
        usn.find_first_not_of("0123456789") != std::string_view::npos) {
      break;
    }
    // Zero-padded, so that markers compare as strings do.
    return std::string(kUsnPrefix) + std::string(20 - usn.size(), '0') + std::string(usn);
  }
  auto it = account.attributes.find("modifyTimestamp");
  if (it != account.attributes.end() && it->value().is_string()) {
    return std::string(it->value().get_string());
  }
  return "";
}

LdapConnector::LdapConnector(std::string url, std::string bind_dn, std::string password,
                             LdapSettings settings)
    : url_(std::move(url)),
      bind_dn_(std::move(bind_dn)),
      password_(std::move(password)),
      settings_(std::move(settings)) {}

LdapConnector::~LdapConnector() {
  std::lock_guard lock(mu_);
  Disconnect();
}

void LdapConnector::Disconnect() {
  if (ld_) ldap_unbind_ext_s(ld_, nullptr, nullptr);
  ld_ = nullptr;
  session_id_.clear();
}

Status LdapConnector::Connect() {
  if (ld_) return Ok();
  LDAP* ld = nullptr;
  int rc = ldap_initialize(&ld, url_.c_str());
  if (rc != LDAP_SUCCESS) return LdapError(rc, "ldap: initialize " + url_);
  auto fail = [&](int code, std::string_view what) {
    std::string diag;
    char* m = nullptr;
    if (ldap_get_option(ld, LDAP_OPT_DIAGNOSTIC_MESSAGE, &m) == LDAP_OPT_SUCCESS && m) {
      diag = m;
      ldap_memfree(m);
    }
    ldap_unbind_ext_s(ld, nullptr, nullptr);
    return LdapError(code, what, diag.c_str());
  };
  int version = LDAP_VERSION3;
  ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION, &version);
  ldap_set_option(ld, LDAP_OPT_REFERRALS, LDAP_OPT_OFF);
  struct timeval tv;
  tv.tv_sec = static_cast<time_t>(settings_.timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((settings_.timeout.count() % 1000) * 1000);
  ldap_set_option(ld, LDAP_OPT_NETWORK_TIMEOUT, &tv);
  ldap_set_option(ld, LDAP_OPT_TIMEOUT, &tv);
  if (settings_.insecure_skip_verify) {
    int never = LDAP_OPT_X_TLS_NEVER;
    ldap_set_option(ld, LDAP_OPT_X_TLS_REQUIRE_CERT, &never);
    int zero = 0;
    ldap_set_option(ld, LDAP_OPT_X_TLS_NEWCTX, &zero);
  }
  bool start_tls = url_.starts_with("ldap://") && settings_.start_tls.value_or(!IsLoopback(url_));
  if (start_tls) {
    rc = ldap_start_tls_s(ld, nullptr, nullptr);
    if (rc != LDAP_SUCCESS) return fail(rc, "ldap: StartTLS");
  }
  struct berval cred;
  cred.bv_val = password_.data();
  cred.bv_len = password_.size();
  rc = ldap_sasl_bind_s(ld, bind_dn_.empty() ? nullptr : bind_dn_.c_str(), LDAP_SASL_SIMPLE, &cred,
                        nullptr, nullptr, nullptr);
  if (rc != LDAP_SUCCESS) return fail(rc, "ldap: bind as " + bind_dn_);
  ld_ = ld;
  session_id_ = NewUuid();
  return Ok();
}

Capabilities LdapConnector::capabilities() {
  Capabilities c;
  c.list_users = true;
  c.filter_users = true;
  c.groups = true;
  c.max_page_size = 5000;
  return c;  // read-only: no create, update, disable, delete, membership
}

Status LdapConnector::Test() {
  std::lock_guard lock(mu_);
  RETURN_IF_ERROR(Connect());
  auto base = Search(settings_.base_dn, LDAP_SCOPE_BASE, "(objectClass=*)", 1);
  if (!base.ok()) return std::move(base).error();
  if (base->empty()) return Error::NotFound("ldap: base DN " + settings_.base_dn + " not found");
  return Ok();
}

Result<std::vector<Account>> LdapConnector::Search(const std::string& base, int scope,
                                                   const std::string& filter, int limit) {
  for (int attempt = 0;; ++attempt) {
    RETURN_IF_ERROR(Connect());
    struct timeval tv;
    tv.tv_sec = static_cast<time_t>(settings_.timeout.count() / 1000);
    tv.tv_usec = 0;
    LDAPMessage* res = nullptr;
    int rc =
        ldap_search_ext_s(ld_, base.c_str(), scope, filter.c_str(), const_cast<char**>(kUserAttrs),
                          0, nullptr, nullptr, &tv, limit, &res);
    std::unique_ptr<LDAPMessage, int (*)(LDAPMessage*)> guard(res, ldap_msgfree);
    if (rc == LDAP_SERVER_DOWN && attempt == 0) {
      Disconnect();
      continue;
    }
    if (rc == LDAP_NO_SUCH_OBJECT) return std::vector<Account>{};
    if (rc != LDAP_SUCCESS && rc != LDAP_SIZELIMIT_EXCEEDED) return LdapError(rc, "ldap: search");
    std::vector<Account> out;
    for (LDAPMessage* e = ldap_first_entry(ld_, res); e; e = ldap_next_entry(ld_, e)) {
      out.push_back(EntryToAccount(ld_, e));
    }
    return out;
  }
}

Result<Page<Account>> LdapConnector::List(const std::string& base_filter, const PageRequest& page) {
  ASSIGN_OR_RETURN(Cursor cursor, DecodeCursor(page.cursor));
  std::string filter = base_filter;
  if (cursor.since.starts_with(kUsnPrefix)) {
    std::string usn = cursor.since.substr(kUsnPrefix.size());
    usn.erase(0, std::min(usn.find_first_not_of('0'), usn.size() - 1));
    if (usn.empty() || usn.find_first_not_of("0123456789") != std::string::npos) {
      return Error::InvalidArgument("ldap: malformed change marker " + cursor.since);
    }
    filter = "(&" + base_filter + "(uSNChanged>=" + usn + "))";
  } else if (!cursor.since.empty()) {
    filter = "(&" + base_filter + "(modifyTimestamp>=" + EscapeFilterValue(cursor.since) + "))";
  }
  const char* const* attrs = cursor.ids_only ? kIdAttrs : kUserAttrs;
  size_t size = std::min(std::max<size_t>(1, page.page_size), settings_.page_size);
  std::lock_guard lock(mu_);
  RETURN_IF_ERROR(Connect());
  // A cookie is valid only on the connection that made it. On a new connection (a restart,
  // a reconnect) the listing starts over and skips the entries already returned: directory
  // order is stable while the entries do not change, and the importer's hashes absorb the rest.
  uint64_t skip = 0;
  std::string cookie;
  if (!cursor.cookie.empty() || cursor.offset > 0) {
    if (cursor.session == session_id_) {
      cookie = Base64Decode(cursor.cookie).value_or("");
    } else {
      skip = cursor.offset;
    }
  }
  Page<Account> out;
  uint64_t offset = cursor.offset - skip;
  for (int attempt = 0;;) {
    struct berval ck;
    ck.bv_val = cookie.data();
    ck.bv_len = cookie.size();
    LDAPControl* control = nullptr;
    int rc = ldap_create_page_control(ld_, static_cast<ber_int_t>(size),
                                      cookie.empty() ? nullptr : &ck, 1, &control);
    if (rc != LDAP_SUCCESS) return LdapError(rc, "ldap: paged results control");
    LDAPControl* controls[] = {control, nullptr};
    struct timeval tv;
    tv.tv_sec = static_cast<time_t>(settings_.timeout.count() / 1000);
    tv.tv_usec = 0;
    LDAPMessage* res = nullptr;
    rc = ldap_search_ext_s(ld_, settings_.base_dn.c_str(), LDAP_SCOPE_SUBTREE, filter.c_str(),
                           const_cast<char**>(attrs), 0, controls, nullptr, &tv, 0, &res);
    ldap_control_free(control);
    std::unique_ptr<LDAPMessage, int (*)(LDAPMessage*)> guard(res, ldap_msgfree);
    if (rc == LDAP_SERVER_DOWN && attempt++ == 0) {
      // Reconnect and start over, skipping what was returned.
      Disconnect();
      RETURN_IF_ERROR(Connect());
      skip = offset;
      offset = 0;
      cookie.clear();
      continue;
    }
    if (rc == LDAP_NO_SUCH_OBJECT) return out;
    if (rc != LDAP_SUCCESS) return LdapError(rc, "ldap: paged search");
    int result = LDAP_SUCCESS;
    char* message = nullptr;
    LDAPControl** server_controls = nullptr;
    rc = ldap_parse_result(ld_, res, &result, nullptr, &message, nullptr, &server_controls, 0);
    std::string diag = message ? message : "";
    if (message) ldap_memfree(message);
    if (rc != LDAP_SUCCESS || result != LDAP_SUCCESS) {
      if (server_controls) ldap_controls_free(server_controls);
      return LdapError(rc != LDAP_SUCCESS ? rc : result, "ldap: paged search", diag.c_str());
    }
    std::string next_cookie;
    if (LDAPControl* pc = ldap_control_find(LDAP_CONTROL_PAGEDRESULTS, server_controls, nullptr)) {
      ber_int_t estimate = 0;
      struct berval next {};
      if (ldap_parse_pageresponse_control(ld_, pc, &estimate, &next) == LDAP_SUCCESS) {
        next_cookie.assign(next.bv_val ? next.bv_val : "", next.bv_len);
        if (next.bv_val) ber_memfree(next.bv_val);
        if (estimate > 0) out.total = static_cast<uint64_t>(estimate);
      }
    }
    if (server_controls) ldap_controls_free(server_controls);
    for (LDAPMessage* e = ldap_first_entry(ld_, res); e; e = ldap_next_entry(ld_, e)) {
      if (skip > 0) {
        --skip;
        ++offset;
        continue;
      }
      out.items.push_back(EntryToAccount(ld_, e));
    }
    offset += out.items.size();
    cookie = next_cookie;
    // Still skipping (a resume): read on until the first new entry.
    if (out.items.empty() && !cookie.empty()) continue;
    break;
  }
  if (!cookie.empty()) {
    Cursor next;
    next.session = session_id_;
    next.offset = offset;
    next.cookie = Base64Encode(cookie);
    next.since = cursor.since;
    next.ids_only = cursor.ids_only;
    out.next_cursor = EncodeCursor(next);
  }
  return out;
}

Result<Page<Account>> LdapConnector::ListUsers(const PageRequest& page) {
  return List(settings_.user_filter, page);
}

Result<Page<Account>> LdapConnector::ListGroups(const PageRequest& page) {
  return List(settings_.group_filter, page);
}

std::string LdapConnector::IdFilter(std::string_view id) const {
  if (id.find('=') != std::string_view::npos) return "";  // a DN: read it as the base
  // An AD objectGUID (as GuidString writes it, or base64 of its 16 bytes) or an entryUUID;
  // the two look alike, so a GUID-shaped id is looked up as either.
  if (id.size() == 24 && id.back() == '=') {
    if (auto raw = Base64Decode(id); raw && raw->size() == 16) {
      return "(objectGUID=" + EscapeFilterBytes(*raw) + ")";
    }
  }
  if (auto raw = GuidBytes(id)) {
    return "(|(entryUUID=" + EscapeFilterValue(id) + ")(objectGUID=" + EscapeFilterBytes(*raw) +
           "))";
  }
  return "(entryUUID=" + EscapeFilterValue(id) + ")";
}

Result<std::optional<Account>> LdapConnector::FindOne(const std::string& filter) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(auto found, Search(settings_.base_dn, LDAP_SCOPE_SUBTREE, filter, 2));
  if (found.size() > 1) return Error::Conflict("ldap: several entries match " + filter);
  if (found.empty()) return std::optional<Account>();
  return std::optional<Account>(std::move(found.front()));
}

Result<Account> LdapConnector::GetUser(std::string_view id) {
  std::string f = IdFilter(id);
  std::optional<Account> found;
  if (f.empty()) {
    std::lock_guard lock(mu_);
    ASSIGN_OR_RETURN(auto list, Search(std::string(id), LDAP_SCOPE_BASE, settings_.user_filter, 1));
    if (!list.empty()) found = std::move(list.front());
  } else {
    ASSIGN_OR_RETURN(found, FindOne("(&" + settings_.user_filter + f + ")"));
  }
  if (!found) return ClassifiedError(ErrorClass::kNotFound, "ldap: no user " + std::string(id));
  return std::move(*found);
}

Result<std::optional<Account>> LdapConnector::FindUser(std::string_view attribute,
                                                       std::string_view value) {
  for (char c : attribute) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != ';') {
      return Error::InvalidArgument("ldap: bad attribute name " + std::string(attribute));
    }
  }
  return FindOne("(&" + settings_.user_filter + "(" + std::string(attribute) + "=" +
                 EscapeFilterValue(value) + "))");
}

Result<Account> LdapConnector::GetGroup(std::string_view id) {
  std::string f = IdFilter(id);
  std::optional<Account> found;
  if (f.empty()) {
    std::lock_guard lock(mu_);
    ASSIGN_OR_RETURN(auto list,
                     Search(std::string(id), LDAP_SCOPE_BASE, settings_.group_filter, 1));
    if (!list.empty()) found = std::move(list.front());
  } else {
    ASSIGN_OR_RETURN(found, FindOne("(&" + settings_.group_filter + f + ")"));
  }
  if (!found) return ClassifiedError(ErrorClass::kNotFound, "ldap: no group " + std::string(id));
  return std::move(*found);
}

Result<std::optional<Account>> LdapConnector::FindGroup(std::string_view attribute,
                                                        std::string_view value) {
  return FindOne("(&" + settings_.group_filter + "(" + std::string(attribute) + "=" +
                 EscapeFilterValue(value) + "))");
}

namespace {
Error ReadOnly() {
  return Error(Code::kNotImplemented, "the LDAP connector is read-only (an import source)");
}
}  // namespace

Result<Account> LdapConnector::CreateUser(const boost::json::object&) { return ReadOnly(); }
Result<Account> LdapConnector::ReplaceUser(std::string_view, const boost::json::object&) {
  return ReadOnly();
}
Result<Account> LdapConnector::PatchUser(std::string_view, const boost::json::object&,
                                         const boost::json::object&) {
  return ReadOnly();
}
Status LdapConnector::DisableUser(std::string_view) { return ReadOnly(); }
Status LdapConnector::DeleteUser(std::string_view) { return ReadOnly(); }
Result<Account> LdapConnector::CreateGroup(const boost::json::object&) { return ReadOnly(); }
Result<Account> LdapConnector::UpdateGroup(std::string_view, const boost::json::object&,
                                           const boost::json::object&) {
  return ReadOnly();
}
Status LdapConnector::DeleteGroup(std::string_view) { return ReadOnly(); }
Status LdapConnector::AddMembers(std::string_view, std::span<const std::string>) {
  return ReadOnly();
}
Status LdapConnector::RemoveMembers(std::string_view, std::span<const std::string>) {
  return ReadOnly();
}

Result<std::unique_ptr<Connector>> OpenLdapConnector(const ConnectorConfig& config,
                                                     const ConnectorEnv&) {
  if (!config.base_url.starts_with("ldap://") && !config.base_url.starts_with("ldaps://")) {
    return Error::InvalidArgument("base_url: an ldap:// or ldaps:// URL is required");
  }
  ASSIGN_OR_RETURN(LdapSettings settings, ParseLdapSettings(config.settings));
  std::string kind(json::GetString(config.auth, "kind").value_or("basic"));
  if (kind != "basic") return Error::InvalidArgument("auth.kind: ldap connections use \"basic\"");
  std::string dn(json::GetString(config.auth, "username").value_or(""));
  std::string password(json::GetString(config.auth, "password").value_or(""));
  return std::unique_ptr<Connector>(std::make_unique<LdapConnector>(
      config.base_url, std::move(dn), std::move(password), std::move(settings)));
}

}  // namespace provisio::connectors::ldap
