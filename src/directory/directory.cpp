#include "directory/directory.h"

#include <algorithm>
#include <cctype>

#include "core/ids.h"
#include "directory/resource_parts.h"
#include "scim/patch.h"
#include "scim/resource.h"

namespace provisio::directory {

using internal::CheckPrecondition;
using internal::OptionalString;
using internal::StoredJson;
using internal::WithIdAndMeta;

Directory::Directory(store::Store& store, const scim::SchemaRegistry& registry, const Clock& clock,
                     DirectoryLimits limits)
    : store_(store),
      user_type_(registry.FindResourceType("User")),
      group_type_(registry.FindResourceType("Group")),
      clock_(clock),
      limits_(limits) {}

Status Directory::AppendChange(store::Transaction& tx, std::string_view type, std::string_view id,
                               std::string_view op, int64_t version, boost::json::object detail) {
  store::ChangeEvent e;
  e.resource_type = type;
  e.resource_id = id;
  e.op = op;
  e.version = version;
  e.at = clock_.Now();
  e.detail = boost::json::serialize(detail);
  auto seq = store_.changes().Append(tx, e);
  if (!seq.ok()) return std::move(seq).error();
  return Ok();
}

namespace {

void SetGroups(boost::json::object& body, const std::vector<store::Membership>& memberships) {
  if (memberships.empty()) return;
  boost::json::array groups;
  groups.reserve(memberships.size());
  for (const auto& m : memberships) {
    groups.push_back(boost::json::object{{"value", m.group_id},
                                         {"display", m.display_name},
                                         {"type", m.direct ? "direct" : "indirect"}});
  }
  body["groups"] = std::move(groups);
}

}  // namespace

Result<Resource> Directory::UserWithGroups(
    const store::UserRow& row, const std::vector<store::Membership>& memberships) const {
  ASSIGN_OR_RETURN(boost::json::object body, WithIdAndMeta(row.resource, row.id, "User",
                                                           row.created, row.updated, row.version));
  SetGroups(body, memberships);
  return Resource{std::move(body), row.version};
}

Status Directory::AddGroups(store::Transaction* tx, std::string_view user_id,
                            boost::json::object& body) {
  ASSIGN_OR_RETURN(auto memberships, store_.groups().GroupsOf(tx, user_id));
  SetGroups(body, memberships);
  return Ok();
}

Result<Resource> Directory::UserFromRow(store::Transaction* tx, const store::UserRow& row,
                                        const ReadOptions& options) {
  ASSIGN_OR_RETURN(Resource r, UserWithGroups(row, {}));
  if (options.groups) RETURN_IF_ERROR(AddGroups(tx, row.id, r.body));
  return r;
}

// Fills the indexed columns from a normalised resource and writes the row.
Result<store::UserRow> Directory::StoreUser(store::Transaction& tx,
                                            const boost::json::object& normalized,
                                            const store::UserRow* existing) {
  store::UserRow row;
  TimePoint now = clock_.Now();
  if (existing) {
    row.id = existing->id;
    row.created = existing->created;
    row.version = existing->version + 1;
  } else {
    row.id = NewUuid();
    row.created = now;
    row.version = 1;
  }
  row.updated = now;
  row.user_name = OptionalString(normalized, "userName").value_or("");
  row.external_id = OptionalString(normalized, "externalId");
  row.display_name = OptionalString(normalized, "displayName").value_or("");
  if (auto it = normalized.find("active"); it != normalized.end() && it->value().is_bool()) {
    row.active = it->value().get_bool();
  }
  if (auto it = normalized.find("emails"); it != normalized.end() && it->value().is_array()) {
    for (const auto& e : it->value().get_array()) {
      if (!e.is_object()) continue;
      if (auto v = OptionalString(e.get_object(), "value")) row.emails.push_back(*v);
    }
  }
  row.resource = StoredJson(normalized);
  if (existing) {
    RETURN_IF_ERROR(store_.users().Update(tx, row));
  } else {
    RETURN_IF_ERROR(store_.users().Insert(tx, row));
  }
  RETURN_IF_ERROR(AppendChange(tx, "User", row.id, existing ? "update" : "create", row.version));
  return row;
}

namespace {

// A user written without `active` is active, as its indexed column says; the resource says so
// too, so that `active eq true` and what clients read agree with the column.
void DefaultActive(boost::json::object& normalized) {
  if (!normalized.contains("active")) normalized["active"] = true;
}

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// Whether an operation touches the derived `groups`: then the current groups must be loaded,
// so the SCIM core refuses the change to a readOnly attribute instead of seeing none.
bool TouchesGroups(const std::vector<scim::PatchOperation>& ops) {
  for (const auto& op : ops) {
    if (op.path) {
      if (op.path->attr.urn.empty() && IEquals(op.path->attr.attr, "groups")) return true;
    } else if (op.value.is_object()) {
      for (const auto& kv : op.value.get_object()) {
        if (IEquals(kv.key(), "groups")) return true;
      }
    }
  }
  return false;
}

}  // namespace

Result<Resource> Directory::CreateUser(const boost::json::object& input, store::Transaction* tx) {
  boost::json::object accepted = input;
  internal::AcceptBareManager(accepted);
  ASSIGN_OR_RETURN(boost::json::object normalized,
                   scim::NormalizeResource(accepted, *user_type_, {scim::WriteMode::kCreate}));
  DefaultActive(normalized);
  return internal::InWrite(store_, tx, [&](store::Transaction& t) -> Result<Resource> {
    ASSIGN_OR_RETURN(store::UserRow row, StoreUser(t, normalized, nullptr));
    return UserFromRow(&t, row, {.groups = false});
  });
}

Result<Resource> Directory::GetUser(std::string_view id, const ReadOptions& options) {
  ASSIGN_OR_RETURN(auto row, store_.users().Get(nullptr, id));
  if (!row) return Error::NotFound("no user with id " + std::string(id));
  return UserFromRow(nullptr, *row, options);
}

Result<Resource> Directory::ReplaceUser(std::string_view id, const boost::json::object& input,
                                        const Precondition& pre, store::Transaction* tx) {
  return internal::InWrite(store_, tx, [&](store::Transaction& t) -> Result<Resource> {
    ASSIGN_OR_RETURN(auto existing, store_.users().Get(&t, id));
    if (!existing) return Error::NotFound("no user with id " + std::string(id));
    RETURN_IF_ERROR(CheckPrecondition(pre, existing->version));
    ASSIGN_OR_RETURN(Resource current, UserFromRow(&t, *existing, {.groups = false}));
    scim::NormalizeOptions opts{scim::WriteMode::kReplace, &current.body};
    boost::json::object accepted = input;
    internal::AcceptBareManager(accepted);
    ASSIGN_OR_RETURN(boost::json::object normalized,
                     scim::NormalizeResource(accepted, *user_type_, opts));
    DefaultActive(normalized);
    if (internal::SameJson(StoredJson(normalized), existing->resource)) {
      return UserFromRow(&t, *existing, {});
    }
    ASSIGN_OR_RETURN(store::UserRow row, StoreUser(t, normalized, &*existing));
    return UserFromRow(&t, row, {});
  });
}

Result<Resource> Directory::PatchUser(std::string_view id, const boost::json::value& patch,
                                      const Precondition& pre, store::Transaction* tx) {
  boost::json::value accepted = patch;
  internal::AcceptBareManagerInPatch(accepted);
  ASSIGN_OR_RETURN(auto ops, scim::ParsePatchRequest(accepted, *user_type_));
  const bool groups = TouchesGroups(ops);
  return internal::InWrite(store_, tx, [&](store::Transaction& t) -> Result<Resource> {
    ASSIGN_OR_RETURN(auto existing, store_.users().Get(&t, id));
    if (!existing) return Error::NotFound("no user with id " + std::string(id));
    RETURN_IF_ERROR(CheckPrecondition(pre, existing->version));
    ASSIGN_OR_RETURN(Resource current, UserFromRow(&t, *existing, {.groups = groups}));
    ASSIGN_OR_RETURN(boost::json::object patched, scim::ApplyPatch(current.body, ops, *user_type_));
    // Identity providers re-send unchanged values all the time; a PATCH that changes nothing
    // writes nothing and leaves the version (and the change feed) alone. Key order may differ
    // after normalisation, so the documents are compared, not their text.
    if (internal::SameJson(StoredJson(patched), existing->resource)) {
      return UserFromRow(&t, *existing, {});
    }
    ASSIGN_OR_RETURN(store::UserRow row, StoreUser(t, patched, &*existing));
    return UserFromRow(&t, row, {});
  });
}

Status Directory::DeleteUser(std::string_view id, const Precondition& pre, store::Transaction* tx) {
  return internal::InWrite(store_, tx, [&](store::Transaction& t) -> Status {
    ASSIGN_OR_RETURN(auto existing, store_.users().Get(&t, id));
    if (!existing) return Error::NotFound("no user with id " + std::string(id));
    RETURN_IF_ERROR(CheckPrecondition(pre, existing->version));
    // Memberships go too; their groups' change events tell provisioning which groups changed.
    ASSIGN_OR_RETURN(auto memberships, store_.groups().GroupsOf(&t, id));
    RETURN_IF_ERROR(store_.users().Delete(t, id));
    for (const auto& m : memberships) {
      if (!m.direct) continue;
      RETURN_IF_ERROR(AppendChange(t, "Group", m.group_id, "members", 0,
                                   {{"removed", boost::json::array{boost::json::string(id)}}}));
    }
    return AppendChange(t, "User", id, "delete", existing->version + 1);
  });
}

}  // namespace provisio::directory
