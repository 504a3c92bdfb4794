#include "connectors/google/google_connector.h"

#include <algorithm>
#include <boost/json.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include "connectors/error_class.h"
#include "connectors/google/google_auth.h"
#include "connectors/google/google_diff.h"
#include "connectors/google/google_errors.h"
#include "core/ids.h"
#include "core/json.h"
#include "core/url.h"

namespace provisio::connectors::google {
namespace {

using boost::json::object;

constexpr std::string_view kApiPath = "/admin/directory/v1";
constexpr size_t kMaxRolesPage = 100;
constexpr std::string_view kRolesCursor = "roles:";

std::string Encode(std::string_view s) {
  return boost::urls::encode(s, boost::urls::unreserved_chars);
}

Error Invalid(std::string message) {
  return ClassifiedError(ErrorClass::kInvalid, std::move(message));
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Account ToAccount(object obj) {
  Account a;
  a.id = std::string(json::GetString(obj, "id").value_or(""));
  a.etag = std::string(json::GetString(obj, "etag").value_or(""));
  a.attributes = std::move(obj);
  return a;
}

std::vector<Account> Items(object& body, std::string_view key) {
  std::vector<Account> out;
  if (auto* items = body.if_contains(key); items != nullptr && items->is_array()) {
    for (auto& v : items->as_array()) {
      if (v.is_object()) out.push_back(ToAccount(std::move(v.as_object())));
    }
  }
  return out;
}

// A users.list / groups.list query value in single quotes (Google's syntax for values with
// spaces); quotes and backslashes inside are escaped.
std::string Quoted(std::string_view value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "'";
}

bool IsNotFoundOf(const Error& e, std::string_view key) {
  return ClassOf(e) == ErrorClass::kNotFound && e.message().find(key) != std::string::npos;
}

}  // namespace

GoogleConnector::GoogleConnector(std::string base_url, std::string customer,
                                 GoogleSettings settings, AuthorizedClient client,
                                 const Clock& clock)
    : base_url_(std::move(base_url)),
      customer_(std::move(customer)),
      settings_(std::move(settings)),
      client_(std::move(client)),
      clock_(clock) {
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
  if (base_url_.ends_with(kApiPath)) base_url_.resize(base_url_.size() - kApiPath.size());
}

std::string GoogleConnector::CustomerPath() const { return "customer/" + Encode(customer_); }

Result<http::HttpResponse> GoogleConnector::Send(std::string_view method, std::string_view path,
                                                 const object* body, std::string_view if_match) {
  http::HttpRequest req;
  req.method = std::string(method);
  req.url = base_url_ + std::string(kApiPath) + "/" + std::string(path);
  req.timeout = settings_.timeout;
  req.insecure_skip_verify = settings_.insecure_skip_verify;
  req.SetHeader("Accept", "application/json");
  if (body != nullptr) {
    req.SetHeader("Content-Type", "application/json");
    req.body = boost::json::serialize(*body);
  }
  if (!if_match.empty()) req.SetHeader("If-Match", std::string(if_match));
  ASSIGN_OR_RETURN(http::HttpResponse r, client_.Send(std::move(req)));
  if (r.status < 200 || r.status > 299) {
    auto q = path.find('?');
    return ClassifyGoogleResponse(r, std::string(method) + " " + std::string(path.substr(0, q)),
                                  clock_.Now());
  }
  return r;
}

Result<object> GoogleConnector::SendForObject(std::string_view method, std::string_view path,
                                              const object* body, std::string_view if_match) {
  ASSIGN_OR_RETURN(auto r, Send(method, path, body, if_match));
  auto v = json::Parse(r.body);
  if (!v.ok() || !v->is_object()) {
    auto q = path.find('?');
    return ClassifiedError(ErrorClass::kFatal,
                           std::string(method) + " " + std::string(path.substr(0, q)) +
                               " answered " + std::to_string(r.status) + " without a JSON object",
                           {r.status, std::nullopt});
  }
  return std::move(v->as_object());
}

Capabilities GoogleConnector::capabilities() {
  Capabilities c;
  c.create_users = c.update_users = c.patch_users = c.disable_users = c.delete_users = true;
  c.list_users = c.filter_users = true;
  c.groups = c.membership = c.entitlements = true;
  c.bulk = false;  // the batch endpoint is not used: one request per change
  c.etag = true;   // If-Match on users.patch when the current state carries its etag
  c.max_page_size = settings_.page_size;
  return c;
}

Status GoogleConnector::Test() {
  ASSIGN_OR_RETURN(
      auto body,
      SendForObject("GET", "users?customer=" + Encode(customer_) + "&maxResults=1", nullptr));
  if (json::GetString(body, "kind") != "admin#directory#users") {
    return ClassifiedError(ErrorClass::kFatal, "GET users did not answer a users list");
  }
  return Ok();
}

Result<Account> GoogleConnector::CreateUser(const object& desired) {
  object body = WritableUser(desired);
  // Google requires a password; people sign in through SSO or reset it, so an unknown random
  // one is the safe default when the mappings send none.
  if (!body.contains("password")) body["password"] = RandomToken(24);
  ASSIGN_OR_RETURN(auto created, SendForObject("POST", "users", &body));
  Account a = ToAccount(std::move(created));
  if (a.id.empty()) return ClassifiedError(ErrorClass::kFatal, "POST users answered no id");
  return a;
}

Result<Account> GoogleConnector::GetUser(std::string_view id) {
  if (id.empty()) return Invalid("empty id");
  ASSIGN_OR_RETURN(auto obj, SendForObject("GET", "users/" + Encode(id), nullptr));
  return ToAccount(std::move(obj));
}

Result<std::optional<Account>> GoogleConnector::GetIfExists(std::string_view collection,
                                                            std::string_view key) {
  auto r = SendForObject("GET", std::string(collection) + "/" + Encode(key), nullptr);
  if (!r.ok()) {
    if (ClassOf(r.error()) == ErrorClass::kNotFound) return std::optional<Account>();
    return std::move(r).error();
  }
  return std::optional<Account>(ToAccount(std::move(r).value()));
}

Result<std::vector<Account>> GoogleConnector::ListMatching(std::string_view collection,
                                                           std::string_view query) {
  ASSIGN_OR_RETURN(auto body,
                   SendForObject("GET",
                                 std::string(collection) + "?customer=" + Encode(customer_) +
                                     "&maxResults=2&query=" + Encode(query),
                                 nullptr));
  return Items(body, collection);
}

Result<std::optional<Account>> GoogleConnector::FindUser(std::string_view attribute,
                                                         std::string_view value) {
  if (value.empty()) return Invalid("FindUser: empty value");
  std::string attr = attribute.empty() ? "primaryEmail" : std::string(attribute);
  if (attr == "primaryEmail" || attr == "email" || attr == "emails" || attr == "id") {
    // users.get by key rather than a search: search lags writes by up to 36 hours.
    ASSIGN_OR_RETURN(auto found, GetIfExists("users", value));
    if (found && attr != "id" &&
        Lower(json::GetString(found->attributes, "primaryEmail").value_or("")) != Lower(value)) {
      return ClassifiedError(ErrorClass::kConflict,
                             std::string(value) + " is an alias of another user's address");
    }
    return found;
  }
  if (attr == "externalId" || attr == "externalIds" || attr == "externalIds.value" ||
      attr.starts_with("externalIds[")) {
    ASSIGN_OR_RETURN(auto found, ListMatching("users", "externalId=" + Quoted(value)));
    if (found.empty()) return std::optional<Account>();
    if (found.size() > 1) {
      return ClassifiedError(ErrorClass::kConflict,
                             "several users have externalId " + std::string(value));
    }
    return std::optional<Account>(std::move(found.front()));
  }
  return Invalid("FindUser: Google matches on primaryEmail, id or externalId, not " + attr);
}

Result<Account> GoogleConnector::ReplaceUser(std::string_view id, const object& desired) {
  if (id.empty()) return Invalid("empty id");
  ASSIGN_OR_RETURN(Account current, GetUser(id));
  object body = ReplaceBody(current.attributes, desired);
  ASSIGN_OR_RETURN(auto obj, SendForObject("PUT", "users/" + Encode(id), &body));
  return ToAccount(std::move(obj));
}

Result<Account> GoogleConnector::PatchUser(std::string_view id, const object& current,
                                           const object& desired) {
  if (id.empty()) return Invalid("empty id");
  object body = PatchBody(current, desired);
  if (body.empty()) {
    Account a;
    a.id = std::string(id);
    a.etag = std::string(json::GetString(current, "etag").value_or(""));
    a.attributes = current;
    return a;
  }
  std::string etag(json::GetString(current, "etag").value_or(""));
  ASSIGN_OR_RETURN(auto obj, SendForObject("PATCH", "users/" + Encode(id), &body, etag));
  return ToAccount(std::move(obj));
}

Status GoogleConnector::DisableUser(std::string_view id) {
  if (id.empty()) return Invalid("empty id");
  object body{{"suspended", true}};
  auto r = Send("PATCH", "users/" + Encode(id), &body);
  if (!r.ok()) return std::move(r).error();
  return Ok();
}

Status GoogleConnector::DeleteUser(std::string_view id) {
  if (id.empty()) return Invalid("empty id");
  auto r = Send("DELETE", "users/" + Encode(id), nullptr);
  if (!r.ok()) return std::move(r).error();
  return Ok();
}

Result<Page<Account>> GoogleConnector::ListUsers(const PageRequest& page) {
  size_t n = std::clamp<size_t>(page.page_size == 0 ? settings_.page_size : page.page_size, 1,
                                settings_.page_size);
  std::string path = "users?customer=" + Encode(customer_) + "&maxResults=" + std::to_string(n);
  if (!page.cursor.empty()) path += "&pageToken=" + Encode(page.cursor);
  ASSIGN_OR_RETURN(auto body, SendForObject("GET", path, nullptr));
  Page<Account> out;
  out.items = Items(body, "users");
  out.next_cursor = std::string(json::GetString(body, "nextPageToken").value_or(""));
  return out;
}

Result<Account> GoogleConnector::CreateGroup(const object& desired) {
  if (!json::GetString(desired, "email")) return Invalid("CreateGroup: email is required");
  object body = desired;
  for (std::string_view k : {"id", "kind", "etag", "directMembersCount", "adminCreated", "aliases",
                             "nonEditableAliases"}) {
    body.erase(k);
  }
  ASSIGN_OR_RETURN(auto created, SendForObject("POST", "groups", &body));
  Account a = ToAccount(std::move(created));
  if (a.id.empty()) return ClassifiedError(ErrorClass::kFatal, "POST groups answered no id");
  return a;
}

Result<Account> GoogleConnector::GetGroup(std::string_view id) {
  if (id.empty()) return Invalid("empty id");
  ASSIGN_OR_RETURN(auto obj, SendForObject("GET", "groups/" + Encode(id), nullptr));
  return ToAccount(std::move(obj));
}

Result<std::optional<Account>> GoogleConnector::FindGroup(std::string_view attribute,
                                                          std::string_view value) {
  if (value.empty()) return Invalid("FindGroup: empty value");
  std::string attr = attribute.empty() ? "email" : std::string(attribute);
  if (attr == "email" || attr == "id") return GetIfExists("groups", value);
  if (attr == "name") {
    ASSIGN_OR_RETURN(auto found, ListMatching("groups", "name=" + Quoted(value)));
    if (found.empty()) return std::optional<Account>();
    if (found.size() > 1) {
      return ClassifiedError(ErrorClass::kConflict,
                             "several groups are named " + std::string(value));
    }
    return std::optional<Account>(std::move(found.front()));
  }
  return Invalid("FindGroup: Google matches groups on email, id or name, not " + attr);
}

Result<Account> GoogleConnector::UpdateGroup(std::string_view id, const object& current,
                                             const object& desired) {
  if (id.empty()) return Invalid("empty id");
  // groups.patch with the fields that differ; the address is the group's key and stays.
  object body;
  for (const auto& [k, v] : desired) {
    if (k == "email" || k == "id") continue;
    const auto* was = current.if_contains(k);
    if (was == nullptr || *was != v) body[k] = v;
  }
  if (body.empty()) {
    Account a;
    a.id = std::string(id);
    a.attributes = current;
    return a;
  }
  ASSIGN_OR_RETURN(auto patched, SendForObject("PATCH", "groups/" + Encode(id), &body));
  return ToAccount(std::move(patched));
}

Status GoogleConnector::DeleteGroup(std::string_view id) {
  if (id.empty()) return Invalid("empty id");
  auto r = Send("DELETE", "groups/" + Encode(id), nullptr);
  if (!r.ok()) return std::move(r).error();
  return Ok();
}

Result<Page<Account>> GoogleConnector::ListGroups(const PageRequest& page) {
  size_t n = std::clamp<size_t>(page.page_size == 0 ? settings_.group_page_size : page.page_size, 1,
                                settings_.group_page_size);
  std::string path = "groups?customer=" + Encode(customer_) + "&maxResults=" + std::to_string(n);
  if (!page.cursor.empty()) path += "&pageToken=" + Encode(page.cursor);
  ASSIGN_OR_RETURN(auto body, SendForObject("GET", path, nullptr));
  Page<Account> out;
  out.items = Items(body, "groups");
  out.next_cursor = std::string(json::GetString(body, "nextPageToken").value_or(""));
  return out;
}

Status GoogleConnector::AddMembers(std::string_view group_id,
                                   std::span<const std::string> user_ids) {
  return AddMembersWithRole(group_id, user_ids, settings_.member_role);
}

Status GoogleConnector::AddMembersWithRole(std::string_view group_id,
                                           std::span<const std::string> user_ids,
                                           std::string_view role) {
  if (group_id.empty()) return Invalid("empty group id");
  if (role.empty()) role = settings_.member_role;
  if (role != "MEMBER" && role != "MANAGER" && role != "OWNER") {
    return Invalid("member role must be MEMBER, MANAGER or OWNER");
  }
  std::string path = "groups/" + Encode(group_id) + "/members";
  for (const auto& user : user_ids) {
    object body{{user.find('@') == std::string::npos ? "id" : "email", user}, {"role", role}};
    auto r = Send("POST", path, &body);
    // Already a member: what the caller wanted.
    if (!r.ok() && ClassOf(r.error()) != ErrorClass::kConflict) return std::move(r).error();
  }
  return Ok();
}

Status GoogleConnector::RemoveMembers(std::string_view group_id,
                                      std::span<const std::string> user_ids) {
  if (group_id.empty()) return Invalid("empty group id");
  for (const auto& user : user_ids) {
    auto r = Send("DELETE", "groups/" + Encode(group_id) + "/members/" + Encode(user), nullptr);
    // Not a member (memberKey not found): what the caller wanted; a missing group is an error.
    if (!r.ok() && !IsNotFoundOf(r.error(), "memberKey")) return std::move(r).error();
  }
  return Ok();
}

Result<std::optional<std::vector<std::string>>> GoogleConnector::MemberIds(
    std::string_view group_id) {
  if (group_id.empty()) return Invalid("empty group id");
  std::vector<std::string> ids;
  std::string token;
  do {
    std::string path = "groups/" + Encode(group_id) + "/members?maxResults=200";
    if (!token.empty()) path += "&pageToken=" + Encode(token);
    ASSIGN_OR_RETURN(auto body, SendForObject("GET", path, nullptr));
    if (auto* ms = body.if_contains("members"); ms && ms->is_array()) {
      for (const auto& v : ms->as_array()) {
        if (!v.is_object()) continue;
        if (auto id = json::GetString(v.as_object(), "id"); id && !id->empty()) {
          ids.emplace_back(*id);
        }
      }
    }
    token = std::string(json::GetString(body, "nextPageToken").value_or(""));
  } while (!token.empty());
  return std::optional<std::vector<std::string>>(std::move(ids));
}

Result<Page<Entitlement>> GoogleConnector::ListEntitlements(const PageRequest& page) {
  Page<Entitlement> out;
  if (page.cursor.empty()) {
    // Org units come in one answer: the API does not page them.
    ASSIGN_OR_RETURN(auto body,
                     SendForObject("GET", CustomerPath() + "/orgunits?type=all", nullptr));
    out.items.push_back(Entitlement{"/", "org_unit", "/", object{{"orgUnitPath", "/"}}});
    if (auto* units = body.if_contains("organizationUnits"); units && units->is_array()) {
      for (auto& v : units->as_array()) {
        if (!v.is_object()) continue;
        object& ou = v.as_object();
        std::string path(json::GetString(ou, "orgUnitPath").value_or(""));
        if (path.empty()) continue;
        out.items.push_back(Entitlement{path, "org_unit", path, std::move(ou)});
      }
    }
    out.next_cursor = std::string(kRolesCursor);
    return out;
  }
  if (!page.cursor.starts_with(kRolesCursor)) return Invalid("bad entitlement cursor");
  std::string token = page.cursor.substr(kRolesCursor.size());
  size_t n =
      std::clamp<size_t>(page.page_size == 0 ? kMaxRolesPage : page.page_size, 1, kMaxRolesPage);
  std::string path = CustomerPath() + "/roles?maxResults=" + std::to_string(n);
  if (!token.empty()) path += "&pageToken=" + Encode(token);
  ASSIGN_OR_RETURN(auto body, SendForObject("GET", path, nullptr));
  if (auto* items = body.if_contains("items"); items && items->is_array()) {
    for (auto& v : items->as_array()) {
      if (!v.is_object()) continue;
      object& role = v.as_object();
      std::string id(json::GetString(role, "roleId").value_or(""));
      std::string name(json::GetString(role, "roleName").value_or(id));
      if (!id.empty()) out.items.push_back(Entitlement{id, "role", name, std::move(role)});
    }
  }
  if (auto next = json::GetString(body, "nextPageToken"); next && !next->empty()) {
    out.next_cursor = std::string(kRolesCursor) + std::string(*next);
  }
  return out;
}

Status GoogleConnector::Grant(std::string_view user_id, const Entitlement& entitlement) {
  if (user_id.empty()) return Invalid("empty user id");
  if (entitlement.kind == "org_unit") {
    object body{{"orgUnitPath", entitlement.id}};
    auto r = Send("PATCH", "users/" + Encode(user_id), &body);
    if (!r.ok()) return std::move(r).error();
    return Ok();
  }
  if (entitlement.kind == "role") {
    object body{{"roleId", entitlement.id}, {"assignedTo", user_id}, {"scopeType", "CUSTOMER"}};
    auto r = Send("POST", CustomerPath() + "/roleassignments", &body);
    if (!r.ok() && ClassOf(r.error()) != ErrorClass::kConflict) return std::move(r).error();
    return Ok();
  }
  return Invalid("Google grants org_unit and role entitlements, not " + entitlement.kind);
}

Status GoogleConnector::Revoke(std::string_view user_id, const Entitlement& entitlement) {
  if (user_id.empty()) return Invalid("empty user id");
  if (entitlement.kind == "org_unit") {
    // Leaving an org unit means going back to the top one, and only when still there.
    ASSIGN_OR_RETURN(Account user, GetUser(user_id));
    if (Lower(json::GetString(user.attributes, "orgUnitPath").value_or("/")) !=
            Lower(entitlement.id) ||
        entitlement.id == "/") {
      return Ok();
    }
    object body{{"orgUnitPath", "/"}};
    auto r = Send("PATCH", "users/" + Encode(user_id), &body);
    if (!r.ok()) return std::move(r).error();
    return Ok();
  }
  if (entitlement.kind == "role") {
    std::string token;
    std::vector<std::string> ids;
    do {
      std::string path = CustomerPath() + "/roleassignments?userKey=" + Encode(user_id) +
                         "&roleId=" + Encode(entitlement.id) + "&maxResults=200";
      if (!token.empty()) path += "&pageToken=" + Encode(token);
      ASSIGN_OR_RETURN(auto body, SendForObject("GET", path, nullptr));
      if (auto* items = body.if_contains("items"); items && items->is_array()) {
        for (const auto& v : items->as_array()) {
          if (!v.is_object()) continue;
          if (auto id = json::GetString(v.as_object(), "roleAssignmentId")) ids.emplace_back(*id);
        }
      }
      token = std::string(json::GetString(body, "nextPageToken").value_or(""));
    } while (!token.empty());
    for (const auto& id : ids) {
      auto r = Send("DELETE", CustomerPath() + "/roleassignments/" + Encode(id), nullptr);
      if (!r.ok() && ClassOf(r.error()) != ErrorClass::kNotFound) return std::move(r).error();
    }
    return Ok();
  }
  return Invalid("Google grants org_unit and role entitlements, not " + entitlement.kind);
}

Result<std::unique_ptr<Connector>> OpenGoogleConnector(const ConnectorConfig& config,
                                                       const ConnectorEnv& env) {
  std::string base = config.base_url.empty() ? "https://admin.googleapis.com" : config.base_url;
  if (std::string problem = CheckHttpsOrLoopback("base_url", base); !problem.empty()) {
    return Error::InvalidArgument(problem);
  }
  ASSIGN_OR_RETURN(GoogleSettings settings, ParseGoogleSettings(config.settings));
  ASSIGN_OR_RETURN(auto auth,
                   MakeServiceAccountAuth(config.auth, env.http, env.clock, settings.timeout,
                                          settings.insecure_skip_verify));
  std::string customer(json::GetString(config.auth, "customer_id").value_or(""));
  if (customer.empty()) customer = "my_customer";
  return std::unique_ptr<Connector>(
      std::make_unique<GoogleConnector>(std::move(base), std::move(customer), std::move(settings),
                                        AuthorizedClient(env.http, std::move(auth)), env.clock));
}

}  // namespace provisio::connectors::google
