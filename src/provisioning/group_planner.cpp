#include "provisioning/group_planner.h"

#include <algorithm>
#include <boost/json.hpp>

#include "core/json.h"
#include "mapping/canonical.h"

namespace provisio::provisioning {
namespace {

boost::json::object ParseObject(std::string_view text) {
  auto v = json::Parse(text.empty() ? "{}" : text);
  if (!v.ok() || !v->is_object()) return {};
  return std::move(v->as_object());
}

bool Linked(const std::optional<store::AccountLinkRow>& link) {
  return link && link->state != "deleted" && !link->target_id.empty();
}

}  // namespace

GroupSettings ParseGroupSettings(const boost::json::object& settings, std::string_view template_id,
                                 std::string_view admin_email, bool has_groups) {
  GroupSettings s;
  s.push = has_groups && json::GetBool(settings, "push_groups").value_or(true);
  s.vocabulary = template_id == "google-workspace" ? GroupSettings::Vocabulary::kGoogle
                                                   : GroupSettings::Vocabulary::kScim;
  bool google = s.vocabulary == GroupSettings::Vocabulary::kGoogle;
  s.matching_attribute = google ? "email" : "displayName";
  if (auto d = json::GetString(settings, "group_email_domain"); d && !d->empty()) {
    s.email_domain = std::string(*d);
  } else if (auto at = admin_email.find('@'); at != std::string_view::npos) {
    s.email_domain = std::string(admin_email.substr(at + 1));
  }
  if (auto r = json::GetString(settings, "group_member_role")) s.member_role = std::string(*r);
  return s;
}

std::string GroupEmailLocalPart(std::string_view display_name, std::string_view fallback) {
  std::string out;
  bool dash = false;
  for (unsigned char c : display_name) {
    if (std::isalnum(c) || c == '.' || c == '_') {
      if (dash && !out.empty()) out += '-';
      dash = false;
      out += static_cast<char>(std::tolower(c));
    } else {
      dash = true;
    }
  }
  while (!out.empty() && (out.front() == '.' || out.back() == '.')) {
    out.erase(out.front() == '.' ? out.begin() : out.end() - 1);
  }
  if (out.empty()) out = "group-" + std::string(fallback);
  return out;
}

boost::json::object GroupObject(const GroupSettings& settings, const boost::json::object& group,
                                const std::optional<store::AccountLinkRow>& link) {
  std::string name(json::GetString(group, "displayName").value_or(""));
  std::string id(json::GetString(group, "id").value_or(""));
  if (settings.vocabulary == GroupSettings::Vocabulary::kGoogle) {
    // The address is the group's key in Google: made once from the name, kept afterwards.
    std::string email;
    if (Linked(link)) {
      email = std::string(json::GetString(PushedObject(link), "email").value_or(""));
    }
    if (email.empty()) email = GroupEmailLocalPart(name, id) + "@" + settings.email_domain;
    boost::json::object o{{"email", email}, {"name", name}};
    if (auto d = json::GetString(group, "description")) o["description"] = *d;
    return o;
  }
  return boost::json::object{{"displayName", name}, {"externalId", id}};
}

DesiredGroup ComputeDesiredGroup(const GroupSettings& settings, const boost::json::object* group,
                                 bool assigned, std::vector<std::string> member_target_ids,
                                 const std::optional<store::AccountLinkRow>& link) {
  DesiredGroup d;
  d.in_scope = settings.push && group != nullptr && assigned;
  if (!d.in_scope) return d;
  d.object = GroupObject(settings, *group, link);
  std::sort(member_target_ids.begin(), member_target_ids.end());
  member_target_ids.erase(std::unique(member_target_ids.begin(), member_target_ids.end()),
                          member_target_ids.end());
  d.members = std::move(member_target_ids);
  d.hash = GroupHash(settings, d);
  return d;
}

std::string GroupHash(const GroupSettings& settings, const DesiredGroup& desired) {
  boost::json::array members(desired.members.begin(), desired.members.end());
  // The role is part of what was pushed: changing it re-plans (members already there keep
  // theirs; see docs/provisioning.md).
  return mapping::DesiredStateHash(boost::json::object{
      {"group", desired.object}, {"members", std::move(members)}, {"role", settings.member_role}});
}

bool FoundGroupFits(const GroupSettings& settings, const boost::json::object& found,
                    const boost::json::object& desired) {
  if (settings.vocabulary == GroupSettings::Vocabulary::kGoogle) {
    return json::GetString(found, "name") == json::GetString(desired, "name");
  }
  auto theirs = json::GetString(found, "externalId");
  return !theirs || theirs->empty() || theirs == json::GetString(desired, "externalId");
}

boost::json::object WithUniqueAddress(const boost::json::object& desired,
                                      std::string_view group_id) {
  boost::json::object out = desired;
  std::string email(json::GetString(desired, "email").value_or(""));
  size_t at = email.find('@');
  if (at == std::string::npos) return out;
  std::string suffix;
  for (char c : group_id) {
    if (std::isalnum(static_cast<unsigned char>(c))) suffix += c;
    if (suffix.size() == 8) break;
  }
  out["email"] = email.substr(0, at) + "-" + suffix + email.substr(at);
  return out;
}

std::string LinkDesiredJson(const DesiredGroup& desired) {
  return boost::json::serialize(boost::json::object{
      {"group", desired.object},
      {"members", boost::json::array(desired.members.begin(), desired.members.end())}});
}

std::vector<std::string> PushedMembers(const std::optional<store::AccountLinkRow>& link) {
  std::vector<std::string> out;
  if (!link) return out;
  auto o = ParseObject(link->desired);
  if (auto* m = o.if_contains("members"); m && m->is_array()) {
    for (const auto& v : m->get_array()) {
      if (v.is_string()) out.emplace_back(v.get_string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

boost::json::object PushedObject(const std::optional<store::AccountLinkRow>& link) {
  if (!link) return {};
  auto o = ParseObject(link->desired);
  if (auto* g = o.if_contains("group"); g && g->is_object()) return g->get_object();
  return {};
}

MemberRepair PlanMemberRepair(const std::vector<std::string>& desired,
                              std::vector<std::string> actual,
                              const std::set<std::string>& managed) {
  MemberRepair r;
  std::sort(actual.begin(), actual.end());
  actual.erase(std::unique(actual.begin(), actual.end()), actual.end());
  std::set_difference(desired.begin(), desired.end(), actual.begin(), actual.end(),
                      std::back_inserter(r.add));
  std::vector<std::string> extra;
  std::set_difference(actual.begin(), actual.end(), desired.begin(), desired.end(),
                      std::back_inserter(extra));
  for (auto& m : extra) (managed.contains(m) ? r.remove : r.unmanaged).push_back(std::move(m));
  std::set_difference(actual.begin(), actual.end(), r.unmanaged.begin(), r.unmanaged.end(),
                      std::back_inserter(r.held));
  return r;
}

GroupPlan PlanGroup(const DesiredGroup& desired, const std::optional<store::AccountLinkRow>& link,
                    DeprovisionAction deprovision, bool full) {
  GroupPlan plan;
  const bool linked = Linked(link);
  if (!desired.in_scope) {
    if (!linked) {
      plan.reason = "not pushed and not to be";
      return plan;
    }
    if (deprovision == DeprovisionAction::kNone) {
      plan.action = Action::kUnlink;
      plan.reason = "unassigned or deleted: leave the group, forget the link";
    } else {
      plan.action = Action::kDelete;
      plan.reason = "unassigned or deleted: delete the group";
    }
    return plan;
  }
  if (!linked) {
    plan.action = Action::kCreate;
    plan.reason = "assigned without a group in the target";
    plan.add = desired.members;
    return plan;
  }
  std::vector<std::string> pushed = PushedMembers(link);
  std::set_difference(desired.members.begin(), desired.members.end(), pushed.begin(), pushed.end(),
                      std::back_inserter(plan.add));
  std::set_difference(pushed.begin(), pushed.end(), desired.members.begin(), desired.members.end(),
                      std::back_inserter(plan.remove));
  plan.update_object =
      mapping::DesiredStateHash(PushedObject(link)) != mapping::DesiredStateHash(desired.object);
  if (full) {
    // Read the group back and repair its name; members follow the diff as always.
    plan.action = Action::kVerify;
    plan.reason = "full sync: check the group in the target";
    return plan;
  }
  if (link->desired_hash == desired.hash && plan.add.empty() && plan.remove.empty() &&
      !plan.update_object) {
    plan.reason = "up to date";
    return plan;
  }
  plan.action = Action::kUpdate;
  plan.reason = plan.update_object ? "group renamed" : "members changed";
  if (!plan.update_object && plan.add.empty() && plan.remove.empty()) plan.reason = "role changed";
  return plan;
}

}  // namespace provisio::provisioning
