// The SOQL subset the emulator answers: what the Salesforce connector sends, and a little more.
//   SELECT f1, f2 FROM Obj [WHERE f = 'x' [AND g != null ...]] [ORDER BY f [ASC|DESC]] [LIMIT n]
// Keywords and field names are case-insensitive; string literals take SOQL's backslash escapes.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace provisio::emulators::soql {

struct Literal {
  enum class Kind { kString, kBool, kNull, kNumber };
  Kind kind = Kind::kString;
  std::string text;  // the string (unescaped), "true"/"false", or the number as written
};

struct Condition {
  std::string field;
  bool negated = false;         // != instead of =
  std::vector<Literal> values;  // one for = and !=, several for IN (...)
};

struct Query {
  std::vector<std::string> fields;
  std::string object;
  std::vector<Condition> where;  // ANDed
  std::string order_by;          // "" when none
  bool descending = false;
  std::optional<size_t> limit;
};

// kInvalidArgument with a message in Salesforce's MALFORMED_QUERY style otherwise.
Result<Query> Parse(std::string_view text);

}  // namespace provisio::emulators::soql
