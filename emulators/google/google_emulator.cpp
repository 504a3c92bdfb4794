#include "emulators/google/google_emulator.h"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>

#include "core/clock.h"
#include "core/json.h"
#include "emulators/google/google_token.h"

namespace provisio::emulators {
namespace {

using boost::json::array;
using boost::json::object;
using boost::json::value;
using http::Request;
using http::Response;

constexpr std::string_view kApi = "/admin/directory/v1";
constexpr std::string_view kScope = "https://www.googleapis.com/auth/admin.directory.";
constexpr int64_t kMaxUsersPage = 500;
constexpr int64_t kMaxGroupsPage = 200;
constexpr int64_t kMaxMembersPage = 200;
constexpr int64_t kMaxRolesPage = 100;
constexpr int64_t kMaxAssignmentsPage = 200;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view StatusName(int code) {
  switch (code) {
    case 400:
      return "INVALID_ARGUMENT";
    case 401:
      return "UNAUTHENTICATED";
    case 403:
      return "PERMISSION_DENIED";
    case 404:
      return "NOT_FOUND";
    case 409:
      return "ALREADY_EXISTS";
    case 412:
      return "FAILED_PRECONDITION";
    case 429:
      return "RESOURCE_EXHAUSTED";
    case 503:
      return "UNAVAILABLE";
    default:
      return code >= 500 ? "INTERNAL" : "UNKNOWN";
  }
}

// Google's error shape. Every Directory API failure goes through here.
Response GoogleError(int code, std::string_view reason, std::string_view message) {
  object err{{"message", message}, {"domain", "global"}, {"reason", reason}};
  if (code == 401) {
    err["location"] = "Authorization";
    err["locationType"] = "header";
  }
  object body{{"error", object{{"code", code},
                               {"message", message},
                               {"errors", array{std::move(err)}},
                               {"status", StatusName(code)}}}};
  Response r = Response::Json(code, body, "application/json; charset=UTF-8");
  if (code == 401) r.SetHeader("WWW-Authenticate", "Bearer realm=\"https://accounts.google.com/\"");
  return r;
}

Response Invalid(std::string_view what) {
  return GoogleError(400, "invalid", "Invalid Input: " + std::string(what));
}
Response NotFound(std::string_view key) {
  return GoogleError(404, "notFound", "Resource Not Found: " + std::string(key));
}
Response Duplicate(std::string_view message = "Entity already exists.") {
  return GoogleError(409, "duplicate", message);
}

// An injected fault, in the reason Google uses for that status.
Response Fault(int status) {
  switch (status) {
    case 400:
      return Invalid("injected");
    case 401:
      return GoogleError(401, "authError", "Invalid Credentials");
    case 403:
      return GoogleError(403, "userRateLimitExceeded", "User Rate Limit Exceeded");
    case 404:
      return NotFound("injected");
    case 409:
      return Duplicate();
    case 429:
      return GoogleError(429, "rateLimitExceeded", "Rate Limit Exceeded");
    default:
      return status >= 500 ? GoogleError(status, "backendError", "Backend Error")
                           : GoogleError(status, "invalid", "injected fault");
  }
}

Response Json(int status, const object& o) {
  return Response::Json(status, o, "application/json; charset=UTF-8");
}

std::optional<int64_t> ParseInt(std::string_view s) {
  int64_t n = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return n;
}

// maxResults within [1, max]; default `def`. nullopt: a 400 is due.
std::optional<int64_t> MaxResults(const Request& req, int64_t def, int64_t max) {
  auto v = req.Query("maxResults");
  if (!v) return def;
  auto n = ParseInt(*v);
  if (!n || *n < 1 || *n > max) return std::nullopt;
  return n;
}

// Page tokens are opaque to clients; here they carry the last sequence number served.
std::string PageToken(uint64_t seq) { return "EAE" + std::to_string(seq * 7 + 3); }
std::optional<uint64_t> ParsePageToken(std::string_view t) {
  if (t.empty()) return 0;
  if (!t.starts_with("EAE")) return std::nullopt;
  auto n = ParseInt(t.substr(3));
  if (!n || *n < 3 || (*n - 3) % 7 != 0) return std::nullopt;
  return static_cast<uint64_t>((*n - 3) / 7);
}

// Patch semantics (users.update and users.patch alike): objects merge, arrays and scalars
// are replaced, null clears.
void Merge(object& target, const object& patch) {
  for (const auto& [k, v] : patch) {
    if (v.is_null()) {
      target.erase(k);
    } else if (v.is_object() && target.contains(k) && target.at(k).is_object()) {
      Merge(target.at(k).as_object(), v.as_object());
    } else {
      target[k] = v;
    }
  }
}

std::string Etag(std::string_view id, uint64_t version) {
  return "\"emu" + std::string(id) + "/" + std::to_string(version) + "\"";
}

struct Stored {
  object obj;
  uint64_t seq = 0;
  uint64_t version = 1;
};

struct Member {
  std::string email;
  std::string role;
  std::string type;  // USER or GROUP
};

// One clause of users.list `query`.
struct Clause {
  std::string field;
  char op = '=';
  std::string value;
};

std::optional<std::vector<Clause>> ParseQuery(std::string_view q) {
  std::vector<Clause> out;
  size_t i = 0;
  while (i < q.size()) {
    while (i < q.size() && q[i] == ' ') ++i;
    if (i >= q.size()) break;
    size_t start = i;
    while (i < q.size() && q[i] != '=' && q[i] != ':' && q[i] != ' ') ++i;
    if (i >= q.size() || q[i] == ' ') return std::nullopt;
    Clause c;
    c.field = std::string(q.substr(start, i - start));
    c.op = q[i++];
    if (i < q.size() && (q[i] == '\'' || q[i] == '"')) {
      char quote = q[i++];
      while (i < q.size() && q[i] != quote) {
        if (q[i] == '\\' && i + 1 < q.size()) ++i;
        c.value.push_back(q[i++]);
      }
      if (i >= q.size()) return std::nullopt;
      ++i;
    } else {
      while (i < q.size() && q[i] != ' ') c.value.push_back(q[i++]);
    }
    out.push_back(std::move(c));
  }
  return out;
}

// `text` against a ':' clause value: "{PREFIX}*" is a prefix; otherwise contains (names) or
// exact (emails).
bool TextMatches(std::string_view text, const Clause& c, bool email) {
  std::string t = Lower(text);
  std::string v = Lower(c.value);
  if (c.op == '=') return t == v;
  if (!v.empty() && v.back() == '*') return t.starts_with(v.substr(0, v.size() - 1));
  return email ? t == v : t.find(v) != std::string::npos;
}

std::string Str(const object& o, std::string_view key) {
  return std::string(json::GetString(o, key).value_or(""));
}

}  // namespace

struct GoogleEmulator::Impl {
  GoogleEmulatorOptions options;
  std::unique_ptr<GoogleTokenIssuer> issuer;
  FaultInjector faults;
  SystemClock clock;
  std::mutex mu;
  uint64_t next_seq = 1;
  uint64_t next_id = 1;
  // Users and groups share one address space of emails.
  std::map<uint64_t, std::string> user_order;
  std::unordered_map<std::string, Stored> users;
  std::map<uint64_t, std::string> group_order;
  std::unordered_map<std::string, Stored> groups;
  std::unordered_map<std::string, std::string> emails;  // lower(email) -> user or group id
  std::unordered_map<std::string, std::map<std::string, Member>> members;  // group -> id -> m
  std::vector<object> orgunits;
  std::vector<object> roles;
  std::map<uint64_t, object> assignments;  // by id
  // Quota: requests in the current minute.
  int64_t quota_minute = 0;
  size_t quota_used = 0;

