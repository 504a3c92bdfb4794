// Parses the SCIM filter grammar (RFC 7644 §3.4.2.2) into the AST of filter.h. Keywords and
// operators are case-insensitive; precedence is not > and > or; errors are kInvalidFilter and
// name the character position.
#pragma once

#include <string_view>

#include "core/result.h"
#include "scim/filter.h"

namespace provisio::scim {

struct FilterLimits {
  size_t max_length = 64 * 1024;  // characters
  int max_depth = 64;             // nested parentheses / not / brackets
  int max_terms = 1000;           // comparisons
};

// Syntax only: attribute names are kept as written.
Result<Filter> ParseFilter(std::string_view text, const FilterLimits& limits = {});

}  // namespace provisio::scim
