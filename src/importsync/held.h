// Changes held for approval: an import's update to a portal user is split into what applies at
// once and the replaces of attributes the policy holds (`hold_attributes`, e.g. "department",
// "manager"), which wait on the source link for an admin. A value an admin rejected is not held
// again. Pure over JSON values, so tested with values alone.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace provisio::importsync {

// True when a PATCH path ("department" of the enterprise extension written in full or by its
// short name, "name.givenName" under "name", ...) falls under one of `held`, case-insensitively.
bool IsHeldPath(std::string_view path, const std::vector<std::string>& held);

struct SplitPatch {
  boost::json::object apply;   // a PatchOp of the operations that apply now (maybe none)
  boost::json::array held;     // operations that wait for an admin
  boost::json::array dropped;  // operations an admin already rejected (same path and value)
};

// `patch` is MinimalPatch's output (replace operations only). An operation on an object that
// contains a held attribute (the whole enterprise extension, when the user had none) is split
// into one operation per member first. `rejected` maps a path to the value an admin rejected.
SplitPatch SplitHeld(const boost::json::object& patch, const std::vector<std::string>& held,
                     const boost::json::object& rejected);

// The value at a PATCH path in a user ("a", "a.b", "urn:...:User:b", "urn:...:User:b.c"); null
// when absent.
boost::json::value ValueAt(const boost::json::object& user, std::string_view path);

// {"operations", "changes": [{"path", "before", "after"}]} for held operations against `user`.
boost::json::object HeldChange(const boost::json::array& held, const boost::json::object& user);

// What of a source record a held link keeps and the review shows: an LDAP listing reads every
// attribute the bind may see (userPassword, unicodePwd, ...), so secret-named members are
// redacted, at any depth.
boost::json::object ShownSource(const boost::json::object& attributes);

// A PatchOp of `operations`.
boost::json::object PatchOf(boost::json::array operations);

}  // namespace provisio::importsync
