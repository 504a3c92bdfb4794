#include "connectors/salesforce/salesforce_connector.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <cctype>
#include <charconv>

#include "connectors/auth/auth_provider.h"
#include "connectors/error_class.h"
#include "connectors/salesforce/salesforce_auth.h"
#include "connectors/salesforce/salesforce_errors.h"
#include "core/json.h"
#include "core/url.h"

namespace provisio::connectors::salesforce {
namespace {

using boost::json::object;
using boost::json::value;

constexpr std::string_view kUserFields =
    "Id, Username, FirstName, LastName, Email, Alias, CommunityNickname, FederationIdentifier, "
    "IsActive, ProfileId, UserRoleId, TimeZoneSidKey, LocaleSidKey, EmailEncodingKey, "
    "LanguageLocaleKey, Title, Department, EmployeeNumber, ManagerId";

// Never sent: the server owns them (sending one is INVALID_FIELD_FOR_INSERT_UPDATE).
constexpr std::array<std::string_view, 17> kReadOnly{
    "Id", "attributes", "Name", "CreatedDate", "CreatedById", "LastModifiedDate",
    "LastModifiedById", "SystemModstamp", "UserType", "LastLoginDate", "LastPasswordChangeDate",
    "FullPhotoUrl", "SmallPhotoUrl", "MediumPhotoUrl", "BannerPhotoUrl", "IsProfilePhotoActive",
    // UserLogin's, read along when freezing
    "IsFrozen"};

// Optional fields a full replace clears when the desired user leaves them out.
constexpr std::array<std::string_view, 22> kClearable{"FirstName",
                                                      "MiddleName",
                                                      "Suffix",
                                                      "Title",
                                                      "Department",
                                                      "Division",
                                                      "CompanyName",
                                                      "EmployeeNumber",
                                                      "Phone",
                                                      "MobilePhone",
                                                      "Fax",
                                                      "Extension",
                                                      "Street",
                                                      "City",
                                                      "State",
                                                      "PostalCode",
                                                      "Country",
                                                      "CommunityNickname",
                                                      "FederationIdentifier",
                                                      "UserRoleId",
                                                      "ManagerId",
                                                      "AboutMe"};

struct EntitlementSource {
  std::string_view kind;
  std::string_view soql;
  std::string_view name_field;
};

constexpr std::array<EntitlementSource, 3> kEntitlementSources{
    EntitlementSource{"profile", "SELECT Id, Name, UserType FROM Profile", "Name"},
    EntitlementSource{"role",
                      "SELECT Id, Name, DeveloperName, ParentRoleId, RollupDescription FROM "
                      "UserRole",
                      "Name"},
    EntitlementSource{"permission_set",
                      "SELECT Id, Name, Label FROM PermissionSet WHERE IsOwnedByProfile = false",
                      "Label"}};

bool ReadOnly(std::string_view field) {
  return std::find(kReadOnly.begin(), kReadOnly.end(), field) != kReadOnly.end();
}

std::string Encode(std::string_view s) {
  return boost::urls::encode(s, boost::urls::unreserved_chars);
}

Error Invalid(std::string message) {
  return ClassifiedError(ErrorClass::kInvalid, std::move(message));
}

bool IsFieldName(std::string_view s) {
  if (s.empty() || !std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
  });
}

// Salesforce ids are 15 or 18 alphanumerics; anything else never reaches a URL or SOQL.
bool IsId(std::string_view s) {
  return (s.size() == 15 || s.size() == 18) && std::all_of(s.begin(), s.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) != 0;
         });
}

Result<object> ParseObject(const http::HttpResponse& r, std::string_view what) {
  auto v = json::Parse(r.body);
  if (!v.ok() || !v->is_object()) {
    return ClassifiedError(
        ErrorClass::kFatal,
        std::string(what) + " answered " + std::to_string(r.status) + " without a JSON object",
        {r.status, std::nullopt});
  }
  return std::move(v->as_object());
}

Account ToAccount(object record) {
  record.erase("attributes");
  Account a;
  a.id = std::string(json::GetString(record, "Id").value_or(""));
  a.attributes = std::move(record);
  return a;
}