  Impl(GoogleEmulatorOptions o, std::unique_ptr<GoogleTokenIssuer> i)
      : options(std::move(o)), issuer(std::move(i)), faults(options.faults, options.seed) {
    options.domain = Lower(options.domain);
    SeedDirectory();
  }

  int64_t Now() const {
    return std::chrono::duration_cast<std::chrono::seconds>(clock.Now().time_since_epoch()).count();
  }

  std::string NewUserId() {
    std::string n = std::to_string(next_id++);
    return "1" + std::string(20 - n.size(), '0') + n;
  }
  std::string NewGroupId() {
    std::string n = std::to_string(next_id++);
    return "03" + std::string(13 - std::min<size_t>(13, n.size()), '0') + n;
  }

  void SeedDirectory() {
    auto ou = [&](std::string_view name, std::string_view id, std::string_view description) {
      orgunits.push_back(object{{"kind", "admin#directory#orgUnit"},
                                {"etag", Etag(id, 1)},
                                {"name", name},
                                {"description", description},
                                {"orgUnitPath", "/" + std::string(name)},
                                {"orgUnitId", "id:" + std::string(id)},
                                {"parentOrgUnitPath", "/"},
                                {"parentOrgUnitId", "id:03ph8a2z0root"}});
    };
    ou("Engineering", "03ph8a2z1eng", "Engineering");
    ou("Sales", "03ph8a2z2sal", "Sales");
    auto role = [&](std::string_view id, std::string_view name, std::string_view description,
                    bool super_admin) {
      roles.push_back(object{{"kind", "admin#directory#role"},
                             {"etag", Etag(id, 1)},
                             {"roleId", id},
                             {"roleName", name},
                             {"roleDescription", description},
                             {"rolePrivileges", array{}},
                             {"isSystemRole", true},
                             {"isSuperAdminRole", super_admin}});
    };
    role("9170516996784129", "_SEED_ADMIN_ROLE", "Google Workspace Administrator Seed Role", true);
    role("9170516996784130", "_GROUPS_ADMIN_ROLE", "Groups Administrator", false);
    role("9170516996784131", "_USER_MANAGEMENT_ADMIN_ROLE", "User Management Administrator", false);
    role("9170516996784132", "_HELP_DESK_ADMIN_ROLE", "Help Desk Administrator", false);
  }

  bool OrgUnitExists(std::string_view path) const {
    if (path == "/") return true;
    return std::any_of(orgunits.begin(), orgunits.end(), [&](const object& o) {
      return Lower(Str(o, "orgUnitPath")) == Lower(path);
    });
  }

  bool InDomain(std::string_view email) const {
    auto at = email.rfind('@');
    return at != std::string_view::npos && at > 0 && Lower(email.substr(at + 1)) == options.domain;
  }

