// The LDAP directory connector (OpenLDAP's libldap): a read-only import source for OpenLDAP
// inetOrgPerson directories and Active Directory. ldap:// with StartTLS or ldaps://, simple
// bind, paged results (RFC 2696) with a cursor that survives a restart, entries as JSON
// objects {attribute: value | [values]} plus "dn". objectGUID is written as AD shows it
// (GuidString); other binary values (objectSid, anything not UTF-8) are base64. An account's
// id is its objectGUID, else its entryUUID, else its DN. With userAccountControl (AD), "active" is
// derived from the ACCOUNTDISABLE bit (0x2). Writes answer kNotImplemented; capabilities say
// read-only.
#pragma once

#include <ldap.h>

#include <memory>
#include <mutex>
#include <string>

#include "connectors/connector.h"
#include "connectors/ldap/ldap_settings.h"
#include "connectors/registry.h"

namespace provisio::connectors::ldap {

// The cursor that makes ListUsers return only entries changed at or after `marker` (as
// ChangeMarker made it). Incremental imports start from it.
std::string IncrementalCursor(std::string_view marker);
// The change marker of an entry: "usn:" and its uSNChanged zero-padded to 20 digits when it
// has one (Active Directory), else its modifyTimestamp (a GeneralizedTime); "" when neither.
// Markers of one directory compare as strings.
std::string ChangeMarker(const Account& account);
// The cursor of a cheap listing that returns, per entry, only what its id is made of
// (entryUUID, objectGUID, the DN): accounts gone from the source are found with it.
std::string IdsOnlyCursor();
// An objectGUID's 16 bytes as AD writes the GUID ("3f2504e0-4f89-11d3-9a0c-0305e82c3301":
// the first three fields little-endian), and back (nullopt when `text` is not one).
std::string GuidString(std::string_view bytes);
std::optional<std::string> GuidBytes(std::string_view text);

class LdapConnector final : public Connector, public GroupConnector {
 public:
  LdapConnector(std::string url, std::string bind_dn, std::string password, LdapSettings settings);
  ~LdapConnector() override;

  Capabilities capabilities() override;
  Status Test() override;

  Result<Account> CreateUser(const boost::json::object& desired) override;
  Result<Account> GetUser(std::string_view id) override;
  Result<std::optional<Account>> FindUser(std::string_view attribute,
                                          std::string_view value) override;
  Result<Account> ReplaceUser(std::string_view id, const boost::json::object& desired) override;
  Result<Account> PatchUser(std::string_view id, const boost::json::object& current,
                            const boost::json::object& desired) override;
  Status DisableUser(std::string_view id) override;
  Status DeleteUser(std::string_view id) override;
  Result<Page<Account>> ListUsers(const PageRequest& page) override;

  GroupConnector* groups() override { return this; }
  Result<Account> CreateGroup(const boost::json::object& desired) override;
  Result<Account> GetGroup(std::string_view id) override;
  Result<std::optional<Account>> FindGroup(std::string_view attribute,
                                           std::string_view value) override;
  Result<Account> UpdateGroup(std::string_view id, const boost::json::object& current,
                              const boost::json::object& desired) override;
  Status DeleteGroup(std::string_view id) override;
  Result<Page<Account>> ListGroups(const PageRequest& page) override;
  Status AddMembers(std::string_view group_id, std::span<const std::string> user_ids) override;
  Status RemoveMembers(std::string_view group_id, std::span<const std::string> user_ids) override;

 private:
  struct Session;
  // Connects and binds when there is no live session. Caller holds mu_.
  Status Connect();
  void Disconnect();
  // One search (no paging) under `base` for `filter`; at most `limit` entries.
  Result<std::vector<Account>> Search(const std::string& base, int scope, const std::string& filter,
                                      int limit);
  Result<Page<Account>> List(const std::string& filter, const PageRequest& page);
  Result<std::optional<Account>> FindOne(const std::string& filter);
  std::string IdFilter(std::string_view id) const;

  std::string url_;
  std::string bind_dn_;
  std::string password_;
  LdapSettings settings_;
  std::mutex mu_;  // one operation at a time on the connection
  LDAP* ld_ = nullptr;
  std::string session_id_;  // changes on every (re)connect: paged cookies are per connection
};

// The registry's factory for type "ldap": base_url ldap:// or ldaps://, auth kind "basic"
// (username = bind DN), settings as in ldap_settings.h.
Result<std::unique_ptr<Connector>> OpenLdapConnector(const ConnectorConfig& config,
                                                     const ConnectorEnv& env);

}  // namespace provisio::connectors::ldap