std::vector<object> Records(const object& answer) {
  std::vector<object> out;
  if (const auto* r = answer.if_contains("records"); r != nullptr && r->is_array()) {
    for (const auto& v : r->as_array()) {
      if (v.is_object()) out.push_back(v.as_object());
    }
  }
  return out;
}

// The Alias Salesforce requires (at most 8 characters): the user name's local part.
std::string AliasFor(std::string_view username) {
  std::string alias;
  for (char c : username.substr(0, username.find('@'))) {
    if (alias.size() == 8) break;
    if (std::isalnum(static_cast<unsigned char>(c))) alias += c;
  }
  return alias.empty() ? "user" : alias;
}

// "api-usage=18/5000" (and maybe "; api-bursts=..."): used and limit.
std::optional<std::pair<int64_t, int64_t>> ParseLimitInfo(std::string_view v) {
  auto at = v.find("api-usage=");
  if (at == std::string_view::npos) return std::nullopt;
  v.remove_prefix(at + 10);
  int64_t used = 0;
  int64_t limit = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), used);
  if (ec != std::errc() || p == v.data() + v.size() || *p != '/') return std::nullopt;
  auto [q, ec2] = std::from_chars(p + 1, v.data() + v.size(), limit);
  if (ec2 != std::errc() || limit <= 0) return std::nullopt;
  return std::make_pair(used, limit);
}

}  // namespace

std::string EscapeSoql(std::string_view value) {
  std::string out;
  for (char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\'':
        out += "\\'";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        out += c;
    }
  }
  return out;
}

SalesforceConnector::SalesforceConnector(SalesforceSettings settings, AuthorizedClient client,
                                         const Clock& clock)
    : settings_(std::move(settings)), client_(std::move(client)), clock_(clock) {}

Result<http::HttpResponse> SalesforceConnector::Send(std::string_view method,
                                                     const std::string& path, const value* body,
                                                     bool query_options, size_t batch) {
  int64_t now_us = clock_.Now().time_since_epoch().count();
  if (int64_t until = paused_until_us_.load(); now_us < until) {
    return ClassifiedError(ErrorClass::kRateLimited,
                           "the org's daily API allocation is nearly used up; pausing",
                           {0, std::chrono::milliseconds((until - now_us) / 1000)});
  }
  http::HttpRequest req;
  req.method = std::string(method);
  req.url = path;  // a bare path: the auth provider sends it to the instance_url
  req.timeout = settings_.timeout;
  req.insecure_skip_verify = settings_.insecure_skip_verify;
  req.SetHeader("Accept", "application/json");
  if (query_options) {
    size_t n =
        std::clamp<size_t>(batch == 0 ? settings_.page_size : batch, 200, settings_.page_size);
    req.SetHeader("Sforce-Query-Options", "batchSize=" + std::to_string(n));
  }
  if (body != nullptr) {
    req.SetHeader("Content-Type", "application/json");
    req.body = boost::json::serialize(*body);
  }
  ASSIGN_OR_RETURN(http::HttpResponse r, client_.Send(std::move(req)));
  if (auto info = r.Header("Sforce-Limit-Info"); info && settings_.limit_reserve > 0) {
    if (auto usage = ParseLimitInfo(*info)) {
      double left = 1.0 - static_cast<double>(usage->first) / static_cast<double>(usage->second);
      if (left < settings_.limit_reserve) {
        spdlog::warn("salesforce: {} of the daily API allocation left; pausing {} s",
                     std::max(0.0, left), settings_.limit_pause.count());
        paused_until_us_.store(
            now_us +
            std::chrono::duration_cast<std::chrono::microseconds>(settings_.limit_pause).count());
      }
    }
  }
  if (r.status < 200 || r.status > 299) {
    std::string what = std::string(method) + " " + path.substr(0, path.find('?'));
    return ClassifySalesforceResponse(r, what, clock_.Now());
  }
  return r;
}

