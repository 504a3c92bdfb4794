// Attribute paths as mappings write them on either side of `target ← expression`: the SCIM
// forms `attr`, `attr.sub`, `urn:...:attr[.sub]` and the value path `attr[filter][.sub]` whose
// filter is the SCIM filter grammar. Syntax only: names are kept as written.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "scim/attr_path.h"
#include "scim/filter.h"

namespace provisio::mapping {

struct AttributePath {
  scim::AttrPath attr;                 // attr.sub is set for "name.givenName"
  std::optional<scim::Filter> filter;  // `emails[type eq "work"]`: names relative to attr
  std::string filter_sub;              // the sub-attribute after "]", or empty

  AttributePath() = default;
  AttributePath(AttributePath&&) = default;
  AttributePath& operator=(AttributePath&&) = default;
  AttributePath(const AttributePath& other);
  AttributePath& operator=(const AttributePath& other);
};

bool operator==(const AttributePath& a, const AttributePath& b);

// kInvalidArgument naming what was expected, with details {"position": N}: 1-based, counted in
// characters of `text`. Value filters may not nest and name plain sub-attributes only.
Result<AttributePath> ParseAttributePath(std::string_view text);

// Prints a path that parses back to an equal one.
std::string ToString(const AttributePath& path);

}  // namespace provisio::mapping
