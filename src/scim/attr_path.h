// An attribute path as RFC 7644 writes it: [URN ":"] attribute ["." subAttribute]. Used by
// filters, PATCH paths and attribute projections.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace provisio::scim {

struct AttrPath {
  std::string urn;  // schema URN prefix, empty when not qualified
  std::string attr;
  std::string sub;  // empty when the path names a whole attribute

  friend bool operator==(const AttrPath&, const AttrPath&) = default;
};

// Parses "name.givenName", "urn:...:enterprise:2.0:User:manager.value", "$ref". An error
// (kInvalidPath) names what is wrong; callers re-code it for their context.
Result<AttrPath> ParseAttrPath(std::string_view text);

// The inverse of ParseAttrPath.
std::string ToString(const AttrPath& path);

// True for characters that may appear in an attribute name (ATTRNAME plus '$' for "$ref").
bool IsNameChar(char c);

}  // namespace provisio::scim
