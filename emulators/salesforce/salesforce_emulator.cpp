#include "emulators/salesforce/salesforce_emulator.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <charconv>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <variant>

#include "core/clock.h"
#include "core/ids.h"
#include "core/json.h"
#include "emulators/salesforce/soql.h"

namespace provisio::emulators {
namespace {

using boost::json::array;
using boost::json::object;
using boost::json::value;
using http::Request;
using http::Response;

constexpr std::string_view kDataPrefix = "/services/data/";
constexpr std::string_view kBase62 =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr size_t kCollectionMax = 200;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IEquals(std::string_view a, std::string_view b) { return Lower(a) == Lower(b); }

// ---- Salesforce's error shapes -------------------------------------------------------------

object ErrorItem(std::string_view code, std::string_view message,
                 const std::vector<std::string>& fields = {}) {
  array f;
  for (const auto& name : fields) f.push_back(value(name));
  return object{{"message", message}, {"errorCode", code}, {"fields", std::move(f)}};
}

Response SfError(int status, std::string_view code, std::string_view message,
                 const std::vector<std::string>& fields = {}) {
  return Response::Json(status, array{ErrorItem(code, message, fields)});
}

Response OAuthError(int status, std::string_view error, std::string_view description) {
  return Response::Json(status, object{{"error", error}, {"error_description", description}});
}

// A validation failure: one error item, the HTTP status it goes with.
struct Failure {
  int status = 400;
  object item;
};

Failure Fail(std::string_view code, std::string_view message,
             const std::vector<std::string>& fields = {}) {
  return {400, ErrorItem(code, message, fields)};
}

// ---- Base64url, forms ----------------------------------------------------------------------

std::optional<std::string> Base64UrlDecode(std::string_view in) {
  std::string s(in);
  for (char& c : s) {
    if (c == '-')
      c = '+';
    else if (c == '_')
      c = '/';
  }
  size_t pad = (4 - s.size() % 4) % 4;
  if (pad == 3) return std::nullopt;
  s.append(pad, '=');
  std::string out(s.size() / 4 * 3, '\0');
  int n =
      EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(s.data()), static_cast<int>(s.size()));
  if (n < 0) return std::nullopt;
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}

std::optional<std::string> Base64Decode(std::string_view s) {
  std::string out(s.size() / 4 * 3 + 3, '\0');
  int n =
      EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(s.data()), static_cast<int>(s.size()));
  if (n < 0 || s.size() % 4 != 0) return std::nullopt;
  size_t pad = 0;
  if (s.ends_with("=="))
    pad = 2;
  else if (s.ends_with("="))
    pad = 1;
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size()) {
      int v = 0;
      auto [p, ec] = std::from_chars(s.data() + i + 1, s.data() + i + 3, v, 16);
      if (ec == std::errc() && p == s.data() + i + 3) {
        out += static_cast<char>(v);
        i += 2;
      } else {
        out += s[i];
      }
    } else {
      out += s[i];
    }
  }
  return out;
}

std::map<std::string, std::string> ParseForm(std::string_view body) {
  std::map<std::string, std::string> out;
  while (!body.empty()) {
    auto amp = body.find('&');
    std::string_view pair = body.substr(0, amp);
    auto eq = pair.find('=');
    out[PercentDecode(pair.substr(0, eq))] =
        eq == std::string_view::npos ? "" : PercentDecode(pair.substr(eq + 1));
    if (amp == std::string_view::npos) break;
    body.remove_prefix(amp + 1);
  }
  return out;
}

// ---- JWT bearer assertions (RS256) ---------------------------------------------------------

struct PkeyDeleter {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

// A PEM public key ("BEGIN PUBLIC KEY") or certificate (what Salesforce's connected app holds).
Pkey LoadPublicKey(const std::string& pem) {
  if (pem.empty()) return nullptr;
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* key = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (key != nullptr) return Pkey(key);
  bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (cert == nullptr) return nullptr;
  key = X509_get_pubkey(cert);
  X509_free(cert);
  return Pkey(key);
}

bool VerifyRs256(EVP_PKEY* key, std::string_view signed_part, std::string_view signature) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok =
      EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
      EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(signature.data()),
                       signature.size(), reinterpret_cast<const unsigned char*>(signed_part.data()),
                       signed_part.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

// ---- Ids -----------------------------------------------------------------------------------

std::string Id15(std::string_view prefix, uint64_t n) {
  std::string digits(10, '0');
  for (size_t i = digits.size(); i-- > 0 && n > 0; n /= 62) digits[i] = kBase62[n % 62];
  return std::string(prefix) + "5g" + digits;
}

std::string Id18(std::string_view prefix, uint64_t n) { return SalesforceId18(Id15(prefix, n)); }

// An id as a reference value may carry it: 18 characters, or 15 made 18; "" when malformed.
std::string NormalizeId(std::string_view id) {
  auto alnum = [](std::string_view s) {
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; });
  };
  if (id.size() == 18 && alnum(id) && SalesforceId18(id.substr(0, 15)) == id) {
    return std::string(id);
  }
  if (id.size() == 15 && alnum(id)) return SalesforceId18(id);
  return "";
}

// ---- Objects -------------------------------------------------------------------------------

enum class FieldType { kString, kBool, kId, kDateTime };

struct Field {
  std::string name;
  FieldType type = FieldType::kString;
  bool writable = true;
  bool required = false;    // on create
  size_t max_length = 0;    // 0: not checked
  std::string reference{};  // key prefix a reference must carry ("00e")
};

struct SObjectType {
  std::string name;
  std::string prefix;
  std::vector<Field> fields;
  bool createable = false;
  bool updateable = false;
  bool deletable = false;

  const Field* Find(std::string_view field) const {
    for (const auto& f : fields) {
      if (IEquals(f.name, field)) return &f;
    }
    return nullptr;
  }
};

