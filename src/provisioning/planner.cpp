#include "provisioning/planner.h"

#include "core/json.h"
#include "mapping/canonical.h"
#include "mapping/evaluate.h"
#include "mapping/mapping.h"
#include "scim/schema_urns.h"
#include "scim/text.h"

namespace provisio::provisioning {

std::optional<DeprovisionAction> ParseDeprovisionAction(std::string_view s) {
  if (s == "disable") return DeprovisionAction::kDisable;
  if (s == "delete") return DeprovisionAction::kDelete;
  if (s == "none") return DeprovisionAction::kNone;
  return std::nullopt;
}

std::string_view ToString(DeprovisionAction a) {
  switch (a) {
    case DeprovisionAction::kDisable:
      return "disable";
    case DeprovisionAction::kDelete:
      return "delete";
    case DeprovisionAction::kNone:
      return "none";
  }
  return "none";
}

std::string_view ToString(Action a) {
  switch (a) {
    case Action::kNone:
      return "noop";
    case Action::kCreate:
      return "create";
    case Action::kUpdate:
      return "update";
    case Action::kVerify:
      return "verify";
    case Action::kDisable:
      return "disable";
    case Action::kDelete:
      return "delete";
    case Action::kUnlink:
      return "unlink";
  }
  return "noop";
}

// The value of a (possibly dotted) attribute of the desired object, for matching.
std::optional<std::string> MatchingValue(const boost::json::object& desired,
                                         std::string_view attr) {
  const boost::json::object* obj = &desired;
  std::string_view rest = attr;
  for (;;) {
    size_t dot = rest.find('.');
    std::string_view head = rest.substr(0, dot);
    auto it = obj->find(head);
    if (it == obj->end()) return std::nullopt;
    if (dot == std::string_view::npos) {
      if (it->value().is_string()) return std::string(it->value().get_string());
      return std::nullopt;
    }
    if (!it->value().is_object()) return std::nullopt;
    obj = &it->value().get_object();
    rest = rest.substr(dot + 1);
  }
}

boost::json::object PushedObject(const boost::json::object& object,
                                 const std::vector<std::string>& entitlements) {
  boost::json::object out = object;
  if (!entitlements.empty()) {
    boost::json::array ids;
    for (const auto& e : entitlements) ids.emplace_back(e);
    out[kGrantedKey] = std::move(ids);
  }
  return out;
}

std::string DesiredHash(const boost::json::object& object,
                        const std::vector<std::string>& entitlements) {
  if (entitlements.empty()) return mapping::DesiredStateHash(object);
  return mapping::DesiredStateHash(PushedObject(object, entitlements));
}

Pushed SplitPushed(std::string_view recorded) {
  Pushed out;
  auto v = json::Parse(recorded.empty() ? "{}" : recorded);
  if (!v.ok() || !v->is_object()) return out;
  out.object = std::move(v->as_object());
  if (auto it = out.object.find(kGrantedKey); it != out.object.end()) {
    if (it->value().is_array()) {
      for (const auto& e : it->value().get_array()) {
        if (e.is_string()) out.entitlements.emplace_back(e.get_string());
      }
    }
    out.object.erase(it);
  }
  return out;
}

bool AccountAgrees(const boost::json::object& desired, const boost::json::object& account) {
  for (const auto& [k, v] : desired) {
    if (k == "schemas") continue;
    auto it = account.find(k);
    if (it == account.end()) return v.is_null();
    if (v.is_object() && it->value().is_object()) {
      if (!AccountAgrees(v.get_object(), it->value().get_object())) return false;
    } else if (mapping::CanonicalJson(v) != mapping::CanonicalJson(it->value())) {
      return false;
    }
  }
  return true;
}

Plan PlanAccount(const Desired& desired, const std::optional<store::AccountLinkRow>& link,
                 DeprovisionAction deprovision, bool full) {
  const bool linked = link && link->state != "deleted" && !link->target_id.empty();
  if (desired.in_scope) {
    if (!linked) return {Action::kCreate, "in scope without an account"};
    if (link->state == "disabled") return {Action::kUpdate, "back in scope: enable and update"};
    if (link->desired_hash != desired.hash) return {Action::kUpdate, "attributes changed"};
    if (full) return {Action::kVerify, "full sync: check the target for drift"};
    return {Action::kNone, "up to date"};
  }
  if (!linked) return {Action::kNone, "out of scope without an account"};
  // Deprovisioning happens once, when an account leaves scope: an account already disabled
  // stays as it is even if the application's deprovisioning action changes later.
  if (link->state == "disabled") return {Action::kNone, "out of scope, already disabled"};
  switch (deprovision) {
    case DeprovisionAction::kDelete:
      return {Action::kDelete, "out of scope: delete the account"};
    case DeprovisionAction::kDisable:
      return {Action::kDisable, "out of scope: disable the account"};
    case DeprovisionAction::kNone:
      return {Action::kUnlink, "out of scope: leave the account, forget the link"};
  }
  return {Action::kNone, ""};
}

std::optional<ManagerReference> ManagerReferenceFor(std::string_view template_id) {
  auto make = [](std::string_view path, std::string_view by) {
    ManagerReference ref{mapping::ParseAttributePath(path).value(), std::nullopt};
    if (!by.empty()) ref.by = mapping::ParseAttributePath(by).value();
    return ref;
  };
  if (template_id == "scim2") {
    return make(std::string(scim::kEnterpriseUserSchema) + ":manager.value", "");
  }
  if (template_id == "salesforce") return make("ManagerId", "");
  if (template_id == "google-workspace") {
    return make(R"(relations[type eq "manager"].value)", "primaryEmail");
  }
  return std::nullopt;
}

std::string ManagerIn(const ManagerReference& ref, const boost::json::object& object) {
  boost::json::value v = mapping::Lookup(ref.path, object);
  return v.is_string() ? std::string(v.get_string()) : "";
}

std::string ManagerValue(const ManagerReference& ref, const store::AccountLinkRow& link) {
  if (!ref.by) return link.target_id;
  boost::json::value v = mapping::Lookup(*ref.by, SplitPushed(link.desired).object);
  return v.is_string() ? std::string(v.get_string()) : "";
}

bool MapsManager(const ManagerReference& ref, const mapping::CompiledMappings& mappings) {
  const std::string path = mapping::ToString(ref.path);
  for (const auto& m : mappings.mappings()) {
    if (scim::IEquals(mapping::ToString(m.target), path)) return true;
  }
  return false;
}

void ClearManager(const ManagerReference& ref, boost::json::object& object) {
  mapping::EraseAt(object, ref.path);
  mapping::AttributePath whole = ref.path;  // the attribute itself
  whole.filter.reset();
  whole.filter_sub.clear();
  if (ref.path.filter) {
    // The other elements are sent as they are; none left, an empty array clears it.
    if (mapping::Lookup(whole, object).is_null()) {
      mapping::WriteAt(object, whole, boost::json::array());
    }
    return;
  }
  whole.attr.sub.clear();  // manager.value: the manager attribute
  mapping::WriteAt(object, whole, nullptr);
}

boost::json::object ToSend(const std::optional<ManagerReference>& ref, const Desired& desired,
                           const boost::json::object& current) {
  if (!ref || desired.hash.ends_with(kManagerPending) || !ManagerIn(*ref, desired.object).empty() ||
      ManagerIn(*ref, current).empty()) {
    return desired.object;
  }
  boost::json::object out = desired.object;
  ClearManager(*ref, out);
  return out;
}

bool ManagerIdentityChanged(const ManagerReference& ref,
                            const std::optional<store::AccountLinkRow>& before,
                            const store::AccountLinkRow& after) {
  if (!before || before->state != "active" || after.state != "active") return false;
  std::string was = ManagerValue(ref, *before);
  return !was.empty() && was != ManagerValue(ref, after);
}

void TakeManagerFrom(const ManagerReference& ref, const boost::json::object& desired,
                     boost::json::object& object) {
  std::string manager = ManagerIn(ref, desired);
  if (manager.empty()) {
    mapping::EraseAt(object, ref.path);
  } else {
    mapping::WriteAt(object, ref.path, boost::json::string(manager));
  }
}

}  // namespace provisio::provisioning
