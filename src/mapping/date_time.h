// FormatDateTime's engine: .NET-style custom formats (yyyy yy MM M dd d HH H mm m ss s f..fffffff
// K zzz, 'quoted' literals, anything else literal) for input and output, plus the named input
// formats ISO8601 / RFC3339 (and "") which accept any xsd:dateTime. Output is always in UTC.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace provisio::mapping {

// kInvalidValue with a message (without the function name) when `value` does not match
// `in_format` or a format is unusable.
Result<std::string> ReformatDateTime(std::string_view value, std::string_view in_format,
                                     std::string_view out_format);

}  // namespace provisio::mapping
