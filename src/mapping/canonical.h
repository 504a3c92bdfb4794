// The canonical JSON form and the desired-state hash the engine stores per account link, so a
// no-change sync decides "nothing to do" without calling the target. The form is RFC 8785
// (JSON Canonicalization Scheme) except that integers beyond 2^53 keep all their digits.
#pragma once

#include <boost/json/value.hpp>
#include <string>

namespace provisio::mapping {

// Object members sorted by key (UTF-16 code units, as RFC 8785), no whitespace, numbers in
// ECMAScript form (1.0 → 1, 1e21, 1e-7), strings with only the escapes JSON requires.
std::string CanonicalJson(const boost::json::value& value);

// Lower-case hex SHA-256 of CanonicalJson(value): 64 characters.
std::string DesiredStateHash(const boost::json::value& value);

}  // namespace provisio::mapping