  // Authorization, scope, quota and faults, before any Directory handler.
  std::optional<Response> Gate(const Request& req, std::string_view resource, bool write) {
    auto auth = req.Header("Authorization");
    std::optional<GoogleGrant> grant;
    if (auth && auth->starts_with("Bearer ")) grant = issuer->Lookup(auth->substr(7), Now());
    if (!grant) {
      return GoogleError(401, "authError",
                         "Request had invalid authentication credentials. Expected OAuth 2 "
                         "access token, login cookie or other valid authentication credential.");
    }
    if (grant->subject.empty() || !InDomain(grant->subject)) {
      return GoogleError(403, "forbidden", "Not Authorized to access this resource/api");
    }
    std::string full = std::string(kScope) + std::string(resource);
    bool allowed = grant->scopes.contains(full) ||
                   (!write && grant->scopes.contains(full + ".readonly")) ||
                   (resource == "group.member" &&
                    (grant->scopes.contains(std::string(kScope) + "group") ||
                     (!write && grant->scopes.contains(std::string(kScope) + "group.readonly"))));
    if (!allowed) {
      return GoogleError(403, "insufficientPermissions",
                         "Request had insufficient authentication scopes.");
    }
    if (options.quota_per_minute > 0) {
      std::lock_guard lock(mu);
      int64_t minute = Now() / 60;
      if (minute != quota_minute) {
        quota_minute = minute;
        quota_used = 0;
      }
      if (++quota_used > options.quota_per_minute) {
        return GoogleError(403, "userRateLimitExceeded",
                           "Quota exceeded for quota metric 'Queries' and limit 'Queries per "
                           "minute per user' of service 'admin.googleapis.com'.");
      }
    }
    FaultOutcome f = faults.Next();
    if (f.delay.count() > 0) std::this_thread::sleep_for(f.delay);
    if (f.status != 0) {
      Response r = Fault(f.status);
      if (f.retry_after_seconds) r.SetHeader("Retry-After", std::to_string(*f.retry_after_seconds));
      return r;
    }
    return std::nullopt;
  }

  bool CustomerOk(std::string_view customer) const {
    return customer == "my_customer" || customer == options.customer_id;
  }

  // ---- users ----

  Stored* FindUser(std::string_view key) {
    if (auto it = users.find(std::string(key)); it != users.end()) return &it->second;
    if (auto e = emails.find(Lower(key)); e != emails.end()) {
      if (auto it = users.find(e->second); it != users.end()) return &it->second;
    }
    return nullptr;
  }

  static void StripReadOnly(object& o) {
    for (std::string_view k :
         {"id", "kind", "etag", "isAdmin", "isDelegatedAdmin", "creationTime", "lastLoginTime",
          "customerId", "aliases", "nonEditableAliases", "isMailboxSetup", "agreedToTerms",
          "suspensionReason", "thumbnailPhotoUrl", "isEnrolledIn2Sv", "isEnforcedIn2Sv"}) {
      o.erase(k);
    }
  }

  // Validates a user after the write; nullopt when fine. `self` is its id ("" on insert).
  std::optional<Response> CheckUser(const object& u, const std::string& self) const {
    std::string email = Str(u, "primaryEmail");
    if (email.empty() || email.find('@') == std::string::npos) return Invalid("primary_user_email");
    if (!InDomain(email)) return GoogleError(400, "invalid", "Domain not found.");
    if (auto e = emails.find(Lower(email)); e != emails.end() && e->second != self)
      return Duplicate();
    const auto* name = u.if_contains("name");
    if (name == nullptr || !name->is_object()) return Invalid("Missing required field: name");
    for (std::string_view part : {"givenName", "familyName"}) {
      std::string v = Str(name->as_object(), part);
      if (v.empty() || v.size() > 60) {
        return GoogleError(400, "invalid",
                           std::string("Invalid Given/Family Name: ") +
                               (part == "givenName" ? "GivenName" : "FamilyName"));
      }
    }
    if (const auto* s = u.if_contains("suspended"); s && !s->is_bool()) return Invalid("suspended");
    std::string ou = Str(u, "orgUnitPath");
    if (!ou.empty() && !OrgUnitExists(ou)) return Invalid("INVALID_OU_ID");
    return std::nullopt;
  }

  // Derived and read-only fields, recomputed after every write.
  void Finish(Stored& s, const std::string& id) {
    object& u = s.obj;
    u.erase("password");
    u.erase("hashFunction");
    u["kind"] = "admin#directory#user";
    u["id"] = id;
    u["etag"] = Etag(id, s.version);
    auto& name = u["name"].as_object();
    name["fullName"] = Str(name, "givenName") + " " + Str(name, "familyName");
    if (!u.contains("orgUnitPath")) u["orgUnitPath"] = "/";
    if (!u.contains("suspended")) u["suspended"] = false;
    if (u.at("suspended").as_bool()) {
      u["suspensionReason"] = "ADMIN";
    } else {
      u.erase("suspensionReason");
    }
    u["isAdmin"] = false;
    u["isDelegatedAdmin"] = false;
    u["customerId"] = options.customer_id;
    u["isMailboxSetup"] = true;
    u["includeInGlobalAddressList"] =
        u.contains("includeInGlobalAddressList") ? u.at("includeInGlobalAddressList") : value(true);
    std::string email = Str(u, "primaryEmail");
    u["emails"] = array{object{{"address", email}, {"primary", true}}};
  }

  Response InsertUser(const Request& req) {
    auto body = json::Parse(req.body);
    if (!body.ok() || !body->is_object()) return GoogleError(400, "parseError", "Parse Error");
    object u = std::move(body->as_object());
    StripReadOnly(u);
    std::string password = Str(u, "password");
    if (password.size() < 8 || password.size() > 100)
      return GoogleError(400, "invalid", "Invalid Password");
    std::lock_guard lock(mu);
    if (auto err = CheckUser(u, "")) return *err;
    std::string id = NewUserId();
    Stored s{std::move(u), next_seq++, 1};
    std::string now = FormatRfc3339(clock.Now());
    s.obj["creationTime"] = now;
    s.obj["lastLoginTime"] = "1970-01-01T00:00:00.000Z";
    s.obj["agreedToTerms"] = false;
    Finish(s, id);
    emails[Lower(Str(s.obj, "primaryEmail"))] = id;
    user_order[s.seq] = id;
    auto [it, ok] = users.emplace(id, std::move(s));
    return Json(200, it->second.obj);
  }

