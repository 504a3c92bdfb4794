#include "connectors/google/google_diff.h"

#include <array>
#include <string_view>

namespace provisio::connectors::google {
namespace {

using boost::json::array;
using boost::json::object;
using boost::json::value;

constexpr std::array<std::string_view, 18> kReadOnly = {"id",
                                                        "kind",
                                                        "etag",
                                                        "isAdmin",
                                                        "isDelegatedAdmin",
                                                        "creationTime",
                                                        "lastLoginTime",
                                                        "customerId",
                                                        "aliases",
                                                        "nonEditableAliases",
                                                        "isMailboxSetup",
                                                        "agreedToTerms",
                                                        "suspensionReason",
                                                        "thumbnailPhotoUrl",
                                                        "thumbnailPhotoEtag",
                                                        "isEnrolledIn2Sv",
                                                        "isEnforcedIn2Sv",
                                                        "deletionTime"};

// Repeated and optional fields a replace clears when the mappings no longer send them.
constexpr std::array<std::string_view, 17> kClearable = {
    "organizations", "phones",   "addresses",     "externalIds",   "relations",     "ims",
    "locations",     "keywords", "websites",      "languages",     "posixAccounts", "sshPublicKeys",
    "notes",         "gender",   "customSchemas", "recoveryEmail", "recoveryPhone"};

bool IsReadOnly(std::string_view key) {
  for (auto k : kReadOnly) {
    if (k == key) return true;
  }
  return false;
}

bool SameValue(const value& current, const value& desired);

// Each field of `desired` equal in `current`: Google adds fields of its own (fullName,
// customType, primary), which are not differences.
bool Covers(const object& current, const object& desired) {
  for (const auto& [k, v] : desired) {
    const value* c = current.if_contains(k);
    if (c == nullptr ? !v.is_null() : !SameValue(*c, v)) return false;
  }
  return true;
}

bool SameValue(const value& current, const value& desired) {
  if (current.is_object() && desired.is_object()) {
    return Covers(current.as_object(), desired.as_object());
  }
  if (current.is_array() && desired.is_array()) {
    const array& a = current.as_array();
    const array& b = desired.as_array();
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (!SameValue(a[i], b[i])) return false;
    }
    return true;
  }
  return current == desired;
}

object Diff(const object& current, const object& desired) {
  object out;
  for (const auto& [k, v] : desired) {
    const value* c = current.if_contains(k);
    if (c == nullptr) {
      if (!v.is_null()) out[k] = v;
    } else if (c->is_object() && v.is_object()) {
      object sub = Diff(c->as_object(), v.as_object());
      if (!sub.empty()) out[k] = std::move(sub);
    } else if (!SameValue(*c, v)) {
      out[k] = v;
    }
  }
  return out;
}

}  // namespace

object WritableUser(const object& user) {
  object out;
  for (const auto& [k, v] : user) {
    if (!IsReadOnly(k)) out[k] = v;
  }
  return out;
}

object PatchBody(const object& current, const object& desired) {
  object writable = WritableUser(desired);
  writable.erase("password");
  writable.erase("hashFunction");
  return Diff(current, writable);
}

object ReplaceBody(const object& current, const object& desired) {
  object out = WritableUser(desired);
  for (auto k : kClearable) {
    if (current.contains(k) && !out.contains(k)) out[k] = nullptr;
  }
  return out;
}

}  // namespace provisio::connectors::google
