// Comparison of attribute values by their SCIM type (RFC 7644 §3.4.2.2): strings
// case-insensitively unless caseExact, dateTimes as instants, numbers numerically. Shared by
// the filter evaluator and list sorting.
#pragma once

#include <boost/json/value.hpp>
#include <compare>
#include <cstdint>
#include <optional>
#include <string_view>

#include "scim/schema.h"

namespace provisio::scim {

// An instant: seconds since the Unix epoch plus nanoseconds (kept apart so years up to 9999 do
// not overflow).
struct Instant {
  int64_t seconds = 0;
  int32_t nanos = 0;
  friend auto operator<=>(const Instant&, const Instant&) = default;
};

// An xsd:dateTime ("2011-05-13T04:42:34Z", "2011-05-13T04:42:34.123+02:00") as an instant;
// nullopt when it does not parse. A missing offset means UTC.
std::optional<Instant> ParseDateTime(std::string_view text);

// Ordering of two attribute values of `attr`'s type: <0, 0, >0, or nullopt when they are
// not comparable (different kinds, a non-ordered type such as boolean compared for order).
std::optional<int> CompareValues(const boost::json::value& a, const boost::json::value& b,
                                 const Attribute& attr);

// Equality under the attribute's rules (used for eq/ne and PATCH de-duplication).
bool ValuesEqual(const boost::json::value& a, const boost::json::value& b, const Attribute& attr);

}  // namespace provisio::scim