std::vector<SObjectType> MakeTypes() {
  using T = FieldType;
  auto ro = [](std::string n, T t = T::kString) { return Field{std::move(n), t, false}; };
  auto rw = [](std::string n, size_t len = 0, bool req = false) {
    return Field{std::move(n), T::kString, true, req, len};
  };
  SObjectType user{"User", "005", {}, true, true, false};
  user.fields = {ro("Id", T::kId),
                 rw("Username", 80, true),
                 rw("LastName", 80, true),
                 rw("FirstName", 40),
                 ro("Name"),
                 rw("Email", 128, true),
                 rw("Alias", 8, true),
                 rw("CommunityNickname", 40),
                 rw("TimeZoneSidKey", 40, true),
                 rw("LocaleSidKey", 40, true),
                 rw("EmailEncodingKey", 40, true),
                 rw("LanguageLocaleKey", 40, true),
                 Field{"ProfileId", T::kId, true, true, 0, "00e"},
                 Field{"UserRoleId", T::kId, true, false, 0, "00E"},
                 Field{"ManagerId", T::kId, true, false, 0, "005"},
                 rw("FederationIdentifier", 512),
                 Field{"IsActive", T::kBool, true},
                 rw("Title", 80),
                 rw("Department", 80),
                 rw("Division", 80),
                 rw("CompanyName", 80),
                 rw("EmployeeNumber", 20),
                 rw("Phone", 40),
                 rw("MobilePhone", 40),
                 rw("Street", 255),
                 rw("City", 40),
                 rw("State", 80),
                 rw("PostalCode", 20),
                 rw("Country", 80),
                 ro("UserType"),
                 ro("CreatedDate", T::kDateTime),
                 ro("LastModifiedDate", T::kDateTime),
                 ro("SystemModstamp", T::kDateTime)};
  SObjectType profile{"Profile", "00e", {ro("Id", T::kId), ro("Name"), ro("UserType")}};
  SObjectType role{"UserRole",
                   "00E",
                   {ro("Id", T::kId), ro("Name"), ro("DeveloperName"), ro("ParentRoleId", T::kId),
                    ro("RollupDescription")}};
  SObjectType permset{"PermissionSet",
                      "0PS",
                      {ro("Id", T::kId), ro("Name"), ro("Label"), ro("IsOwnedByProfile", T::kBool),
                       ro("ProfileId", T::kId)}};
  SObjectType psa{"PermissionSetAssignment", "0Pa", {}, true, false, true};
  psa.fields = {ro("Id", T::kId), Field{"AssigneeId", T::kId, true, true, 0, "005"},
                Field{"PermissionSetId", T::kId, true, true, 0, "0PS"}, ro("IsActive", T::kBool),
                ro("SystemModstamp", T::kDateTime)};
  // One per User, made with it (Salesforce creates it; it is never inserted or deleted):
  // IsFrozen is what Setup's "Freeze" sets. IsPasswordLocked follows failed logins.
  SObjectType login{"UserLogin", "060", {}, false, true, false};
  login.fields = {ro("Id", T::kId),
                  ro("UserId", T::kId),
                  Field{"IsFrozen", T::kBool, true},
                  ro("IsPasswordLocked", T::kBool),
                  ro("LastModifiedDate", T::kDateTime),
                  ro("SystemModstamp", T::kDateTime)};
  return {user, profile, role, permset, psa, login};
}

struct Table {
  const SObjectType* type = nullptr;
  std::map<uint64_t, std::string> order;  // creation sequence -> id
  std::unordered_map<std::string, object> by_id;
  std::unordered_map<std::string, uint64_t> seq_of;
};

struct Cursor {
  std::string object;
  std::vector<std::string> fields;
  std::vector<std::string> ids;
  size_t batch = 2000;
};

bool IsEmailLike(std::string_view s) {
  auto at = s.find('@');
  if (at == 0 || at == std::string_view::npos || s.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  auto domain = s.substr(at + 1);
  auto dot = domain.find('.');
  if (dot == 0 || dot == std::string_view::npos || domain.back() == '.') return false;
  return std::none_of(s.begin(), s.end(),
                      [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; });
}

std::string Now() { return FormatRfc3339(SystemClock().Now()); }

// Salesforce's datetime form: 2024-06-10T08:00:00.000+0000.
std::string SfDateTime() {
  std::string t = Now();
  if (t.ends_with("Z")) t = t.substr(0, t.size() - 1) + "+0000";
  return t;
}

}  // namespace

