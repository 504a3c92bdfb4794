#include <set>

#include "core/ids.h"
#include "directory/directory.h"
#include "directory/resource_parts.h"
#include "scim/patch.h"
#include "scim/resource.h"

namespace provisio::directory {

using internal::CheckPrecondition;
using internal::InWrite;
using internal::OptionalString;
using internal::StoredJson;
using internal::WithIdAndMeta;

namespace {

// The member ids named by a resource's "members" array.
Result<std::vector<std::string>> MemberIds(const boost::json::object& resource) {
  std::vector<std::string> ids;
  auto it = resource.find("members");
  if (it == resource.end() || it->value().is_null()) return ids;
  if (!it->value().is_array()) return Error(Code::kInvalidValue, "members must be an array");
  std::set<std::string> seen;
  for (const auto& m : it->value().get_array()) {
    auto value = m.is_object() ? OptionalString(m.get_object(), "value") : std::nullopt;
    if (!value || value->empty()) {
      return Error(Code::kInvalidValue, "each member needs a value (the member's id)");
    }
    if (seen.insert(*value).second) ids.push_back(*value);
  }
  return ids;
}

// The current direct member ids of a group (for change events that must name who left).
Result<std::vector<std::string>> CurrentMembers(store::Store& store, store::Transaction& tx,
                                                std::string_view group_id) {
  std::vector<std::string> ids;
  RETURN_IF_ERROR(store.groups().ListMembers(&tx, group_id, "", [&](const store::MemberRow& m) {
    ids.push_back(m.member_id);
    return true;
  }));
  return ids;
}

std::vector<std::string> Minus(const std::vector<std::string>& a,
                               const std::vector<std::string>& b) {
  std::set<std::string> drop(b.begin(), b.end());
  std::vector<std::string> out;
  for (const auto& x : a) {
    if (!drop.count(x)) out.push_back(x);
  }
  return out;
}

boost::json::array ToJsonArray(const std::vector<std::string>& ids) {
  boost::json::array a;
  a.reserve(ids.size());
  for (const auto& id : ids) a.emplace_back(id);
  return a;
}

}  // namespace

Result<Resource> Directory::GroupFromRow(store::Transaction* tx, const store::GroupRow& row,
                                         const ReadOptions& options) {
  ASSIGN_OR_RETURN(boost::json::object body, WithIdAndMeta(row.resource, row.id, "Group",
                                                           row.created, row.updated, row.version));
  if (options.members) RETURN_IF_ERROR(AddMembers(tx, row.id, body));
  return Resource{std::move(body), row.version};
}

Status Directory::AddMembers(store::Transaction* tx, std::string_view group_id,
                             boost::json::object& body) {
  boost::json::array members;
  RETURN_IF_ERROR(store_.groups().ListMembers(tx, group_id, "", [&](const store::MemberRow& m) {
    members.push_back(boost::json::object{{"value", m.member_id}, {"type", m.type}});
    return true;
  }));
  if (members.empty()) return Ok();
  // Keep meta last, as clients print it.
  boost::json::value meta = body["meta"];
  body.erase("meta");
  body["members"] = std::move(members);
  body["meta"] = std::move(meta);
  return Ok();
}

Result<std::vector<store::MemberRow>> Directory::ResolveMembers(
    store::Transaction& tx, std::string_view group_id, const std::vector<std::string>& ids) {
  std::vector<store::MemberRow> rows;
  rows.reserve(ids.size());
  for (const auto& id : ids) {
    ASSIGN_OR_RETURN(auto user, store_.users().Get(&tx, id));
    if (user) {
      rows.push_back({id, "User"});
      continue;
    }
    ASSIGN_OR_RETURN(auto group, store_.groups().Get(&tx, id));
    if (!group) {
      return Error(Code::kInvalidValue, "member " + id + " is neither a user nor a group",
                   {{"member", id}});
    }
    ASSIGN_OR_RETURN(bool cycle, store_.groups().IsWithin(tx, group_id, id));
    if (cycle) {
      return Error(Code::kInvalidValue,
                   "group " + id + " cannot be a member: it contains this group (a cycle)",
                   {{"member", id}});
    }
    rows.push_back({id, "Group"});
  }
  return rows;
}

namespace {

store::GroupRow GroupRowFrom(const boost::json::object& normalized, std::string id,
                             TimePoint created, TimePoint now, int64_t version) {
  store::GroupRow row;
  row.id = std::move(id);
  row.display_name = OptionalString(normalized, "displayName").value_or("");
  row.external_id = OptionalString(normalized, "externalId");
  row.created = created;
  row.updated = now;
  row.version = version;
  row.resource = StoredJson(normalized);
  return row;
}

}  // namespace

Result<Resource> Directory::CreateGroup(const boost::json::object& input, store::Transaction* tx) {
  ASSIGN_OR_RETURN(boost::json::object normalized,
                   scim::NormalizeResource(input, *group_type_, {scim::WriteMode::kCreate}));
  ASSIGN_OR_RETURN(std::vector<std::string> member_ids, MemberIds(normalized));
  return InWrite(store_, tx, [&](store::Transaction& t) -> Result<Resource> {
    TimePoint now = clock_.Now();
    store::GroupRow row = GroupRowFrom(normalized, NewUuid(), now, now, 1);
    RETURN_IF_ERROR(store_.groups().Insert(t, row));
    ASSIGN_OR_RETURN(auto members, ResolveMembers(t, row.id, member_ids));
    ASSIGN_OR_RETURN(int64_t added, store_.groups().AddMembers(t, row.id, members));
    (void)added;
    RETURN_IF_ERROR(AppendChange(t, "Group", row.id, "create", row.version,
                                 {{"added", ToJsonArray(member_ids)}}));
    return GroupFromRow(&t, row, {});
  });
}

Result<Resource> Directory::GetGroup(std::string_view id, const ReadOptions& options) {
  ASSIGN_OR_RETURN(auto row, store_.groups().Get(nullptr, id));
  if (!row) return Error::NotFound("no group with id " + std::string(id));
  return GroupFromRow(nullptr, *row, options);
}

Result<Resource> Directory::ReplaceGroup(std::string_view id, const boost::json::object& input,
                                         const Precondition& pre, store::Transaction* tx) {
  return InWrite(store_, tx, [&](store::Transaction& t) -> Result<Resource> {
    ASSIGN_OR_RETURN(auto existing, store_.groups().Get(&t, id));
    if (!existing) return Error::NotFound("no group with id " + std::string(id));
    RETURN_IF_ERROR(CheckPrecondition(pre, existing->version));
    ASSIGN_OR_RETURN(Resource current, GroupFromRow(&t, *existing, {.members = false}));
    scim::NormalizeOptions opts{scim::WriteMode::kReplace, &current.body};
    ASSIGN_OR_RETURN(boost::json::object normalized,
                     scim::NormalizeResource(input, *group_type_, opts));
    ASSIGN_OR_RETURN(std::vector<std::string> member_ids, MemberIds(normalized));
    store::GroupRow row = GroupRowFrom(normalized, existing->id, existing->created, clock_.Now(),
                                       existing->version + 1);
    RETURN_IF_ERROR(store_.groups().Update(t, row));
    ASSIGN_OR_RETURN(std::vector<std::string> before, CurrentMembers(store_, t, row.id));
    RETURN_IF_ERROR(store_.groups().RemoveAllMembers(t, row.id));
    ASSIGN_OR_RETURN(auto members, ResolveMembers(t, row.id, member_ids));
    ASSIGN_OR_RETURN(int64_t added, store_.groups().AddMembers(t, row.id, members));
    (void)added;
    RETURN_IF_ERROR(AppendChange(t, "Group", row.id, "update", row.version,
                                 {{"replaced_members", true},
                                  {"added", ToJsonArray(Minus(member_ids, before))},
                                  {"removed", ToJsonArray(Minus(before, member_ids))}}));
    return GroupFromRow(&t, row, {});
  });
}

Result<Resource> Directory::PatchGroup(std::string_view id, const boost::json::value& patch,
                                       const Precondition& pre, const ReadOptions& options,
                                       store::Transaction* tx) {
  ASSIGN_OR_RETURN(auto ops, scim::ParsePatchRequest(patch, *group_type_));
  auto delta = scim::ExtractMemberOps(patch, *group_type_);
  if (!delta.ok() && delta.error().code() != Code::kNotImplemented) return std::move(delta).error();
  return InWrite(store_, tx, [&](store::Transaction& t) -> Result<Resource> {
    ASSIGN_OR_RETURN(auto existing, store_.groups().Get(&t, id));
    if (!existing) return Error::NotFound("no group with id " + std::string(id));
    RETURN_IF_ERROR(CheckPrecondition(pre, existing->version));

    bool replace_all = false;
    std::vector<std::string> added, removed;
    boost::json::object patched;
    if (delta.ok()) {
      // Member operations as id lists: the member list is never loaded.
      ASSIGN_OR_RETURN(Resource current, GroupFromRow(&t, *existing, {.members = false}));
      if (delta->rest.empty()) {
        patched = std::move(current.body);
      } else {
        ASSIGN_OR_RETURN(patched, scim::ApplyPatch(current.body, delta->rest, *group_type_));
      }
      replace_all = delta->replace_all;
      added = delta->added;
      removed = delta->removed;
    } else {
      // A member filter the id lists cannot express: apply to the whole resource and diff.
      ASSIGN_OR_RETURN(Resource current, GroupFromRow(&t, *existing, {.members = true}));
      ASSIGN_OR_RETURN(std::vector<std::string> before, MemberIds(current.body));
      ASSIGN_OR_RETURN(patched, scim::ApplyPatch(current.body, ops, *group_type_));
      ASSIGN_OR_RETURN(std::vector<std::string> after, MemberIds(patched));
      std::set<std::string> b(before.begin(), before.end()), a(after.begin(), after.end());
      for (const auto& m : after) {
        if (!b.count(m)) added.push_back(m);
      }
      for (const auto& m : before) {
        if (!a.count(m)) removed.push_back(m);
      }
    }

    bool members_changed = false;
    if (replace_all) {
      ASSIGN_OR_RETURN(std::vector<std::string> before, CurrentMembers(store_, t, id));
      RETURN_IF_ERROR(store_.groups().RemoveAllMembers(t, id));
      members_changed = !before.empty();
      // Everyone who was a member is named as removed; re-added ones also appear as added.
      removed.insert(removed.end(), before.begin(), before.end());
    }
    if (!removed.empty()) {
      ASSIGN_OR_RETURN(int64_t n, store_.groups().RemoveMembers(t, id, removed));
      members_changed = members_changed || n > 0;
    }
    if (!added.empty()) {
      ASSIGN_OR_RETURN(auto rows, ResolveMembers(t, id, added));
      ASSIGN_OR_RETURN(int64_t n, store_.groups().AddMembers(t, id, rows));
      members_changed = members_changed || n > 0;
    }
    bool attributes_changed = !internal::SameJson(StoredJson(patched), existing->resource);
    if (!attributes_changed && !members_changed) return GroupFromRow(&t, *existing, options);

    store::GroupRow row =
        GroupRowFrom(patched, existing->id, existing->created, clock_.Now(), existing->version + 1);
    RETURN_IF_ERROR(store_.groups().Update(t, row));
    boost::json::object detail;
    if (replace_all) detail["replaced_members"] = true;
    if (!added.empty()) detail["added"] = ToJsonArray(added);
    if (!removed.empty()) detail["removed"] = ToJsonArray(removed);
    RETURN_IF_ERROR(AppendChange(t, "Group", row.id, attributes_changed ? "update" : "members",
                                 row.version, std::move(detail)));
    return GroupFromRow(&t, row, options);
  });
}

Status Directory::DeleteGroup(std::string_view id, const Precondition& pre,
                              store::Transaction* tx) {
  return InWrite(store_, tx, [&](store::Transaction& t) -> Status {
    ASSIGN_OR_RETURN(auto existing, store_.groups().Get(&t, id));
    if (!existing) return Error::NotFound("no group with id " + std::string(id));
    RETURN_IF_ERROR(CheckPrecondition(pre, existing->version));
    // Its members lose whatever it gave them: the change event names them.
    ASSIGN_OR_RETURN(std::vector<std::string> members, CurrentMembers(store_, t, id));
    RETURN_IF_ERROR(store_.groups().Delete(t, id));
    return AppendChange(t, "Group", id, "delete", existing->version + 1,
                        {{"removed", ToJsonArray(members)}});
  });
}

}  // namespace provisio::directory