  Response GetUser(const Request& req) {
    std::lock_guard lock(mu);
    Stored* s = FindUser(req.Param("userKey"));
    if (s == nullptr) return NotFound("userKey");
    return Json(200, s->obj);
  }

  Response UpdateUser(const Request& req) {
    auto body = json::Parse(req.body);
    if (!body.ok() || !body->is_object()) return GoogleError(400, "parseError", "Parse Error");
    object patch = std::move(body->as_object());
    StripReadOnly(patch);
    if (patch.contains("password")) {
      std::string password = Str(patch, "password");
      if (password.size() < 8 || password.size() > 100)
        return GoogleError(400, "invalid", "Invalid Password");
    }
    std::lock_guard lock(mu);
    Stored* s = FindUser(req.Param("userKey"));
    if (s == nullptr) return NotFound("userKey");
    if (auto m = req.Header("If-Match"); m && *m != "*" && *m != Str(s->obj, "etag")) {
      return GoogleError(412, "conditionNotMet", "Precondition Failed");
    }
    object next = s->obj;
    Merge(next, patch);
    std::string id = Str(s->obj, "id");
    if (auto err = CheckUser(next, id)) return *err;
    std::string old_email = Lower(Str(s->obj, "primaryEmail"));
    std::string new_email = Lower(Str(next, "primaryEmail"));
    if (old_email != new_email) {
      emails.erase(old_email);
      emails[new_email] = id;
    }
    s->obj = std::move(next);
    ++s->version;
    Finish(*s, id);
    return Json(200, s->obj);
  }

  Response DeleteUser(const Request& req) {
    std::lock_guard lock(mu);
    Stored* s = FindUser(req.Param("userKey"));
    if (s == nullptr) return NotFound("userKey");
    std::string id = Str(s->obj, "id");
    emails.erase(Lower(Str(s->obj, "primaryEmail")));
    user_order.erase(s->seq);
    for (auto& [g, ms] : members) ms.erase(id);
    std::erase_if(assignments, [&](const auto& kv) { return Str(kv.second, "assignedTo") == id; });
    users.erase(id);
    return Response::NoContent();
  }

  bool UserMatches(const object& u, const std::vector<Clause>& clauses) const {
    for (const auto& c : clauses) {
      const auto* name = u.if_contains("name");
      object empty;
      const object& n = name && name->is_object() ? name->as_object() : empty;
      if (c.field == "email") {
        if (!TextMatches(Str(u, "primaryEmail"), c, true)) return false;
      } else if (c.field == "givenName") {
        if (!TextMatches(Str(n, "givenName"), c, false)) return false;
      } else if (c.field == "familyName") {
        if (!TextMatches(Str(n, "familyName"), c, false)) return false;
      } else if (c.field == "name") {
        if (!TextMatches(Str(n, "fullName"), c, false)) return false;
      } else if (c.field == "externalId") {
        bool any = false;
        if (const auto* ids = u.if_contains("externalIds"); ids && ids->is_array()) {
          for (const auto& e : ids->as_array()) {
            if (e.is_object() && Lower(Str(e.as_object(), "value")) == Lower(c.value)) any = true;
          }
        }
        if (!any) return false;
      } else if (c.field == "isSuspended") {
        if ((Lower(c.value) == "true") != u.at("suspended").as_bool()) return false;
      } else if (c.field == "isAdmin") {
        if (Lower(c.value) == "true") return false;
      } else if (c.field == "orgUnitPath") {
        std::string path = Lower(Str(u, "orgUnitPath"));
        std::string want = Lower(c.value);
        if (path != want && !(want == "/" || path.starts_with(want + "/"))) return false;
      }
    }
    return true;
  }

  Response ListUsers(const Request& req) {
    auto customer = req.Query("customer");
    auto domain = req.Query("domain");
    if (!customer && !domain) return GoogleError(400, "badRequest", "Bad Request");
    if (customer && !CustomerOk(*customer)) return GoogleError(400, "badRequest", "Bad Request");
    if (domain && Lower(*domain) != options.domain)
      return GoogleError(403, "forbidden", "Not Authorized to access this resource/api");
    auto max = MaxResults(req, 100, kMaxUsersPage);
    if (!max) return Invalid("maxResults");
    auto after = ParsePageToken(req.Query("pageToken").value_or(""));
    if (!after) return Invalid("pageToken");
    std::vector<Clause> clauses;
    if (auto q = req.Query("query"); q && !q->empty()) {
      auto parsed = ParseQuery(*q);
      static const std::set<std::string, std::less<>> kFields{
          "email",      "givenName",   "familyName", "name",
          "externalId", "isSuspended", "isAdmin",    "orgUnitPath"};
      if (!parsed) return Invalid("query");
      for (const auto& c : *parsed) {
        if (!kFields.contains(c.field)) return Invalid("query: " + c.field);
      }
      clauses = std::move(*parsed);
    }
    std::lock_guard lock(mu);
    array out;
    std::optional<uint64_t> last;
    bool more = false;
    for (auto it = user_order.upper_bound(*after); it != user_order.end(); ++it) {
      const object& u = users.at(it->second).obj;
      if (!UserMatches(u, clauses)) continue;
      if (static_cast<int64_t>(out.size()) == *max) {
        more = true;
        break;
      }
      out.push_back(u);
      last = it->first;
    }
    object body{{"kind", "admin#directory#users"}, {"etag", Etag("users", next_seq)}};
    if (!out.empty()) body["users"] = std::move(out);
    if (more && last) body["nextPageToken"] = PageToken(*last);
    return Json(200, body);
  }