std::string SalesforceId18(std::string_view id15) {
  std::string out(id15);
  constexpr std::string_view kSuffix = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
  for (size_t chunk = 0; chunk < 3; ++chunk) {
    int bits = 0;
    for (size_t i = 0; i < 5; ++i) {
      char c = chunk * 5 + i < id15.size() ? id15[chunk * 5 + i] : '0';
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    out += kSuffix[static_cast<size_t>(bits)];
  }
  return out;
}

struct SalesforceEmulator::Impl {
  SalesforceEmulatorOptions options;
  FaultInjector faults;
  Pkey jwt_key;
  std::vector<SObjectType> types = MakeTypes();
  std::mutex mu;
  std::map<std::string, Table, std::less<>> tables;             // by object name
  std::unordered_map<std::string, std::string> username_index;  // lower(Username) -> id
  std::unordered_map<std::string, std::chrono::steady_clock::time_point> tokens;
  std::unordered_map<std::string, Cursor> cursors;
  uint64_t next_seq = 1;
  uint64_t api_usage = 0;
  std::string org_id = SalesforceId18("00D5g00000EmUlA");
  std::string admin_id;

  explicit Impl(SalesforceEmulatorOptions o)
      : options(std::move(o)),
        faults(options.faults, options.seed),
        jwt_key(LoadPublicKey(options.jwt_public_key_pem)) {
    for (const auto& t : types) tables[t.name].type = &t;
    Seed();
  }

  const SObjectType* TypeNamed(std::string_view name) const {
    for (const auto& t : types) {
      if (IEquals(t.name, name)) return &t;
    }
    return nullptr;
  }

  std::string Insert(const std::string& type, object fields) {
    Table& t = tables[type];
    uint64_t seq = next_seq++;
    std::string id = Id18(t.type->prefix, seq);
    fields["Id"] = id;
    if (t.type->Find("SystemModstamp") != nullptr) {
      std::string now = SfDateTime();
      fields["SystemModstamp"] = now;
      if (t.type->Find("CreatedDate") != nullptr) {
        fields["CreatedDate"] = now;
        fields["LastModifiedDate"] = now;
      }
    }
    t.order[seq] = id;
    t.seq_of[id] = seq;
    if (type == "User") username_index[Lower(fields.at("Username").as_string())] = id;
    t.by_id[id] = std::move(fields);
    if (type == "User") {
      Insert("UserLogin", object{{"UserId", id},
                                 {"IsFrozen", false},
                                 {"IsPasswordLocked", false},
                                 {"LastModifiedDate", SfDateTime()}});
    }
    return id;
  }

  void Seed() {
    std::vector<std::string> profiles;
    for (const char* name : {"System Administrator", "Standard User", "Read Only"}) {
      profiles.push_back(Insert("Profile", object{{"Name", name}, {"UserType", "Standard"}}));
      // Every profile owns a permission set (IsOwnedByProfile), as in a real org.
      Insert("PermissionSet", object{{"Name", "X" + profiles.back().substr(0, 15)},
                                     {"Label", name},
                                     {"IsOwnedByProfile", true},
                                     {"ProfileId", profiles.back()}});
    }
    std::string ceo = Insert("UserRole", object{{"Name", "CEO"},
                                                {"DeveloperName", "CEO"},
                                                {"ParentRoleId", nullptr},
                                                {"RollupDescription", "CEO"}});
    for (const auto& [name, dev, children] :
         std::vector<std::tuple<std::string, std::string, std::vector<std::string>>>{
             {"VP, Sales", "VPSales", {"Sales Manager", "Sales Representative"}},
             {"VP, Engineering", "VPEngineering", {"Engineer"}}}) {
      std::string vp = Insert("UserRole", object{{"Name", name},
                                                 {"DeveloperName", dev},
                                                 {"ParentRoleId", ceo},
                                                 {"RollupDescription", name}});
      std::string parent = vp;
      for (const auto& child : children) {
        std::string dev_name = child;
        dev_name.erase(std::remove(dev_name.begin(), dev_name.end(), ' '), dev_name.end());
        parent = Insert("UserRole", object{{"Name", child},
                                           {"DeveloperName", dev_name},
                                           {"ParentRoleId", parent},
                                           {"RollupDescription", child}});
      }
    }
    for (const auto& [name, label] : std::vector<std::pair<std::string, std::string>>{
             {"Sales_Console_User", "Sales Console User"},
             {"API_Enabled", "API Enabled"},
             {"Report_Builder", "Report Builder"}}) {
      Insert("PermissionSet", object{{"Name", name},
                                     {"Label", label},
                                     {"IsOwnedByProfile", false},
                                     {"ProfileId", nullptr}});
    }
    admin_id = Insert("User",
                      UserRecord(options.admin_username, "Admin", "Integration", profiles[0], ceo));
  }

  object UserRecord(const std::string& username, const std::string& last, const std::string& first,
                    const std::string& profile, const std::string& role) {
    std::string alias = username.substr(0, std::min<size_t>(8, username.find('@')));
    return object{{"Username", username},
                  {"LastName", last},
                  {"FirstName", first},
                  {"Name", first + " " + last},
                  {"Email", username},
                  {"Alias", alias},
                  {"CommunityNickname", nullptr},
                  {"TimeZoneSidKey", "America/Los_Angeles"},
                  {"LocaleSidKey", "en_US"},
                  {"EmailEncodingKey", "UTF-8"},
                  {"LanguageLocaleKey", "en_US"},
                  {"ProfileId", profile},
                  {"UserRoleId", role.empty() ? value(nullptr) : value(role)},
                  {"FederationIdentifier", nullptr},
                  {"IsActive", true},
                  {"UserType", "Standard"}};
  }

  std::string ProfileNamed(std::string_view name) {
    for (const auto& [id, p] : tables["Profile"].by_id) {
      if (p.at("Name").as_string() == name) return id;
    }
    return "";
  }

  // ---- the gate: faults, the daily limit, sessions ----

  std::optional<Response> Faults(bool oauth) {
    FaultOutcome f = faults.Next();
    if (f.delay.count() > 0) std::this_thread::sleep_for(f.delay);
    if (f.status == 0) return std::nullopt;
    Response r;
    if (oauth) {
      r = OAuthError(f.status,
                     f.status == 429 || f.status == 403 ? "rate_limit_exceeded" : "server_error",
                     "injected fault");
    } else if (f.status == 403 || f.status == 429) {
      r = SfError(f.status, "REQUEST_LIMIT_EXCEEDED",
                  "ConcurrentRequests (Concurrent API Requests) Limit exceeded.");
    } else if (f.status >= 500) {
      r = SfError(f.status, f.status == 503 ? "SERVER_UNAVAILABLE" : "UNKNOWN_EXCEPTION",
                  "An unexpected error occurred. Please include this ErrorId if you contact "
                  "support: 1234567890-12345 (-1234567890)");
    } else {
      r = SfError(f.status, "INJECTED_FAULT", "injected fault");
    }
    if (f.retry_after_seconds) r.SetHeader("Retry-After", std::to_string(*f.retry_after_seconds));
    return r;
  }

  bool SessionValid(const Request& req) {
    auto auth = req.Header("Authorization");
    if (!auth) return false;
    std::string_view v = *auth;
    if (v.size() < 7 || !IEquals(v.substr(0, 7), "Bearer ")) return false;
    auto it = tokens.find(std::string(v.substr(7)));
    if (it == tokens.end()) return false;
    if (options.token_ttl_seconds > 0 && std::chrono::steady_clock::now() >= it->second) {
      tokens.erase(it);
      return false;
    }
    return true;
  }

  std::string LimitInfo() const {
    return "api-usage=" + std::to_string(api_usage) + "/" + std::to_string(options.daily_api_limit);
  }

  static std::string BaseUrl(const Request& req) {
    std::string host(req.Header("Host").value_or("localhost"));
    return std::string(req.secure ? "https://" : "http://") + host;
  }

  // ---- OAuth 2.0 token endpoint ----

  Response Token(const Request& req) {
    if (auto f = Faults(true)) return *f;
    auto form = ParseForm(req.body);
    std::string grant = form["grant_type"];
    std::string client_id = form["client_id"];
    std::string client_secret = form["client_secret"];
    if (auto auth = req.Header("Authorization"); auth && auth->starts_with("Basic ")) {
      auto decoded = Base64Decode(auth->substr(6));
      auto colon = decoded ? decoded->find(':') : std::string::npos;
      if (colon != std::string::npos) {
        client_id = PercentDecode(decoded->substr(0, colon));
        client_secret = PercentDecode(decoded->substr(colon + 1));
      }
    }
    std::string base = BaseUrl(req);
    std::string user_id;
    std::lock_guard lock(mu);
    if (grant == "client_credentials" || grant == "password") {
      if (client_id != options.client_id) {
        return OAuthError(400, "invalid_client_id", "client identifier invalid");
      }
      if (options.client_secret.empty() || client_secret != options.client_secret) {
        return OAuthError(400, "invalid_client", "invalid client credentials");
      }
      if (grant == "password") {
        auto it = username_index.find(Lower(form["username"]));
        if (it == username_index.end() || form["password"] != options.admin_password ||
            it->second != admin_id) {
          return OAuthError(400, "invalid_grant", "authentication failure");
        }
      }
      user_id = admin_id;
    } else if (grant == "urn:ietf:params:oauth:grant-type:jwt-bearer") {
      auto r = CheckAssertion(form["assertion"], base, user_id);
      if (r) return *r;
    } else {
      return OAuthError(400, "unsupported_grant_type", "grant type not supported");
    }
    if (!tables["User"].by_id.at(user_id).at("IsActive").as_bool()) {
      return OAuthError(400, "inactive_user", "user is inactive");
    }
    // A frozen user cannot log in. The exact OAuth answer for it is [unverified].
    for (const auto& [id, login] : tables["UserLogin"].by_id) {
      if (login.at("UserId").as_string() == user_id && login.at("IsFrozen").as_bool()) {
        return OAuthError(400, "invalid_grant", "authentication failure");
      }
    }
    std::string token = org_id.substr(0, 15) + "!AR" + RandomToken(24);
    tokens[token] = std::chrono::steady_clock::now() +
                    std::chrono::seconds(std::max<int64_t>(options.token_ttl_seconds, 0));
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::system_clock::now().time_since_epoch())
                  .count();
    return Response::Json(200, object{{"access_token", token},
                                      {"signature", "emulated"},
                                      {"scope", "api"},
                                      {"instance_url", base},
                                      {"id", base + "/id/" + org_id + "/" + user_id},
                                      {"token_type", "Bearer"},
                                      {"issued_at", std::to_string(ms)}});
  }

  // Verifies a JWT bearer assertion; an OAuth error response, or nullopt with `user_id` set.
  std::optional<Response> CheckAssertion(const std::string& assertion, const std::string& base,
                                         std::string& user_id) {
    auto invalid = [](std::string_view why) { return OAuthError(400, "invalid_grant", why); };
    if (!jwt_key) return invalid("invalid assertion");
    auto dot1 = assertion.find('.');
    auto dot2 = dot1 == std::string::npos ? dot1 : assertion.find('.', dot1 + 1);
    if (dot2 == std::string::npos) return invalid("invalid assertion");
    auto header = Base64UrlDecode(std::string_view(assertion).substr(0, dot1));
    auto payload = Base64UrlDecode(std::string_view(assertion).substr(dot1 + 1, dot2 - dot1 - 1));
    auto signature = Base64UrlDecode(std::string_view(assertion).substr(dot2 + 1));
    if (!header || !payload || !signature) return invalid("invalid assertion");
    auto h = json::Parse(*header);
    auto p = json::Parse(*payload);
    if (!h.ok() || !h->is_object() || !p.ok() || !p->is_object()) {
      return invalid("invalid assertion");
    }
    if (json::GetString(h->as_object(), "alg") != "RS256") return invalid("invalid assertion");
    if (!VerifyRs256(jwt_key.get(), std::string_view(assertion).substr(0, dot2), *signature)) {
      return invalid("invalid assertion");
    }
    const object& claims = p->as_object();
    if (json::GetString(claims, "iss") != options.client_id) {
      return OAuthError(400, "invalid_client_id", "client identifier invalid");
    }
    std::string aud(json::GetString(claims, "aud").value_or(""));
    while (!aud.empty() && aud.back() == '/') aud.pop_back();
    if (aud != base) return invalid("audience is invalid");
    auto exp = json::GetInt(claims, "exp");
    auto now = std::chrono::duration_cast<std::chrono::seconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
    if (!exp || *exp <= now) return invalid("expired authorization code");
    // The legacy `prn` claim wins over `sub` when both are sent.
    std::string sub(
        json::GetString(claims, "prn").value_or(json::GetString(claims, "sub").value_or("")));
    auto it = username_index.find(Lower(sub));
    if (it == username_index.end() || !IEquals(sub, options.admin_username)) {
      return invalid("user hasn't approved this consumer");
    }
    user_id = it->second;
    return std::nullopt;
  }

  // ---- REST ----

  Response Rest(const Request& req) {
    if (auto f = Faults(false)) return *f;
    std::string_view path = req.path;
    path.remove_prefix(kDataPrefix.size());
    auto slash = path.find('/');
    std::string version(path.substr(0, slash));
    std::string_view rest = slash == std::string_view::npos ? "" : path.substr(slash + 1);
    while (rest.ends_with('/')) rest.remove_suffix(1);
    std::lock_guard lock(mu);
    if (!SessionValid(req)) return SfError(401, "INVALID_SESSION_ID", "Session expired or invalid");
    if (api_usage >= options.daily_api_limit) {
      Response r = SfError(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.");
      r.SetHeader("Sforce-Limit-Info", LimitInfo());
      return r;
    }
    ++api_usage;
    Response r = Dispatch(req, "/services/data/" + version, rest);
    r.SetHeader("Sforce-Limit-Info", LimitInfo());
    return r;
  }

  static std::vector<std::string_view> Segments(std::string_view s) {
    std::vector<std::string_view> out;
    while (!s.empty()) {
      auto i = s.find('/');
      out.push_back(s.substr(0, i));
      if (i == std::string_view::npos) break;
      s.remove_prefix(i + 1);
    }
    return out;
  }

  Response NotAllowed(const Request& req, std::string_view allowed) {
    Response r = SfError(
        405, "METHOD_NOT_ALLOWED",
        "HTTP Method '" + req.method + "' not allowed. Allowed are " + std::string(allowed));
    r.SetHeader("Allow", std::string(allowed));
    return r;
  }

  Response Dispatch(const Request& req, const std::string& api, std::string_view rest) {
    auto seg = Segments(rest);
    if (seg.empty()) {
      if (req.method != "GET") return NotAllowed(req, "HEAD,GET");
      return Response::Json(200, object{{"sobjects", api + "/sobjects"},
                                        {"query", api + "/query"},
                                        {"composite", api + "/composite"},
                                        {"limits", api + "/limits"}});
    }
    if (seg[0] == "limits" && seg.size() == 1) {
      int64_t max = static_cast<int64_t>(options.daily_api_limit);
      return Response::Json(
          200,
          object{{"DailyApiRequests",
                  object{{"Max", max}, {"Remaining", max - static_cast<int64_t>(api_usage)}}}});
    }
    if (seg[0] == "query" && seg.size() == 1) {
      if (req.method != "GET") return NotAllowed(req, "HEAD,GET");
      return Query(req, api);
    }
    if (seg[0] == "query" && seg.size() == 2) {
      if (req.method != "GET") return NotAllowed(req, "HEAD,GET");
      return NextPage(api, seg[1]);
    }
    if (seg[0] == "composite" && seg.size() == 2 && seg[1] == "sobjects") {
      if (req.method == "POST" || req.method == "PATCH") return Collection(req);
      return NotAllowed(req, "POST,PATCH");
    }
    if (seg[0] == "sobjects" && (seg.size() == 2 || seg.size() == 3)) {
      const SObjectType* type = TypeNamed(seg[1]);
      if (type == nullptr) {
        return SfError(404, "NOT_FOUND", "The requested resource does not exist");
      }
      if (seg.size() == 2) {
        if (req.method == "POST" && type->createable) return Create(req, *type, api);
        if (req.method == "GET")
          return Response::Json(200, object{{"objectDescribe", object{{"name", type->name}}}});
        return NotAllowed(req, type->createable ? "HEAD,GET,POST" : "HEAD,GET");
      }
      std::string id = NormalizeId(seg[2]);
      Table& t = tables[type->name];
      auto it = t.by_id.find(id);
      std::string allowed = std::string("HEAD,GET") + (type->updateable ? ",PATCH" : "") +
                            (type->deletable ? ",DELETE" : "");
      if (req.method == "GET") {
        if (it == t.by_id.end()) {
          return SfError(404, "NOT_FOUND", "The requested resource does not exist");
        }
        std::vector<std::string> fields;
        if (auto f = req.Query("fields")) {
          for (auto name : Segments(std::string(*f))) fields.emplace_back(name);
        }
        for (auto& f : fields) {
          if (auto c = Canonical(*type, f)) {
            f = *c;
          } else {
            return SfError(400, "INVALID_FIELD",
                           "No such column '" + f + "' on entity '" + type->name + "'.");
          }
        }
        return Response::Json(200, Render(*type, it->second, api, fields));
      }
      if (req.method == "PATCH" && type->updateable) {
        if (it == t.by_id.end()) {
          return SfError(404, "NOT_FOUND", "The requested resource does not exist");
        }
        auto body = json::Parse(req.body);
        if (!body.ok() || !body->is_object()) {
          return SfError(400, "JSON_PARSER_ERROR", "The request body is not a JSON object");
        }
        auto f = type->name == "UserLogin" ? UpdateLogin(id, body->as_object())
                                           : UpdateUser(id, body->as_object());
        if (f) return Response::Json(f->status, array{f->item});
        return Response::NoContent();
      }
      if (req.method == "DELETE" && type->deletable) {
        if (it == t.by_id.end()) {
          return SfError(404, "ENTITY_IS_DELETED", "entity is deleted");
        }
        t.order.erase(t.seq_of[id]);
        t.seq_of.erase(id);
        t.by_id.erase(it);
        return Response::NoContent();
      }
      return NotAllowed(req, allowed);
    }
    return SfError(404, "NOT_FOUND", "The requested resource does not exist");
  }

  std::optional<std::string> Canonical(const SObjectType& type, std::string_view field) const {
    if (const Field* f = type.Find(field)) return f->name;
    return std::nullopt;
  }

  object Render(const SObjectType& type, const object& record, const std::string& api,
                const std::vector<std::string>& fields) const {
    std::string id(record.at("Id").as_string());
    object out{{"attributes",
                object{{"type", type.name}, {"url", api + "/sobjects/" + type.name + "/" + id}}}};
    auto put = [&](const std::string& name) {
      const auto* v = record.if_contains(name);
      out[name] = v == nullptr ? value(nullptr) : *v;
    };
    if (fields.empty()) {
      for (const auto& f : type.fields) put(f.name);
    } else {
      for (const auto& f : fields) put(f);
    }
    return out;
  }

  // ---- writes and their validation ----

  // Field names resolved, types and lengths checked; the first failure.
  std::optional<Failure> CheckFields(const SObjectType& type, const object& in, bool create,
                                     object& out) {
    for (const auto& [key, v] : in) {
      if (key == "attributes") continue;
      const Field* f = type.Find(key);
      if (f == nullptr) {
        return Fail("INVALID_FIELD",
                    "No such column '" + std::string(key) + "' on sobject of type " + type.name);
      }
      if (!f->writable) {
        if (f->name == "Id" && !create) continue;  // collections carry it
        return Fail("INVALID_FIELD_FOR_INSERT_UPDATE",
                    "Unable to create/update fields: " + f->name +
                        ". Please check the security settings of this field and verify that it "
                        "is read/write for your profile or permission set.",
                    {f->name});
      }
      if (v.is_null()) {
        out[f->name] = nullptr;
        continue;
      }
      if (f->type == FieldType::kBool) {
        if (!v.is_bool()) {
          return Fail("JSON_PARSER_ERROR",
                      "Cannot deserialize instance of boolean from " +
                          std::string(v.is_string() ? "VALUE_STRING" : "value") + " value " +
                          boost::json::serialize(v));
        }
        out[f->name] = v;
        continue;
      }
      if (!v.is_string()) {
        return Fail("JSON_PARSER_ERROR", "Cannot deserialize instance of string from value " +
                                             boost::json::serialize(v));
      }
      std::string s(v.as_string());
      if (f->max_length > 0 && s.size() > f->max_length) {
        return Fail("STRING_TOO_LONG",
                    f->name + ": data value too large: " + s +
                        " (max length=" + std::to_string(f->max_length) + ")",
                    {f->name});
      }
      if (!f->reference.empty() && !s.empty()) {
        std::string id = NormalizeId(s);
        if (id.empty()) {
          return Fail("MALFORMED_ID", f->name + ": id value of incorrect type: " + s, {f->name});
        }
        const SObjectType* target = nullptr;
        for (const auto& t : types) {
          if (t.prefix == f->reference) target = &t;
        }
        if (!id.starts_with(f->reference) || target == nullptr ||
            !tables[target->name].by_id.contains(id)) {
          return Fail("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", {f->name});
        }
        s = id;
      }
      out[f->name] = s.empty() ? value(nullptr) : value(s);
    }
    return std::nullopt;
  }

  std::optional<Failure> CheckUser(const object& u, const std::string& self) {
    std::vector<std::string> missing;
    for (const auto& f : tables["User"].type->fields) {
      if (!f.required) continue;
      const auto* v = u.if_contains(f.name);
      if (v == nullptr || v->is_null()) missing.push_back(f.name);
    }
    if (!missing.empty()) {
      std::string list;
      for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
      return Fail("REQUIRED_FIELD_MISSING", "Required fields are missing: [" + list + "]", missing);
    }
    std::string username(u.at("Username").as_string());
    if (!IsEmailLike(username)) {
      return Fail("INVALID_NEW_USERNAME",
                  "Username must be in the form of an email address (for example, "
                  "john@acme.com)",
                  {"Username"});
    }
    if (!IsEmailLike(u.at("Email").as_string())) {
      return Fail("INVALID_EMAIL_ADDRESS",
                  "Email: invalid email address: " + std::string(u.at("Email").as_string()),
                  {"Email"});
    }
    static const std::vector<std::string_view> kEncodings{
        "UTF-8",          "ISO-8859-1", "Shift_JIS", "ISO-2022-JP", "EUC-JP",
        "ks_c_5601-1987", "Big5",       "GB2312",    "Big5-HKSCS",  "x-SJIS_0213"};
    std::string_view encoding = u.at("EmailEncodingKey").as_string();
    if (std::find(kEncodings.begin(), kEncodings.end(), encoding) == kEncodings.end()) {
      return Fail(
          "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
          "Email Encoding: bad value for restricted picklist field: " + std::string(encoding),
          {"EmailEncodingKey"});
    }
    if (auto it = username_index.find(Lower(username));
        it != username_index.end() && it->second != self) {
      return Fail("DUPLICATE_USERNAME",
                  "Duplicate Username.<br>The username already exists in this or another "
                  "Salesforce organization. Usernames must be unique across all Salesforce "
                  "organizations. To resolve, use a different username (it doesn't need to "
                  "match the user's email address).",
                  {"Username"});
    }
    // Federation ID: unique in the org, case-sensitive (the org default). Code [unverified].
    if (const auto* fed = u.if_contains("FederationIdentifier"); fed && fed->is_string()) {
      for (const auto& [id, other] : tables["User"].by_id) {
        if (id == self) continue;
        const auto* o = other.if_contains("FederationIdentifier");
        if (o != nullptr && o->is_string() && o->as_string() == fed->as_string()) {
          return Fail("DUPLICATE_VALUE",
                      "This Federation ID is already in use. Use a different Federation ID.",
                      {"FederationIdentifier"});
        }
      }
    }
    return std::nullopt;
  }

  static void Rename(object& u) {
    std::string first(json::GetString(u, "FirstName").value_or(""));
    std::string last(json::GetString(u, "LastName").value_or(""));
    u["Name"] = first.empty() ? last : first + " " + last;
  }

  // Creates one record of `type`; its id, or the failure.
  std::variant<std::string, Failure> CreateRecord(const SObjectType& type, const object& in) {
    if (in.contains("Id") || in.contains("id")) {
      return Fail("INVALID_FIELD", "The Id field should not be specified in the sobject data.");
    }
    object fields;
    if (auto f = CheckFields(type, in, true, fields)) return *f;
    if (type.name == "User") {
      if (!fields.contains("IsActive") || fields["IsActive"].is_null()) fields["IsActive"] = true;
      fields["UserType"] = "Standard";
      if (auto f = CheckUser(fields, "")) return *f;
      for (const auto& f : type.fields) {
        if (!fields.contains(f.name) && f.writable) fields[f.name] = nullptr;
      }
      Rename(fields);
    } else if (type.name == "PermissionSetAssignment") {
      for (const auto& name : {"AssigneeId", "PermissionSetId"}) {
        if (!fields.contains(name) || fields[name].is_null()) {
          return Fail("REQUIRED_FIELD_MISSING",
                      "Required fields are missing: [" + std::string(name) + "]", {name});
        }
      }
      const auto& ps =
          tables["PermissionSet"].by_id.at(std::string(fields["PermissionSetId"].as_string()));
      if (ps.at("IsOwnedByProfile").as_bool()) {
        return Fail("INVALID_CROSS_REFERENCE_KEY",
                    "You can't assign or unassign this permission set because it's associated "
                    "with a profile.",
                    {"PermissionSetId"});
      }
      for (const auto& [id, a] : tables["PermissionSetAssignment"].by_id) {
        if (a.at("AssigneeId") == fields["AssigneeId"] &&
            a.at("PermissionSetId") == fields["PermissionSetId"]) {
          // Salesforce's exact duplicate-assignment answer is [unverified].
          return Fail("DUPLICATE_VALUE",
                      "duplicate value found: Assignee, PermissionSet duplicates value on record "
                      "with id: " +
                          id,
                      {});
        }
      }
      fields["IsActive"] = true;
    }
    return Insert(type.name, std::move(fields));
  }

  std::optional<Failure> UpdateUser(const std::string& id, const object& in) {
    Table& t = tables["User"];
    object changes;
    if (auto f = CheckFields(*t.type, in, false, changes)) return f;
    object merged = t.by_id.at(id);
    for (const auto& [k, v] : changes) {
      if (k != "Id") merged[k] = v;
    }
    if (auto f = CheckUser(merged, id)) return f;
    Rename(merged);
    std::string now = SfDateTime();
    merged["LastModifiedDate"] = now;
    merged["SystemModstamp"] = now;
    std::string old_name = Lower(t.by_id.at(id).at("Username").as_string());
    username_index.erase(old_name);
    username_index[Lower(merged.at("Username").as_string())] = id;
    t.by_id[id] = std::move(merged);
    return std::nullopt;
  }

  // Freezing and unfreezing: only IsFrozen is writable.
  std::optional<Failure> UpdateLogin(const std::string& id, const object& in) {
    Table& t = tables["UserLogin"];
    object changes;
    if (auto f = CheckFields(*t.type, in, false, changes)) return f;
    object& login = t.by_id.at(id);
    for (const auto& [k, v] : changes) {
      if (k == "Id") continue;
      if (v.is_null()) {
        return Fail("REQUIRED_FIELD_MISSING",
                    "Required fields are missing: [" + std::string(k) + "]", {std::string(k)});
      }
      login[k] = v;
    }
    std::string now = SfDateTime();
    login["LastModifiedDate"] = now;
    login["SystemModstamp"] = now;
    return std::nullopt;
  }

  Response Create(const Request& req, const SObjectType& type, const std::string& api) {
    auto body = json::Parse(req.body);
    if (!body.ok() || !body->is_object()) {
      return SfError(400, "JSON_PARSER_ERROR", "The request body is not a JSON object");
    }
    auto r = CreateRecord(type, body->as_object());
    if (auto* f = std::get_if<Failure>(&r)) return Response::Json(f->status, array{f->item});
    std::string id = std::get<std::string>(r);
    Response out = Response::Json(201, object{{"id", id}, {"success", true}, {"errors", array{}}});
    out.SetHeader("Location", api + "/sobjects/" + type.name + "/" + id);
    return out;
  }

  // sObject Collections: POST creates, PATCH updates, up to 200 Users; always 200 with one
  // SaveResult per record (per-record errors carry `statusCode`).
  Response Collection(const Request& req) {
    auto body = json::Parse(req.body);
    if (!body.ok() || !body->is_object()) {
      return SfError(400, "JSON_PARSER_ERROR", "The request body is not a JSON object");
    }
    const object& in = body->as_object();
    bool all_or_none = json::GetBool(in, "allOrNone").value_or(false);
    const auto* records = in.if_contains("records");
    if (records == nullptr || !records->is_array()) {
      return SfError(400, "INVALID_FIELD", "records: an array is required");
    }
    if (records->as_array().size() > kCollectionMax) {
      return SfError(400, "EXCEEDED_ID_LIMIT", "Exceeded max size limit of 200");
    }
    bool create = req.method == "POST";
    // For allOrNone: undo by restoring what the batch touched. Copied only then: a copy of
    // the whole table per call made every collection call O(users).
    std::optional<Table> saved_users;
    std::optional<Table> saved_logins;
    std::optional<decltype(username_index)> saved_index;
    uint64_t saved_seq = next_seq;
    if (all_or_none) {
      saved_users = tables["User"];
      saved_logins = tables["UserLogin"];
      saved_index = username_index;
    }
    array results;
    bool failed = false;
    for (const auto& rec : records->as_array()) {
      object result;
      std::optional<Failure> failure;
      std::string id;
      const object* r = rec.is_object() ? &rec.as_object() : nullptr;
      const object* attrs = nullptr;
      if (r != nullptr) {
        if (const auto* a = r->if_contains("attributes"); a != nullptr && a->is_object()) {
          attrs = &a->as_object();
        }
      }
      const SObjectType* type =
          attrs != nullptr ? TypeNamed(json::GetString(*attrs, "type").value_or("")) : nullptr;
      if (type == nullptr) {
        failure = Fail("INVALID_TYPE", "Must send a concrete entity type.");
      } else if (type->name != "User") {
        failure = Fail("INVALID_TYPE", "sObject type '" + type->name +
                                           "' is not supported in this emulated collection.");
      } else if (create) {
        auto out = CreateRecord(*type, *r);
        if (auto* f = std::get_if<Failure>(&out)) {
          failure = *f;
        } else {
          id = std::get<std::string>(out);
        }
      } else {
        std::string raw(json::GetString(*r, "id").value_or(json::GetString(*r, "Id").value_or("")));
        id = NormalizeId(raw);
        object changes = *r;
        changes.erase("id");
        changes.erase("Id");
        if (id.empty()) {
          failure = Fail("MALFORMED_ID", "malformed id " + raw, {"Id"});
        } else if (!tables["User"].by_id.contains(id)) {
          failure = Fail("ENTITY_IS_DELETED", "entity is deleted");
        } else {
          failure = UpdateUser(id, changes);
        }
      }
      if (failure) {
        failed = true;
        object err = failure->item;
        err["statusCode"] = err["errorCode"];
        err.erase("errorCode");
        result = object{{"success", false}, {"errors", array{err}}};
        if (!id.empty() && !create) result["id"] = id;
      } else {
        result = object{{"id", id}, {"success", true}, {"errors", array{}}};
      }
      results.push_back(std::move(result));
    }
    if (all_or_none && failed) {
      tables["User"] = std::move(*saved_users);
      tables["UserLogin"] = std::move(*saved_logins);
      username_index = std::move(*saved_index);
      next_seq = saved_seq;
      for (auto& v : results) {
        object& res = v.as_object();
        if (res.at("success").as_bool()) {
          res["success"] = false;
          if (create) res.erase("id");
          res["errors"] = array{
              object{{"statusCode", "ALL_OR_NONE_OPERATION_ROLLED_BACK"},
                     {"message",
                      "Record rolled back because not all records were valid and the request was "
                      "using AllOrNone header"},
                     {"fields", array{}}}};
        }
      }
    }
    return Response::Json(200, results);
  }

  // ---- SOQL ----

  bool Matches(const SObjectType& type, const object& rec, const soql::Condition& c) const {
    const Field* f = type.Find(c.field);
    const auto* v = rec.if_contains(f->name);
    bool any = false;
    for (const auto& lit : c.values) {
      bool eq = false;
      if (lit.kind == soql::Literal::Kind::kNull) {
        eq = v == nullptr || v->is_null();
      } else if (v == nullptr || v->is_null()) {
        eq = false;
      } else if (lit.kind == soql::Literal::Kind::kBool) {
        eq = v->is_bool() && v->as_bool() == (lit.text == "true");
      } else if (v->is_string()) {
        if (f->type == FieldType::kId) {
          eq = NormalizeId(lit.text) == v->as_string();
        } else if (f->name == "FederationIdentifier") {
          eq = v->as_string() == lit.text;  // case-sensitive by default (Summer '20 note)
        } else {
          eq = IEquals(v->as_string(), lit.text);
        }
      }
      any = any || eq;
    }
    return c.negated ? !any : any;
  }

  Response Query(const Request& req, const std::string& api) {
    auto q = req.Query("q");
    if (!q) return SfError(400, "MALFORMED_QUERY", "A query string has to be specified");
    auto parsed = soql::Parse(*q);
    if (!parsed.ok()) return SfError(400, "MALFORMED_QUERY", parsed.error().message());
    const SObjectType* type = TypeNamed(parsed->object);
    if (type == nullptr) {
      return SfError(400, "INVALID_TYPE",
                     "sObject type '" + parsed->object + "' is not supported.");
    }
    auto no_column = [&](const std::string& f) {
      return SfError(400, "INVALID_FIELD",
                     "No such column '" + f + "' on entity '" + type->name +
                         "'. If you are attempting to use a custom field, be sure to append "
                         "the '__c' after the custom field name.");
    };
    std::vector<std::string> fields;
    for (const auto& f : parsed->fields) {
      auto c = Canonical(*type, f);
      if (!c) return no_column(f);
      fields.push_back(*c);
    }
    for (const auto& c : parsed->where) {
      if (!type->Find(c.field)) return no_column(c.field);
    }
    if (!parsed->order_by.empty() && !type->Find(parsed->order_by)) {
      return no_column(parsed->order_by);
    }
    const Table& t = tables[type->name];
    std::vector<std::string> ids;
    for (const auto& [seq, id] : t.order) {
      const object& rec = t.by_id.at(id);
      bool ok = std::all_of(parsed->where.begin(), parsed->where.end(),
                            [&](const soql::Condition& c) { return Matches(*type, rec, c); });
      if (ok) ids.push_back(id);
    }
    if (!parsed->order_by.empty()) {
      std::string key = type->Find(parsed->order_by)->name;
      auto text = [&](const std::string& id) {
        const auto* v = t.by_id.at(id).if_contains(key);
        return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
      };
      std::stable_sort(ids.begin(), ids.end(), [&](const std::string& a, const std::string& b) {
        return parsed->descending ? text(b) < text(a) : text(a) < text(b);
      });
    }
    if (parsed->limit && ids.size() > *parsed->limit) ids.resize(*parsed->limit);
    Cursor cursor{type->name, std::move(fields), std::move(ids), options.batch_size};
    if (auto opts = req.Header("Sforce-Query-Options")) {
      auto eq = opts->find("batchSize=");
      if (eq != std::string_view::npos) {
        size_t n = 0;
        std::string_view digits = opts->substr(eq + 10);
        std::from_chars(digits.data(), digits.data() + digits.size(), n);
        // Salesforce honours 200..2000 (and does not promise the size).
        if (n > 0) cursor.batch = std::clamp<size_t>(n, 200, 2000);
      }
    }
    cursor.batch = std::min(cursor.batch, options.batch_size);
    return Page(api, std::move(cursor), 0, "");
  }

  Response NextPage(const std::string& api, std::string_view locator) {
    auto dash = locator.rfind('-');
    if (dash == std::string_view::npos) {
      return SfError(400, "INVALID_QUERY_LOCATOR", "invalid query locator");
    }
    std::string key(locator.substr(0, dash));
    size_t offset = 0;
    auto [p, ec] =
        std::from_chars(locator.data() + dash + 1, locator.data() + locator.size(), offset);
    auto it = cursors.find(key);
    if (ec != std::errc() || p != locator.data() + locator.size() || it == cursors.end() ||
        offset > it->second.ids.size()) {
      return SfError(400, "INVALID_QUERY_LOCATOR", "invalid query locator");
    }
    return Page(api, it->second, offset, key);
  }

  Response Page(const std::string& api, Cursor cursor, size_t offset, std::string key) {
    const SObjectType* type = TypeNamed(cursor.object);
    const Table& t = tables[type->name];
    array records;
    size_t end = std::min(cursor.ids.size(), offset + cursor.batch);
    for (size_t i = offset; i < end; ++i) {
      auto it = t.by_id.find(cursor.ids[i]);
      if (it != t.by_id.end()) records.push_back(Render(*type, it->second, api, cursor.fields));
    }
    object out{{"totalSize", cursor.ids.size()}, {"done", end >= cursor.ids.size()}};
    if (end < cursor.ids.size()) {
      if (key.empty()) {
        key = SalesforceId18(Id15("01g", next_seq++));
        cursors[key] = cursor;
      }
      out["nextRecordsUrl"] = api + "/query/" + key + "-" + std::to_string(end);
    }
    out["records"] = std::move(records);
    return Response::Json(200, out);
  }
};

SalesforceEmulator::SalesforceEmulator(SalesforceEmulatorOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

SalesforceEmulator::~SalesforceEmulator() = default;

void SalesforceEmulator::AddRoutes(http::Router& router) {
  Impl* impl = impl_.get();
  router.Add("POST", "/services/oauth2/token", [impl](Request& req) { return impl->Token(req); });
  router.Add("GET", "/services/data", [](Request&) {
    array versions;
    for (const char* v : {"58.0", "59.0", "60.0"}) {
      versions.push_back(object{
          {"label", "Emulated"}, {"url", std::string("/services/data/v") + v}, {"version", v}});
    }
    return Response::Json(200, versions);
  });
  router.Add("*", "/services/data/{rest*}", [impl](Request& req) { return impl->Rest(req); });
}

void SalesforceEmulator::SeedUsers(size_t count) {
  std::lock_guard lock(impl_->mu);
  std::string profile = impl_->ProfileNamed("Standard User");
  for (size_t i = 1; i <= count; ++i) {
    std::string n = std::to_string(i);
    std::string name = "user" + std::string(n.size() < 5 ? 5 - n.size() : 0, '0') + n;
    object u = impl_->UserRecord(name + "@seed.example", "User " + n, "Seed", profile, "");
    u["FederationIdentifier"] = name + "@seed.example";
    impl_->Insert("User", std::move(u));
  }
}

size_t SalesforceEmulator::user_count() const {
  std::lock_guard lock(impl_->mu);
  return impl_->tables["User"].by_id.size();
}

}  // namespace provisio::emulators