Result<object> SalesforceConnector::Query(const std::string& soql, size_t batch) {
  ASSIGN_OR_RETURN(auto r, Send("GET", Api() + "/query?q=" + Encode(soql), nullptr, true, batch));
  return ParseObject(r, "GET query");
}

Result<object> SalesforceConnector::QueryMore(const std::string& next_records_url) {
  // Only a locator this org handed out: never an arbitrary URL from a stored cursor.
  if (!next_records_url.starts_with("/services/data/") ||
      next_records_url.find("/query/") == std::string::npos ||
      next_records_url.find_first_of("?#@ ") != std::string::npos) {
    return Invalid("bad page cursor");
  }
  ASSIGN_OR_RETURN(auto r, Send("GET", next_records_url, nullptr));
  return ParseObject(r, "GET query locator");
}

Result<std::string> SalesforceConnector::DefaultProfileId() {
  {
    std::lock_guard lock(mu_);
    if (default_profile_id_) return *default_profile_id_;
  }
  std::string id;
  if (IsId(settings_.default_profile) && settings_.default_profile.starts_with("00e")) {
    id = settings_.default_profile;
  } else {
    ASSIGN_OR_RETURN(object answer, Query("SELECT Id FROM Profile WHERE Name = '" +
                                          EscapeSoql(settings_.default_profile) + "'"));
    auto records = Records(answer);
    if (records.size() != 1) {
      return Invalid("settings.default_profile: no single Profile named \"" +
                     settings_.default_profile + "\"");
    }
    id = std::string(json::GetString(records[0], "Id").value_or(""));
  }
  std::lock_guard lock(mu_);
  default_profile_id_ = id;
  return id;
}

Capabilities SalesforceConnector::capabilities() {
  Capabilities c;
  c.create_users = c.update_users = c.patch_users = c.disable_users = true;
  c.list_users = c.filter_users = true;
  c.delete_users = false;  // Salesforce users cannot be deleted; DeleteUser deactivates
  c.entitlements = true;
  c.max_page_size = settings_.page_size;
  c.batch = settings_.collection_size > 1;
  c.max_batch = c.batch ? settings_.collection_size : 0;
  // Deactivating is a field update (IsActive=false) a collection carries; freezing is a
  // UserLogin update per user, done one by one.
  c.batch_deprovision = c.batch && settings_.deactivates() && !settings_.freezes();
  return c;
}

Status SalesforceConnector::Test() {
  ASSIGN_OR_RETURN(object answer, Query("SELECT Id FROM User LIMIT 1"));
  if (!answer.contains("totalSize")) {
    return ClassifiedError(ErrorClass::kFatal, "query did not answer a query result");
  }
  return Ok();
}

Result<object> SalesforceConnector::CreateBody(const object& desired) {
  object body;
  for (const auto& [k, v] : desired) {
    if (!ReadOnly(k)) body[k] = v;
  }
  auto missing = [&](std::string_view key) {
    const auto* v = body.if_contains(key);
    return v == nullptr || v->is_null() || (v->is_string() && v->as_string().empty());
  };
  std::string username(json::GetString(body, "Username").value_or(""));
  if (missing("Alias") && !username.empty()) body["Alias"] = AliasFor(username);
  if (missing("TimeZoneSidKey")) body["TimeZoneSidKey"] = settings_.time_zone;
  if (missing("LocaleSidKey")) body["LocaleSidKey"] = settings_.locale;
  if (missing("EmailEncodingKey")) body["EmailEncodingKey"] = settings_.email_encoding;
  if (missing("LanguageLocaleKey")) body["LanguageLocaleKey"] = settings_.language;
  if (missing("ProfileId")) {
    ASSIGN_OR_RETURN(body["ProfileId"], DefaultProfileId());
  }
  return body;
}

Result<Account> SalesforceConnector::CreateUser(const object& desired) {
  ASSIGN_OR_RETURN(object body, CreateBody(desired));
  value v = body;
  ASSIGN_OR_RETURN(auto r, Send("POST", Api() + "/sobjects/User", &v));
  ASSIGN_OR_RETURN(object answer, ParseObject(r, "POST sobjects/User"));
  auto id = json::GetString(answer, "id");
  if (!id || id->empty()) {
    return ClassifiedError(ErrorClass::kFatal, "POST sobjects/User answered no id");
  }
  Account a;
  a.id = std::string(*id);
  if (!body.contains("IsActive")) body["IsActive"] = true;
  body["Id"] = a.id;
  a.attributes = std::move(body);
  return a;
}