  // ---- groups and members ----

  Stored* FindGroup(std::string_view key) {
    if (auto it = groups.find(std::string(key)); it != groups.end()) return &it->second;
    if (auto e = emails.find(Lower(key)); e != emails.end()) {
      if (auto it = groups.find(e->second); it != groups.end()) return &it->second;
    }
    return nullptr;
  }

  void FinishGroup(Stored& s, const std::string& id) {
    s.obj["kind"] = "admin#directory#group";
    s.obj["id"] = id;
    s.obj["etag"] = Etag(id, s.version);
    s.obj["directMembersCount"] = std::to_string(members[id].size());
    if (!s.obj.contains("name"))
      s.obj["name"] = Str(s.obj, "email").substr(0, Str(s.obj, "email").find('@'));
    if (!s.obj.contains("description")) s.obj["description"] = "";
    s.obj["adminCreated"] = true;
    s.obj["nonEditableAliases"] = array{};
  }

  Response InsertGroup(const Request& req) {
    auto body = json::Parse(req.body);
    if (!body.ok() || !body->is_object()) return GoogleError(400, "parseError", "Parse Error");
    object g = std::move(body->as_object());
    for (std::string_view k : {"id", "kind", "etag", "directMembersCount", "adminCreated",
                               "aliases", "nonEditableAliases"}) {
      g.erase(k);
    }
    std::string email = Str(g, "email");
    if (email.empty() || email.find('@') == std::string::npos) return Invalid("email");
    if (!InDomain(email)) return GoogleError(400, "invalid", "Domain not found.");
    if (Str(g, "description").size() > 4096) return Invalid("description");
    std::lock_guard lock(mu);
    if (emails.contains(Lower(email))) return Duplicate();
    std::string id = NewGroupId();
    Stored s{std::move(g), next_seq++, 1};
    FinishGroup(s, id);
    emails[Lower(email)] = id;
    group_order[s.seq] = id;
    auto [it, ok] = groups.emplace(id, std::move(s));
    return Json(200, it->second.obj);
  }

  Response GetGroup(const Request& req) {
    std::lock_guard lock(mu);
    Stored* s = FindGroup(req.Param("groupKey"));
    if (s == nullptr) return NotFound("groupKey");
    FinishGroup(*s, Str(s->obj, "id"));
    return Json(200, s->obj);
  }

  Response PatchGroup(const Request& req) {
    auto body = json::Parse(req.body);
    if (!body.ok() || !body->is_object()) return GoogleError(400, "parseError", "Parse Error");
    std::lock_guard lock(mu);
    Stored* s = FindGroup(req.Param("groupKey"));
    if (s == nullptr) return NotFound("groupKey");
    object patch = std::move(body->as_object());
    for (std::string_view k : {"id", "kind", "etag", "email", "directMembersCount"}) patch.erase(k);
    Merge(s->obj, patch);
    ++s->version;
    FinishGroup(*s, Str(s->obj, "id"));
    return Json(200, s->obj);
  }

  Response DeleteGroup(const Request& req) {
    std::lock_guard lock(mu);
    Stored* s = FindGroup(req.Param("groupKey"));
    if (s == nullptr) return NotFound("groupKey");
    std::string id = Str(s->obj, "id");
    emails.erase(Lower(Str(s->obj, "email")));
    group_order.erase(s->seq);
    members.erase(id);
    for (auto& [g, ms] : members) ms.erase(id);
    groups.erase(id);
    return Response::NoContent();
  }

  Response ListGroups(const Request& req) {
    auto customer = req.Query("customer");
    auto domain = req.Query("domain");
    auto user_key = req.Query("userKey");
    if (!customer && !domain && !user_key) return GoogleError(400, "badRequest", "Bad Request");
    if (customer && !CustomerOk(*customer)) return GoogleError(400, "badRequest", "Bad Request");
    auto max = MaxResults(req, 200, kMaxGroupsPage);
    if (!max) return Invalid("maxResults");
    auto after = ParsePageToken(req.Query("pageToken").value_or(""));
    if (!after) return Invalid("pageToken");
    std::vector<Clause> clauses;
    if (auto q = req.Query("query"); q && !q->empty()) {
      auto parsed = ParseQuery(*q);
      if (!parsed) return Invalid("query");
      for (const auto& c : *parsed) {
        if (c.field != "email" && c.field != "name") return Invalid("query: " + c.field);
      }
      clauses = std::move(*parsed);
    }
    std::lock_guard lock(mu);
    std::string member_id;
    if (user_key) {
      Stored* u = FindUser(*user_key);
      if (u == nullptr) return NotFound("userKey");
      member_id = Str(u->obj, "id");
    }
    array out;
    std::optional<uint64_t> last;
    bool more = false;
    for (auto it = group_order.upper_bound(*after); it != group_order.end(); ++it) {
      Stored& g = groups.at(it->second);
      if (!member_id.empty() && !members[it->second].contains(member_id)) continue;
      bool match = std::all_of(clauses.begin(), clauses.end(), [&](const Clause& c) {
        return TextMatches(Str(g.obj, c.field), c, c.field == "email");
      });
      if (!match) continue;
      if (static_cast<int64_t>(out.size()) == *max) {
        more = true;
        break;
      }
      FinishGroup(g, it->second);
      out.push_back(g.obj);
      last = it->first;
    }
    object body{{"kind", "admin#directory#groups"}, {"etag", Etag("groups", next_seq)}};
    if (!out.empty()) body["groups"] = std::move(out);
    if (more && last) body["nextPageToken"] = PageToken(*last);
    return Json(200, body);
  }

