// Small pieces shared by the directory's user and group code: the JSON kept in the store
// versus the derived parts added on read, and If-Match checking.
#pragma once

#include <boost/json.hpp>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"
#include "directory/directory.h"

namespace provisio::directory::internal {

// The stored form: the normalised resource without id, meta and derived attributes
// (groups, members) and without password, which Provisio does not keep.
std::string StoredJson(boost::json::object resource);

// Parses stored JSON and adds id and meta.
Result<boost::json::object> WithIdAndMeta(std::string_view stored, std::string_view id,
                                          std::string_view resource_type, TimePoint created,
                                          TimePoint updated, int64_t version);

// kPreconditionFailed unless `pre` allows writing over `version`.
Status CheckPrecondition(const Precondition& pre, int64_t version);

// Runs fn(Transaction&) in `outer` when given (the caller commits), else in a transaction
// of its own that commits when fn succeeds and rolls back when it fails.
template <typename F>
auto InWrite(store::Store& store, store::Transaction* outer, F&& fn) -> decltype(fn(*outer)) {
  if (outer) return fn(*outer);
  ASSIGN_OR_RETURN(auto tx, store.Begin());
  auto result = fn(*tx);
  if (!result.ok()) return result;
  RETURN_IF_ERROR(tx->Commit());
  return result;
}

std::optional<std::string> OptionalString(const boost::json::object& o, std::string_view key);

// Entra ID sends the enterprise extension's `manager` as a bare id string, where RFC 7643
// defines a complex attribute {value, $ref, displayName}. Both forms are accepted: a bare
// string becomes {"value": string}, in a resource and in the operations of a PatchOp.
void AcceptBareManager(boost::json::object& resource);
void AcceptBareManagerInPatch(boost::json::value& patch);

// The same JSON document, whatever the order of object keys.
bool SameJson(std::string_view a, std::string_view b);

}  // namespace provisio::directory::internal