Result<Account> SalesforceConnector::GetUser(std::string_view id) {
  if (id.empty()) return Invalid("empty id");
  ASSIGN_OR_RETURN(auto r, Send("GET", Api() + "/sobjects/User/" + Encode(id), nullptr));
  ASSIGN_OR_RETURN(object record, ParseObject(r, "GET sobjects/User"));
  if (settings_.freezes()) {
    // Read along, so that an account coming back (PatchUser from this reading) is unfrozen.
    ASSIGN_OR_RETURN(bool frozen, IsFrozen(id));
    record["IsFrozen"] = frozen;
  }
  return ToAccount(std::move(record));
}

Result<std::optional<Account>> SalesforceConnector::FindUser(std::string_view attribute,
                                                             std::string_view value) {
  std::string field(attribute.empty() ? settings_.matching_attribute : attribute);
  if (!IsFieldName(field)) return Invalid("not a User field name: " + field);
  // LIMIT 2: enough to tell one match from several.
  ASSIGN_OR_RETURN(object answer, Query("SELECT " + std::string(kUserFields) + " FROM User WHERE " +
                                        field + " = '" + EscapeSoql(value) + "' LIMIT 2"));
  auto records = Records(answer);
  if (records.empty()) return std::optional<Account>();
  if (records.size() > 1) {
    return ClassifiedError(ErrorClass::kConflict, "several Users match " + field);
  }
  return std::optional<Account>(ToAccount(std::move(records.front())));
}