  object MemberJson(const std::string& id, const Member& m) const {
    return object{{"kind", "admin#directory#member"},
                  {"etag", Etag(id, 1)},
                  {"id", id},
                  {"email", m.email},
                  {"role", m.role},
                  {"type", m.type},
                  {"status", "ACTIVE"}};
  }

  Response InsertMember(const Request& req) {
    auto body = json::Parse(req.body);
    if (!body.ok() || !body->is_object()) return GoogleError(400, "parseError", "Parse Error");
    const object& b = body->as_object();
    std::string role = Str(b, "role");
    if (role.empty()) role = "MEMBER";
    if (role != "MEMBER" && role != "MANAGER" && role != "OWNER") return Invalid("role");
    std::string key = Str(b, "id");
    if (key.empty()) key = Str(b, "email");
    if (key.empty()) return Invalid("memberKey");
    std::lock_guard lock(mu);
    Stored* g = FindGroup(req.Param("groupKey"));
    if (g == nullptr) return NotFound("groupKey");
    std::string gid = Str(g->obj, "id");
    Member m;
    std::string mid;
    if (Stored* u = FindUser(key)) {
      mid = Str(u->obj, "id");
      m = {Str(u->obj, "primaryEmail"), role, "USER"};
    } else if (Stored* sub = FindGroup(key)) {
      mid = Str(sub->obj, "id");
      if (mid == gid) return Invalid("memberKey");
      m = {Str(sub->obj, "email"), role, "GROUP"};
    } else {
      return NotFound("memberKey");
    }
    auto& ms = members[gid];
    if (ms.contains(mid)) return Duplicate("Member already exists.");
    ms[mid] = m;
    return Json(200, MemberJson(mid, m));
  }

  // The member id behind a memberKey (id or email) in group `gid`; "" when not a member.
  std::string MemberId(const std::string& gid, std::string_view key) {
    auto& ms = members[gid];
    if (ms.contains(std::string(key))) return std::string(key);
    for (const auto& [id, m] : ms) {
      if (Lower(m.email) == Lower(key)) return id;
    }
    return "";
  }

  Response DeleteMember(const Request& req) {
    std::lock_guard lock(mu);
    Stored* g = FindGroup(req.Param("groupKey"));
    if (g == nullptr) return NotFound("groupKey");
    std::string gid = Str(g->obj, "id");
    std::string mid = MemberId(gid, req.Param("memberKey"));
    if (mid.empty()) return NotFound("memberKey");
    members[gid].erase(mid);
    return Response::NoContent();
  }

  Response GetMember(const Request& req) {
    std::lock_guard lock(mu);
    Stored* g = FindGroup(req.Param("groupKey"));
    if (g == nullptr) return NotFound("groupKey");
    std::string gid = Str(g->obj, "id");
    std::string mid = MemberId(gid, req.Param("memberKey"));
    if (mid.empty()) return NotFound("memberKey");
    return Json(200, MemberJson(mid, members[gid].at(mid)));
  }

  Response HasMember(const Request& req) {
    std::lock_guard lock(mu);
    Stored* g = FindGroup(req.Param("groupKey"));
    if (g == nullptr) return NotFound("groupKey");
    return Json(200,
                object{{"isMember", !MemberId(Str(g->obj, "id"), req.Param("memberKey")).empty()}});
  }

  Response ListMembers(const Request& req) {
    auto max = MaxResults(req, 200, kMaxMembersPage);
    if (!max) return Invalid("maxResults");
    std::string after(req.Query("pageToken").value_or(""));
    std::set<std::string> roles_wanted;
    if (auto r = req.Query("roles"); r && !r->empty()) {
      std::string_view rest = *r;
      while (!rest.empty()) {
        auto comma = rest.find(',');
        std::string role(rest.substr(0, comma));
        if (role != "MEMBER" && role != "MANAGER" && role != "OWNER") return Invalid("roles");
        roles_wanted.insert(role);
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      }
    }
    std::lock_guard lock(mu);
    Stored* g = FindGroup(req.Param("groupKey"));
    if (g == nullptr) return NotFound("groupKey");
    auto& ms = members[Str(g->obj, "id")];
    array out;
    std::string last;
    bool more = false;
    for (auto it = after.empty() ? ms.begin() : ms.upper_bound(after); it != ms.end(); ++it) {
      if (!roles_wanted.empty() && !roles_wanted.contains(it->second.role)) continue;
      if (static_cast<int64_t>(out.size()) == *max) {
        more = true;
        break;
      }
      out.push_back(MemberJson(it->first, it->second));
      last = it->first;
    }
    object body{{"kind", "admin#directory#members"}, {"etag", Etag("members", next_seq)}};
    if (!out.empty()) body["members"] = std::move(out);
    if (more) body["nextPageToken"] = last;
    return Json(200, body);
  }

  // ---- org units, roles, role assignments ----

