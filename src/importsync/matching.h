// Matching a mapped source record to a portal user: the rules in order, the first rule that
// finds anyone decides; one candidate matches, several are ambiguous (held for an admin).
// Pure over a lookup function, so the rules are tested with values alone.
#pragma once

#include <boost/json/object.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "importsync/policy.h"

namespace provisio::importsync {

struct MatchOutcome {
  enum class Kind { kNone, kOne, kAmbiguous };
  Kind kind = Kind::kNone;
  std::string user_id;                  // kOne
  std::vector<std::string> candidates;  // kAmbiguous
  std::string rule;                     // the rule that decided ("externalId", ...)
};

// The value a rule compares, from a mapped portal user: externalId, userName, or the work
// email (emails[type eq "work"], else the primary, else the first).
std::optional<std::string> RuleValue(MatchRule rule, const boost::json::object& user);

// Ids of portal users whose attribute equals `value` (case-insensitively, except externalId).
using Lookup = std::function<Result<std::vector<std::string>>(MatchRule, const std::string& value)>;

Result<MatchOutcome> Match(const boost::json::object& mapped, const std::vector<MatchRule>& rules,
                           const Lookup& lookup);

}  // namespace provisio::importsync