std::vector<Result<std::optional<Account>>> SalesforceConnector::FindUsers(
    std::string_view attribute, std::span<const std::string> values) {
  constexpr size_t kValuesPerQuery = 100;
  std::string field(attribute.empty() ? settings_.matching_attribute : attribute);
  std::vector<Result<std::optional<Account>>> out;
  out.reserve(values.size());
  if (!IsFieldName(field)) {
    for (size_t j = 0; j < values.size(); ++j) out.push_back(Invalid("not a User field name"));
    return out;
  }
  auto lower = [](std::string_view s) {
    std::string l(s);
    std::transform(l.begin(), l.end(), l.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return l;
  };
  for (size_t from = 0; from < values.size(); from += kValuesPerQuery) {
    auto chunk = values.subspan(from, std::min(kValuesPerQuery, values.size() - from));
    std::string in;
    for (const auto& v : chunk) in += (in.empty() ? "'" : ",'") + EscapeSoql(v) + "'";
    auto answer = Query("SELECT " + std::string(kUserFields) + " FROM User WHERE " + field +
                        " IN (" + in + ")");
    if (!answer.ok() && ClassOf(answer.error()) != ErrorClass::kInvalid) {
      for (size_t j = 0; j < chunk.size(); ++j) out.push_back(answer.error());
      continue;
    }
    if (!answer.ok() || !json::GetBool(*answer, "done").value_or(true)) {
      // Refused as a query, or more than one page: value by value.
      for (const auto& v : chunk) out.push_back(FindUser(field, v));
      continue;
    }
    std::vector<std::vector<object>> found(chunk.size());
    for (auto& rec : Records(*answer)) {
      std::string have = lower(json::GetString(rec, field).value_or(""));
      for (size_t j = 0; j < chunk.size(); ++j) {
        if (lower(chunk[j]) == have) found[j].push_back(rec);
      }
    }
    for (auto& f : found) {
      if (f.empty()) {
        out.push_back(std::optional<Account>());
      } else if (f.size() > 1) {
        out.push_back(ClassifiedError(ErrorClass::kConflict, "several Users match " + field));
      } else {
        out.push_back(std::optional<Account>(ToAccount(std::move(f.front()))));
      }
    }
  }
  return out;
}

Status SalesforceConnector::Patch(std::string_view id, const object& changes) {
  if (id.empty()) return Invalid("empty id");
  value v = changes;
  auto r = Send("PATCH", Api() + "/sobjects/User/" + Encode(id), &v);
  if (!r.ok()) return std::move(r).error();
  return Ok();
}

object SalesforceConnector::Changes(const object& current, const object& desired) {
  object changes;
  for (const auto& [k, v] : desired) {
    if (ReadOnly(k)) continue;
    const auto* now = current.if_contains(k);
    bool same = now != nullptr ? *now == v : v.is_null();
    if (!same) changes[k] = v;
  }
  return changes;
}

Result<Account> SalesforceConnector::PatchUser(std::string_view id, const object& current,
                                               const object& desired) {
  object changes = Changes(current, desired);
  object merged = current;
  for (const auto& [k, v] : changes) merged[k] = v;
  if (!changes.empty()) RETURN_IF_ERROR(Patch(id, changes));
  // A frozen account wanted active again (back in scope): unfrozen.
  if (json::GetBool(current, "IsFrozen").value_or(false) &&
      json::GetBool(desired, "IsActive").value_or(true)) {
    RETURN_IF_ERROR(SetFrozen(id, false));
    merged["IsFrozen"] = false;
  }
  Account a;
  a.id = std::string(id);
  a.attributes = std::move(merged);
  return a;
}

Result<Account> SalesforceConnector::ReplaceUser(std::string_view id, const object& desired) {
  ASSIGN_OR_RETURN(Account current, GetUser(id));
  object full = desired;
  for (std::string_view field : kClearable) {
    const auto* v = current.attributes.if_contains(field);
    if (!desired.contains(field) && v != nullptr && !v->is_null()) full[field] = nullptr;
  }
  return PatchUser(id, current.attributes, full);
}

Status SalesforceConnector::DisableUser(std::string_view id) {
  if (settings_.freezes()) RETURN_IF_ERROR(SetFrozen(id, true));
  if (settings_.deactivates()) return Patch(id, object{{"IsActive", false}});
  return Ok();
}

Result<bool> SalesforceConnector::IsFrozen(std::string_view user_id) {
  if (user_id.empty()) return Invalid("empty id");
  ASSIGN_OR_RETURN(object answer, Query("SELECT Id, IsFrozen FROM UserLogin WHERE UserId = '" +
                                        EscapeSoql(user_id) + "'"));
  bool frozen = false;
  for (const auto& login : Records(answer)) {
    frozen = frozen || json::GetBool(login, "IsFrozen").value_or(false);
  }
  return frozen;
}

Status SalesforceConnector::SetFrozen(std::string_view user_id, bool frozen) {
  if (user_id.empty()) return Invalid("empty id");
  ASSIGN_OR_RETURN(object answer, Query("SELECT Id, IsFrozen FROM UserLogin WHERE UserId = '" +
                                        EscapeSoql(user_id) + "'"));
  auto logins = Records(answer);
  if (logins.empty()) {
    return ClassifiedError(ErrorClass::kNotFound, "no UserLogin for user " + std::string(user_id));
  }
  for (const auto& login : logins) {
    if (json::GetBool(login, "IsFrozen").value_or(false) == frozen) continue;
    std::string login_id(json::GetString(login, "Id").value_or(""));
    value body = object{{"IsFrozen", frozen}};
    ASSIGN_OR_RETURN(auto r,
                     Send("PATCH", Api() + "/sobjects/UserLogin/" + Encode(login_id), &body));
    (void)r;
  }
  return Ok();
}

Status SalesforceConnector::DeleteUser(std::string_view id) { return DisableUser(id); }

Result<Page<Account>> SalesforceConnector::ListUsers(const PageRequest& page) {
  object answer;
  if (page.cursor.empty()) {
    // Standard users only: not the org's automated, guest and portal users.
    ASSIGN_OR_RETURN(answer, Query("SELECT " + std::string(kUserFields) +
                                       " FROM User WHERE UserType = 'Standard'",
                                   page.page_size));
  } else {
    ASSIGN_OR_RETURN(answer, QueryMore(page.cursor));
  }
  Page<Account> out;
  for (auto& r : Records(answer)) out.items.push_back(ToAccount(std::move(r)));
  if (auto total = json::GetInt(answer, "totalSize")) out.total = static_cast<uint64_t>(*total);
  if (!json::GetBool(answer, "done").value_or(true)) {
    out.next_cursor = std::string(json::GetString(answer, "nextRecordsUrl").value_or(""));
  }
  return out;
}

Result<Page<Entitlement>> SalesforceConnector::ListEntitlements(const PageRequest& page) {
  // Cursor: "<source>" to start that source, "<source>|<nextRecordsUrl>" inside it.
  size_t source = 0;
  std::string next;
  if (!page.cursor.empty()) {
    auto bar = page.cursor.find('|');
    std::string_view head = std::string_view(page.cursor).substr(0, bar);
    auto [p, ec] = std::from_chars(head.data(), head.data() + head.size(), source);
    if (ec != std::errc() || p != head.data() + head.size() ||
        source >= kEntitlementSources.size()) {
      return Invalid("bad page cursor");
    }
    if (bar != std::string::npos) next = page.cursor.substr(bar + 1);
  }
  const EntitlementSource& s = kEntitlementSources[source];
  object answer;
  if (next.empty()) {
    ASSIGN_OR_RETURN(answer, Query(std::string(s.soql), page.page_size));
  } else {
    ASSIGN_OR_RETURN(answer, QueryMore(next));
  }
  Page<Entitlement> out;
  for (auto& r : Records(answer)) {
    r.erase("attributes");
    Entitlement e;
    e.id = std::string(json::GetString(r, "Id").value_or(""));
    e.kind = std::string(s.kind);
    e.display_name = std::string(json::GetString(r, s.name_field).value_or(""));
    e.attributes = std::move(r);
    out.items.push_back(std::move(e));
  }
  if (!json::GetBool(answer, "done").value_or(true)) {
    out.next_cursor = std::to_string(source) + "|" +
                      std::string(json::GetString(answer, "nextRecordsUrl").value_or(""));
  } else if (source + 1 < kEntitlementSources.size()) {
    out.next_cursor = std::to_string(source + 1);
  }
  return out;
}

namespace {

// The entitlement's kind, or the one its id's key prefix names.
std::string KindOf(const Entitlement& e) {
  if (!e.kind.empty()) return e.kind;
  if (e.id.starts_with("00e")) return "profile";
  if (e.id.starts_with("00E")) return "role";
  if (e.id.starts_with("0PS")) return "permission_set";
  return "";
}

}  // namespace

Status SalesforceConnector::Grant(std::string_view user_id, const Entitlement& entitlement) {
  if (!IsId(user_id) || !IsId(entitlement.id)) return Invalid("not a Salesforce id");
  std::string kind = KindOf(entitlement);
  if (kind == "profile") return Patch(user_id, object{{"ProfileId", entitlement.id}});
  if (kind == "role") return Patch(user_id, object{{"UserRoleId", entitlement.id}});
  if (kind != "permission_set") return Invalid("unknown entitlement kind \"" + kind + "\"");
  value body = object{{"AssigneeId", user_id}, {"PermissionSetId", entitlement.id}};
  auto r = Send("POST", Api() + "/sobjects/PermissionSetAssignment", &body);
  if (!r.ok() && ClassOf(r.error()) != ErrorClass::kConflict) return std::move(r).error();
  return Ok();  // a conflict: already assigned
}

Status SalesforceConnector::Revoke(std::string_view user_id, const Entitlement& entitlement) {
  if (!IsId(user_id) || !IsId(entitlement.id)) return Invalid("not a Salesforce id");
  std::string kind = KindOf(entitlement);
  if (kind == "profile") return Ok();
  if (kind == "role") {
    ASSIGN_OR_RETURN(
        auto r, Send("GET", Api() + "/sobjects/User/" + std::string(user_id) + "?fields=UserRoleId",
                     nullptr));
    ASSIGN_OR_RETURN(object user, ParseObject(r, "GET sobjects/User"));
    auto role = json::GetString(user, "UserRoleId");
    // Only the role being revoked: another one granted since stays.
    if (!role || role->substr(0, 15) != std::string_view(entitlement.id).substr(0, 15)) {
      return Ok();
    }
    return Patch(user_id, object{{"UserRoleId", nullptr}});
  }
  if (kind != "permission_set") return Invalid("unknown entitlement kind \"" + kind + "\"");
  ASSIGN_OR_RETURN(
      object answer,
      Query("SELECT Id FROM PermissionSetAssignment WHERE AssigneeId = '" + std::string(user_id) +
            "' AND PermissionSetId = '" + entitlement.id + "'"));
  for (const auto& r : Records(answer)) {
    std::string id(json::GetString(r, "Id").value_or(""));
    if (!IsId(id)) continue;
    auto d = Send("DELETE", Api() + "/sobjects/PermissionSetAssignment/" + id, nullptr);
    if (!d.ok() && ClassOf(d.error()) != ErrorClass::kNotFound) return std::move(d).error();
  }
  return Ok();
}

Result<std::unique_ptr<Connector>> OpenSalesforceConnector(const ConnectorConfig& config,
                                                           const ConnectorEnv& env) {
  ASSIGN_OR_RETURN(SalesforceSettings settings, ParseSalesforceSettings(config.settings));
  auto get = [&](std::string_view key) {
    return std::string(json::GetString(config.auth, key).value_or(""));
  };
  auto required = [&](std::string_view key) -> Result<std::string> {
    std::string v = get(key);
    if (v.empty()) return Error::InvalidArgument("auth: \"" + std::string(key) + "\" is required");
    return v;
  };
  std::string login_url = get("login_url").empty() ? config.base_url : get("login_url");
  while (!login_url.empty() && login_url.back() == '/') login_url.pop_back();
  SalesforceAuthOptions o;
  o.timeout = settings.timeout;
  o.insecure_skip_verify = settings.insecure_skip_verify;
  o.token_url = login_url + "/services/oauth2/token";
  std::string kind = get("kind");
  ASSIGN_OR_RETURN(o.client_id, required("client_id"));
  if (kind == "salesforce_jwt_bearer") {
    o.grant = Grant::kJwtBearer;
    ASSIGN_OR_RETURN(o.username, required("username"));
    ASSIGN_OR_RETURN(std::string pem, required("private_key"));
    ASSIGN_OR_RETURN(RsaSigner signer, RsaSigner::FromPem(pem));
    o.signer = std::move(signer);
    o.audience = get("audience").empty() ? AudienceFor(login_url) : get("audience");
  } else if (kind == "oauth2_client_credentials") {
    o.grant = Grant::kClientCredentials;
    ASSIGN_OR_RETURN(o.client_secret, required("client_secret"));
    if (!get("token_url").empty()) o.token_url = get("token_url");
  } else if (kind == "salesforce_username_password") {
    o.grant = Grant::kPassword;
    ASSIGN_OR_RETURN(o.client_secret, required("client_secret"));
    ASSIGN_OR_RETURN(o.username, required("username"));
    ASSIGN_OR_RETURN(o.password, required("password"));
  } else {
    return Error::InvalidArgument("auth: kind \"" + kind +
                                  "\" is not one Salesforce accepts (salesforce_jwt_bearer, "
                                  "oauth2_client_credentials, salesforce_username_password)");
  }
  // Credentials go there: https, or http only to a loopback emulator.
  if (std::string problem =
          CheckHttpsOrLoopback(get("token_url").empty() ? "login_url" : "token_url", o.token_url);
      !problem.empty()) {
    return Error::InvalidArgument(problem);
  }
  auto auth = std::make_unique<SalesforceAuth>(std::move(o), env.http, env.clock);
  return std::unique_ptr<Connector>(std::make_unique<SalesforceConnector>(
      std::move(settings), AuthorizedClient(env.http, std::move(auth)), env.clock));
}

}  // namespace provisio::connectors::salesforce
