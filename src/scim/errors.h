// SCIM errors: the one table from provisio::Code to an HTTP status and an RFC 7644 §3.12
// scimType, and the error body SCIM clients expect. Constructors below keep messages uniform.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "core/error.h"

namespace provisio::scim {

inline constexpr std::string_view kErrorSchema = "urn:ietf:params:scim:api:messages:2.0:Error";

// "invalidFilter", "noTarget", ... or "" when the code has no scimType.
std::string_view ScimTypeFor(Code code);

// 400 for the SCIM scimType codes, 404 for kNotFound, 409 for kUniqueness, ...
int HttpStatusFor(Code code);

// {"schemas":[kErrorSchema],"status":"400","scimType":"invalidFilter","detail":"..."};
// scimType is omitted when empty.
boost::json::object ScimErrorBody(int status, std::string_view scim_type, std::string_view detail);

// The body for an Error, status and scimType taken from the table above.
boost::json::object ScimErrorBody(const Error& error);

inline Error InvalidFilterError(std::string m) { return {Code::kInvalidFilter, std::move(m)}; }
inline Error InvalidSyntaxError(std::string m) { return {Code::kInvalidSyntax, std::move(m)}; }
inline Error InvalidPathError(std::string m) { return {Code::kInvalidPath, std::move(m)}; }
inline Error InvalidValueError(std::string m) { return {Code::kInvalidValue, std::move(m)}; }
inline Error NoTargetError(std::string m) { return {Code::kNoTarget, std::move(m)}; }
inline Error MutabilityError(std::string m) { return {Code::kMutability, std::move(m)}; }
inline Error TooManyError(std::string m) { return {Code::kTooMany, std::move(m)}; }

}  // namespace provisio::scim