  Response ListOrgUnits(const Request& req) {
    if (!CustomerOk(req.Param("customer"))) return GoogleError(400, "badRequest", "Bad Request");
    std::string type(req.Query("type").value_or("children"));
    if (type != "all" && type != "children" && type != "allIncludingParent") return Invalid("type");
    std::string parent = Lower(req.Query("orgUnitPath").value_or("/"));
    if (parent.empty()) parent = "/";
    std::lock_guard lock(mu);
    if (!OrgUnitExists(parent)) return NotFound("orgUnitPath");
    array out;
    for (const auto& ou : orgunits) {
      std::string path = Lower(Str(ou, "orgUnitPath"));
      std::string parent_path = Lower(Str(ou, "parentOrgUnitPath"));
      bool below = parent == "/" ? true : path.starts_with(parent + "/");
      if (type == "children" ? parent_path == parent
                             : below || (type == "allIncludingParent" && path == parent)) {
        out.push_back(ou);
      }
    }
    return Json(200, object{{"kind", "admin#directory#orgUnits"},
                            {"etag", Etag("orgunits", 1)},
                            {"organizationUnits", std::move(out)}});
  }

  // Pages of a vector by index.
  static Response IndexPage(const Request& req, const std::vector<object>& all, int64_t def,
                            int64_t max_page, std::string_view kind) {
    auto max = MaxResults(req, def, max_page);
    if (!max) return Invalid("maxResults");
    auto start = ParsePageToken(req.Query("pageToken").value_or(""));
    if (!start) return Invalid("pageToken");
    array items;
    size_t i = static_cast<size_t>(*start);
    for (; i < all.size() && static_cast<int64_t>(items.size()) < *max; ++i)
      items.push_back(all[i]);
    object body{{"kind", kind}, {"etag", Etag(kind, all.size())}, {"items", std::move(items)}};
    if (i < all.size()) body["nextPageToken"] = PageToken(i);
    return Json(200, body);
  }

  Response ListRoles(const Request& req) {
    if (!CustomerOk(req.Param("customer"))) return GoogleError(400, "badRequest", "Bad Request");
    std::lock_guard lock(mu);
    return IndexPage(req, roles, 100, kMaxRolesPage, "admin#directory#roles");
  }

  const object* FindRole(std::string_view id) const {
    for (const auto& r : roles) {
      if (Str(r, "roleId") == id) return &r;
    }
    return nullptr;
  }

  Response ListAssignments(const Request& req) {
    if (!CustomerOk(req.Param("customer"))) return GoogleError(400, "badRequest", "Bad Request");
    std::string role_id(req.Query("roleId").value_or(""));
    std::lock_guard lock(mu);
    std::string assignee;
    if (auto key = req.Query("userKey"); key && !key->empty()) {
      Stored* u = FindUser(*key);
      if (u == nullptr) return NotFound("userKey");
      assignee = Str(u->obj, "id");
    }
    std::vector<object> matching;
    for (const auto& [id, a] : assignments) {
      if (!role_id.empty() && Str(a, "roleId") != role_id) continue;
      if (!assignee.empty() && Str(a, "assignedTo") != assignee) continue;
      matching.push_back(a);
    }
    return IndexPage(req, matching, 200, kMaxAssignmentsPage, "admin#directory#roleAssignments");
  }

  Response InsertAssignment(const Request& req) {
    if (!CustomerOk(req.Param("customer"))) return GoogleError(400, "badRequest", "Bad Request");
    auto body = json::Parse(req.body);
    if (!body.ok() || !body->is_object()) return GoogleError(400, "parseError", "Parse Error");
    const object& b = body->as_object();
    std::string role_id = Str(b, "roleId");
    std::string assigned_to = Str(b, "assignedTo");
    std::string scope = Str(b, "scopeType");
    std::string ou_id = Str(b, "orgUnitId");
    if (scope != "CUSTOMER" && scope != "ORG_UNIT") return Invalid("scopeType");
    std::lock_guard lock(mu);
    if (FindRole(role_id) == nullptr) return NotFound("roleId");
    std::string type;
    if (users.contains(assigned_to)) {
      type = "USER";
    } else if (groups.contains(assigned_to)) {
      type = "GROUP";
    } else {
      return Invalid("assignedTo");
    }
    if (scope == "ORG_UNIT") {
      bool known = std::any_of(orgunits.begin(), orgunits.end(), [&](const object& o) {
        return Str(o, "orgUnitId") == ou_id || Str(o, "orgUnitId") == "id:" + ou_id;
      });
      if (!known) return Invalid("orgUnitId");
    }
    for (const auto& [id, a] : assignments) {
      if (Str(a, "roleId") == role_id && Str(a, "assignedTo") == assigned_to &&
          Str(a, "scopeType") == scope && Str(a, "orgUnitId") == ou_id) {
        return Duplicate();
      }
    }
    uint64_t n = 9170516996784200ull + next_id++;
    object a{{"kind", "admin#directory#roleAssignment"},
             {"etag", Etag(std::to_string(n), 1)},
             {"roleAssignmentId", std::to_string(n)},
             {"roleId", role_id},
             {"assignedTo", assigned_to},
             {"assigneeType", type},
             {"scopeType", scope}};
    if (scope == "ORG_UNIT") a["orgUnitId"] = ou_id;
    assignments[n] = a;
    return Json(200, a);
  }

  std::optional<uint64_t> AssignmentKey(std::string_view id) const {
    auto n = ParseInt(id);
    if (!n || *n < 0 || !assignments.contains(static_cast<uint64_t>(*n))) return std::nullopt;
    return static_cast<uint64_t>(*n);
  }

  Response GetAssignment(const Request& req) {
    if (!CustomerOk(req.Param("customer"))) return GoogleError(400, "badRequest", "Bad Request");
    std::lock_guard lock(mu);
    auto key = AssignmentKey(req.Param("roleAssignmentId"));
    if (!key) return NotFound("roleAssignmentId");
    return Json(200, assignments.at(*key));
  }

