// Runs the connector conformance suite (which speaks SCIM attribute names) against a
// connector with a vocabulary of its own (Salesforce's Username/LastName/IsActive, Google's
// primaryEmail/name/suspended): every user call is translated there and back, groups and
// batches when the wrapped connector has them. Each test file supplies only its Vocabulary.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "connectors/connector.h"

namespace provisio::testing {

struct Vocabulary {
  // A SCIM user as the target wants it.
  std::function<boost::json::object(const boost::json::object& scim)> to_target;
  // The target's form of a SCIM user read back before (PatchUser's `current`); to_target
  // when unset.
  std::function<boost::json::object(const boost::json::object& scim)> current_to_target;
  // An account read from the target, in SCIM names.
  std::function<connectors::Account(connectors::Account)> from_target;
  // The target's matching attribute for userName, and a userName's value there.
  std::string user_name_attribute;
  std::function<std::string(std::string_view user_name)> user_name_to_target;
  // Groups: a SCIM group as the target wants it, and displayName's name there.
  std::function<boost::json::object(const boost::json::object& scim)> group_to_target;
  std::string display_name_attribute = "displayName";
};

class VocabularyAdapter final : public connectors::Connector,
                                public connectors::BatchConnector,
                                public connectors::GroupConnector {
 public:
  using Account = connectors::Account;
  using object = boost::json::object;

  VocabularyAdapter(std::unique_ptr<connectors::Connector> inner, Vocabulary v)
      : inner_(std::move(inner)), v_(std::move(v)) {}

  connectors::Capabilities capabilities() override { return inner_->capabilities(); }
  Status Test() override { return inner_->Test(); }
  Result<Account> CreateUser(const object& d) override {
    return Back(inner_->CreateUser(v_.to_target(d)));
  }
  Result<Account> GetUser(std::string_view id) override { return Back(inner_->GetUser(id)); }
  Result<std::optional<Account>> FindUser(std::string_view attribute,
                                          std::string_view value) override {
    if (attribute != "userName") return inner_->FindUser(attribute, value);
    auto found = inner_->FindUser(v_.user_name_attribute, v_.user_name_to_target(value));
    if (found.ok() && found->has_value()) {
      return std::optional<Account>(v_.from_target(std::move(**found)));
    }
    return found;
  }
  Result<Account> ReplaceUser(std::string_view id, const object& d) override {
    return Back(inner_->ReplaceUser(id, v_.to_target(d)));
  }
  Result<Account> PatchUser(std::string_view id, const object& current, const object& d) override {
    return Back(inner_->PatchUser(id, Current(current), v_.to_target(d)));
  }
  Status DisableUser(std::string_view id) override { return inner_->DisableUser(id); }
  Status DeleteUser(std::string_view id) override { return inner_->DeleteUser(id); }
  Result<connectors::Page<Account>> ListUsers(const connectors::PageRequest& page) override {
    return inner_->ListUsers(page);
  }

  BatchConnector* batch() override { return inner_->batch() != nullptr ? this : nullptr; }
  std::vector<Result<std::optional<Account>>> FindUsers(
      std::string_view attribute, std::span<const std::string> values) override {
    if (attribute != "userName") return inner_->batch()->FindUsers(attribute, values);
    std::vector<std::string> translated;
    for (const auto& value : values) translated.push_back(v_.user_name_to_target(value));
    auto results = inner_->batch()->FindUsers(v_.user_name_attribute, translated);
    for (auto& r : results) {
      if (r.ok() && r->has_value()) r = std::optional<Account>(v_.from_target(std::move(**r)));
    }
    return results;
  }
  std::vector<Result<Account>> ApplyBatch(std::span<const connectors::BatchWrite> writes) override {
    std::vector<connectors::BatchWrite> translated;
    for (const auto& w : writes) {
      translated.push_back({w.kind, w.id, Current(w.current), v_.to_target(w.desired)});
    }
    auto results = inner_->batch()->ApplyBatch(translated);
    for (auto& r : results) {
      if (r.ok()) r = v_.from_target(std::move(*r));
    }
    return results;
  }

  GroupConnector* groups() override {
    return inner_->groups() != nullptr && v_.group_to_target ? this : nullptr;
  }
  Result<Account> CreateGroup(const object& d) override {
    return inner_->groups()->CreateGroup(v_.group_to_target(d));
  }
  Result<Account> GetGroup(std::string_view id) override { return inner_->groups()->GetGroup(id); }
  Result<std::optional<Account>> FindGroup(std::string_view attribute,
                                           std::string_view value) override {
    return inner_->groups()->FindGroup(
        attribute == "displayName" ? std::string_view(v_.display_name_attribute) : attribute,
        value);
  }
  Status DeleteGroup(std::string_view id) override { return inner_->groups()->DeleteGroup(id); }
  Result<connectors::Page<Account>> ListGroups(const connectors::PageRequest& page) override {
    return inner_->groups()->ListGroups(page);
  }
  Status AddMembers(std::string_view group, std::span<const std::string> ids) override {
    return inner_->groups()->AddMembers(group, ids);
  }
  Status RemoveMembers(std::string_view group, std::span<const std::string> ids) override {
    return inner_->groups()->RemoveMembers(group, ids);
  }
  Status AddMembersWithRole(std::string_view group, std::span<const std::string> ids,
                            std::string_view role) override {
    return inner_->groups()->AddMembersWithRole(group, ids, role);
  }
  Result<std::optional<std::vector<std::string>>> MemberIds(std::string_view group) override {
    return inner_->groups()->MemberIds(group);
  }
  // Only the name changes through the adapter: the target's name attribute for displayName.
  Result<Account> UpdateGroup(std::string_view id, const object& current,
                              const object& desired) override {
    object from, to;
    if (const auto* n = current.if_contains("displayName")) from[v_.display_name_attribute] = *n;
    if (const auto* n = desired.if_contains("displayName")) to[v_.display_name_attribute] = *n;
    return inner_->groups()->UpdateGroup(id, from, to);
  }

 private:
  Result<Account> Back(Result<Account> r) const {
    if (!r.ok()) return r;
    return v_.from_target(std::move(*r));
  }
  object Current(const object& scim) const {
    return v_.current_to_target ? v_.current_to_target(scim) : v_.to_target(scim);
  }

  std::unique_ptr<connectors::Connector> inner_;
  Vocabulary v_;
};

}  // namespace provisio::testing
