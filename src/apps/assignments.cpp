#include "apps/assignments.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/ids.h"

namespace provisio::apps {
namespace {

// The selected ids, each one the application has (imported by Import/Sync into the store's
// entitlements); unknown_entitlement names the first that is not.
Result<std::string> ReadEntitlements(const Input& body, store::Store& store,
                                     std::string_view application_id) {
  ASSIGN_OR_RETURN(auto list, body.OptStringList("entitlements", kMaxEntitlements, 256));
  boost::json::array out;
  if (!list || list->empty()) return boost::json::serialize(out);
  ASSIGN_OR_RETURN(auto known, store.entitlements().List(application_id));
  for (size_t i = 0; i < list->size(); ++i) {
    const std::string& id = (*list)[i];
    bool found = std::any_of(known.begin(), known.end(), [&](const store::EntitlementRow& e) {
      return e.entitlement_id == id;
    });
    if (!found) {
      return Reject(Code::kInvalidValue, "unknown_entitlement",
                    "the application has no entitlement '" + id +
                        "' (GET /api/v1/applications/{id}/entitlements lists what an import "
                        "found)",
                    {{"field", "entitlements[" + std::to_string(i) + "]"},
                     {"entitlement_id", id},
                     {"application_id", application_id}});
    }
    out.emplace_back(id);
  }
  return boost::json::serialize(out);
}

}  // namespace

Result<store::AssignmentRow> NewAssignment(const Input& body, std::string_view application_id,
                                           store::Store& store, store::Transaction& tx,
                                           TimePoint now) {
  RETURN_IF_ERROR(body.AllowOnly({"user_id", "group_id", "entitlements"}));
  ASSIGN_OR_RETURN(auto user_id, body.OptString("user_id", 256));
  ASSIGN_OR_RETURN(auto group_id, body.OptString("group_id", 256));
  if (user_id.has_value() == group_id.has_value()) {
    return Reject(Code::kInvalidArgument, user_id ? "conflicting_fields" : "missing_field",
                  "give exactly one of user_id and group_id", {{"field", "user_id"}});
  }
  store::AssignmentRow a;
  // Shape first, existence second: a malformed body is a 400 whatever it names.
  ASSIGN_OR_RETURN(auto shape, body.OptStringList("entitlements", kMaxEntitlements, 256));
  (void)shape;
  if (user_id) {
    ASSIGN_OR_RETURN(auto user, store.users().Get(&tx, *user_id));
    if (!user) {
      return Reject(Code::kInvalidValue, "unknown_user", "no user with id " + *user_id,
                    {{"field", "user_id"}});
    }
    a.principal_type = "user";
    a.principal_id = *user_id;
  } else {
    ASSIGN_OR_RETURN(auto group, store.groups().Get(&tx, *group_id));
    if (!group) {
      return Reject(Code::kInvalidValue, "unknown_group", "no group with id " + *group_id,
                    {{"field", "group_id"}});
    }
    a.principal_type = "group";
    a.principal_id = *group_id;
  }
  ASSIGN_OR_RETURN(a.entitlements, ReadEntitlements(body, store, application_id));
  a.id = NewUuid();
  a.application_id = std::string(application_id);
  a.created = a.updated = now;
  return a;
}

Result<store::AssignmentRow> UpdatedAssignment(const store::AssignmentRow& current,
                                               const Input& body, store::Store& store,
                                               TimePoint now) {
  RETURN_IF_ERROR(body.AllowOnly({"user_id", "group_id", "entitlements"}));
  for (std::string_view key : {"user_id", "group_id"}) {
    if (body.Has(key)) {
      return Reject(Code::kInvalidArgument, "immutable_field",
                    std::string(key) + " cannot change; assign anew instead", {{"field", key}});
    }
  }
  store::AssignmentRow a = current;
  if (body.Has("entitlements")) {
    ASSIGN_OR_RETURN(a.entitlements, ReadEntitlements(body, store, current.application_id));
  }
  a.updated = now;
  return a;
}

boost::json::object AssignmentJson(const store::AssignmentRow& a) {
  boost::json::object o;
  o["id"] = a.id;
  o["application_id"] = a.application_id;
  if (a.principal_type == "user") {
    o["user_id"] = a.principal_id;
  } else {
    o["group_id"] = a.principal_id;
  }
  boost::system::error_code ec;
  auto ents = boost::json::parse(a.entitlements, ec);
  o["entitlements"] = (!ec && ents.is_array()) ? ents : boost::json::array{};
  o["created"] = FormatRfc3339(a.created);
  o["updated"] = FormatRfc3339(a.updated);
  return o;
}

}  // namespace provisio::apps