  Response DeleteAssignment(const Request& req) {
    if (!CustomerOk(req.Param("customer"))) return GoogleError(400, "badRequest", "Bad Request");
    std::lock_guard lock(mu);
    auto key = AssignmentKey(req.Param("roleAssignmentId"));
    if (!key) return NotFound("roleAssignmentId");
    assignments.erase(*key);
    return Response::NoContent();
  }

  // ---- token endpoint ----

  Response Token(const Request& req) {
    std::string host(req.Header("Host").value_or("localhost"));
    std::string audience = std::string(req.secure ? "https://" : "http://") + host + "/token";
    auto result = issuer->Exchange(req.body, audience, Now());
    if (auto* err = std::get_if<TokenError>(&result)) {
      return Json(err->status,
                  object{{"error", err->error}, {"error_description", err->description}});
    }
    auto& [token, expires_in] = std::get<0>(result);
    return Json(
        200, object{{"access_token", token}, {"expires_in", expires_in}, {"token_type", "Bearer"}});
  }
};

GoogleEmulator::GoogleEmulator(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
GoogleEmulator::~GoogleEmulator() = default;

Result<std::unique_ptr<GoogleEmulator>> GoogleEmulator::Create(GoogleEmulatorOptions options) {
  ASSIGN_OR_RETURN(auto issuer,
                   GoogleTokenIssuer::Create(options.public_key_pem, options.token_lifetime));
  auto impl = std::make_unique<Impl>(std::move(options), std::move(issuer));
  return std::unique_ptr<GoogleEmulator>(new GoogleEmulator(std::move(impl)));
}

void GoogleEmulator::AddRoutes(http::Router& router) {
  Impl* impl = impl_.get();
  using Method = Response (Impl::*)(const Request&);
  auto add = [&](std::string_view method, std::string_view path, std::string_view resource,
                 Method fn) {
    bool write = method != "GET";
    router.Add(method, std::string(kApi) + std::string(path),
               [impl, fn, write, resource = std::string(resource)](Request& req) -> Response {
                 if (auto r = impl->Gate(req, resource, write)) return *r;
                 return (impl->*fn)(req);
               });
  };
  router.Add("POST", "/token", [impl](Request& req) { return impl->Token(req); });
  add("POST", "/users", "user", &Impl::InsertUser);
  add("GET", "/users", "user", &Impl::ListUsers);
  add("GET", "/users/{userKey}", "user", &Impl::GetUser);
  add("PUT", "/users/{userKey}", "user", &Impl::UpdateUser);
  add("PATCH", "/users/{userKey}", "user", &Impl::UpdateUser);
  add("DELETE", "/users/{userKey}", "user", &Impl::DeleteUser);
  add("POST", "/groups", "group", &Impl::InsertGroup);
  add("GET", "/groups", "group", &Impl::ListGroups);
  add("GET", "/groups/{groupKey}", "group", &Impl::GetGroup);
  add("PATCH", "/groups/{groupKey}", "group", &Impl::PatchGroup);
  add("PUT", "/groups/{groupKey}", "group", &Impl::PatchGroup);
  add("DELETE", "/groups/{groupKey}", "group", &Impl::DeleteGroup);
  add("POST", "/groups/{groupKey}/members", "group.member", &Impl::InsertMember);
  add("GET", "/groups/{groupKey}/members", "group.member", &Impl::ListMembers);
  add("GET", "/groups/{groupKey}/members/{memberKey}", "group.member", &Impl::GetMember);
  add("DELETE", "/groups/{groupKey}/members/{memberKey}", "group.member", &Impl::DeleteMember);
  add("GET", "/groups/{groupKey}/hasMember/{memberKey}", "group.member", &Impl::HasMember);
  add("GET", "/customer/{customer}/orgunits", "orgunit", &Impl::ListOrgUnits);
  add("GET", "/customer/{customer}/roles", "rolemanagement", &Impl::ListRoles);
  add("GET", "/customer/{customer}/roleassignments", "rolemanagement", &Impl::ListAssignments);
  add("POST", "/customer/{customer}/roleassignments", "rolemanagement", &Impl::InsertAssignment);
  add("GET", "/customer/{customer}/roleassignments/{roleAssignmentId}", "rolemanagement",
      &Impl::GetAssignment);
  add("DELETE", "/customer/{customer}/roleassignments/{roleAssignmentId}", "rolemanagement",
      &Impl::DeleteAssignment);
}

void GoogleEmulator::SeedUsers(size_t count) {
  std::lock_guard lock(impl_->mu);
  for (size_t i = 1; i <= count; ++i) {
    std::string n = std::to_string(i);
    std::string local = "user" + std::string(n.size() < 5 ? 5 - n.size() : 0, '0') + n;
    std::string email = local + "@" + impl_->options.domain;
    if (impl_->emails.contains(email)) continue;
    std::string id = impl_->NewUserId();
    Stored s{object{{"primaryEmail", email},
                    {"name", object{{"givenName", "User"}, {"familyName", n}}},
                    {"externalIds", array{object{{"value", "E" + n}, {"type", "organization"}}}},
                    {"creationTime", FormatRfc3339(impl_->clock.Now())}},
             impl_->next_seq++, 1};
    impl_->Finish(s, id);
    impl_->emails[email] = id;
    impl_->user_order[s.seq] = id;
    impl_->users.emplace(id, std::move(s));
  }
}

size_t GoogleEmulator::user_count() const {
  std::lock_guard lock(impl_->mu);
  return impl_->users.size();
}

}  // namespace provisio::emulators
