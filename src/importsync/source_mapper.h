// Turning what a source holds into portal resources through import mappings (portal
// attribute ← expression over the source's record): an LDAP directory's own mappings (defaults
// mapping::DefaultLdapMappings); for other applications settings.import_mappings, else the
// template's (mapping::DefaultSalesforceImportMappings, DefaultGoogleImportMappings); a SCIM
// source without them passes its resources straight through with externalId ← the source's
// id. Also how a source's groups name their members, and its users their manager.
#pragma once

#include <boost/json/object.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "connectors/connector.h"
#include "core/result.h"
#include "mapping/mapping.h"
#include "store/application_store.h"

namespace provisio::importsync {

class SourceMapper {
 public:
  // `source_type` is the connection's type ("ldap", "scim2", ...).
  static Result<SourceMapper> For(const store::ApplicationRow& app, std::string source_type);

  const std::string& source_type() const { return type_; }
  bool ldap() const { return type_ == "ldap"; }
  // The portal User (SCIM) a source account becomes.
  Result<boost::json::object> MapUser(const connectors::Account& account) const;
  // The name members or reports refer to the account by ("" when they use its id): an LDAP
  // entry's DN, a Google user's primaryEmail.
  std::string SourceName(const connectors::Account& account) const;
  // The manager a mapped record names, as the source names her (the enterprise manager.value:
  // a source id, an LDAP DN, a Google address); "" when none.
  static std::string ManagerRef(const boost::json::object& mapped);
  // True when the source speaks for `account`'s manager: the import mappings write it, or (a
  // SCIM resource passed through) the resource carries the enterprise extension. Only then
  // does a record without a manager remove the portal user's.
  bool MapsManager(const connectors::Account& account) const;
  // True when ManagerRef is a source name (SourceName) rather than a source id.
  bool managers_by_name() const { return ldap() || type_ == "google-workspace"; }
  // Makes a mapped record's manager the portal user `portal_id`, or none when it is empty.
  static void SetManager(boost::json::object& mapped, std::string_view portal_id);
  // The group's display name and its member references (DNs for LDAP, ids for SCIM).
  std::string GroupName(const connectors::Account& group) const;
  std::vector<std::string> MemberRefs(const connectors::Account& group) const;
  // True when MemberRefs are source names (LDAP DNs) rather than source ids.
  bool members_by_name() const { return ldap(); }
  // True when listed groups carry their members. The SCIM connector lists groups without
  // them (excludedAttributes=members), so SCIM groups arrive by name only and their portal
  // membership is left alone.
  bool lists_members() const { return ldap(); }
  // The entitlements an account's record carries itself, sorted: a SCIM User's
  // "entitlements" and "roles" values, a Salesforce user's ProfileId and UserRoleId. nullopt
  // for LDAP, whose entries say nothing of the kind (their groups list them as members).
  // Group memberships are not among them: the groups phase records those.
  std::optional<std::vector<std::string>> AccountEntitlements(
      const connectors::Account& account) const;
  // The source's change marker for incremental runs ("" when it has none).
  std::string ChangeMarker(const connectors::Account& account) const;

 private:
  std::string type_;
  std::shared_ptr<const mapping::CompiledMappings> mappings_;  // none: SCIM passed through
  bool maps_manager_ = false;  // mappings_ write the enterprise manager
};

// The minimal SCIM PATCH turning `current` into one that agrees with `desired` on every
// attribute `desired` names (a null value: a replace with null, which removes it, unless it is
// absent already); an empty Operations list when they already agree.
boost::json::object MinimalPatch(const boost::json::object& current,
                                 const boost::json::object& desired);

}  // namespace provisio::importsync
