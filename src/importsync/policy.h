// What an import run does with what it reads: the matching rules in order, the policy for
// unmatched records and for accounts gone from the source, and the deletion guard. Read from
// the application's settings, overridden per run by the request.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"

namespace provisio::importsync {

enum class MatchRule { kExternalId, kUserName, kWorkEmail };
enum class Unmatched { kCreate, kSkip, kHold };
enum class Gone { kIgnore, kDisable, kUnlink };

struct ImportPolicy {
  std::vector<MatchRule> matching = {MatchRule::kExternalId, MatchRule::kUserName,
                                     MatchRule::kWorkEmail};
  Unmatched unmatched = Unmatched::kCreate;
  Gone gone = Gone::kIgnore;
  int64_t deletion_threshold = 500;  // more gone accounts than this: none is touched; 0 = off
  bool groups = true;                // import the source's groups with their members
  // Changes to these portal attributes of an existing user wait for an admin (held.h).
  std::vector<std::string> hold_attributes = {};
};

// Settings keys: import_matching (["externalId","userName","email"]), import_unmatched
// ("create"|"skip"|"hold"), import_gone ("ignore"|"disable"|"unlink"), deletion_threshold,
// import_groups (bool), import_hold_attributes (["department", "manager", ...]). The request
// uses the same names without the "import_" prefix.
Result<ImportPolicy> ParsePolicy(const boost::json::object& settings,
                                 const boost::json::object& request);
boost::json::object PolicyJson(const ImportPolicy& p);
// Reads back what PolicyJson wrote (a run's stored options).
ImportPolicy PolicyFromJson(const boost::json::object& o);

}  // namespace provisio::importsync
