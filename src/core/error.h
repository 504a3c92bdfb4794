// Errors as values. Every module returns Result<T> at its seams; an Error carries one code
// from a small closed set, so callers decide what to do from the code alone. HttpStatusOf
// below is the one code -> HTTP status table; scim/errors.h adds the scimType.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

namespace provisio {

enum class Code {
  kInvalidArgument,   // malformed or semantically wrong input
  kInvalidSyntax,     // a request body that does not parse (SCIM invalidSyntax)
  kInvalidFilter,     // SCIM filter that does not parse or cannot be applied
  kInvalidPath,       // SCIM PATCH path that is not valid
  kInvalidValue,      // a value of the wrong type or shape
  kNoTarget,          // SCIM PATCH path that matched nothing
  kMutability,        // attempt to change a readOnly/immutable attribute
  kTooMany,           // the server refuses to return that many results
  kInvalidVersion,    // SCIM version/ETag in an unusable form
  kUnauthenticated,   // no or bad credentials
  kPermissionDenied,  // credentials fine, action not allowed for them
  kNotFound,
  kMethodNotAllowed,
  kTimeout,             // the peer or the client was too slow
  kConflict,            // state conflict (not a uniqueness violation)
  kUniqueness,          // a unique attribute is already taken
  kPreconditionFailed,  // If-Match did not match
  kPayloadTooLarge,
  kRateLimited,
  kUnavailable,  // transient: try again later
  kInternal,
  kNotImplemented,
};

// snake_case name used in JSON error bodies: {"error":{"code":"not_found",...}}.
std::string_view CodeName(Code code);

// The one table from a code to an HTTP status, shared by the admin API (http/status.h) and
// the SCIM error bodies (scim/errors.h), which may not depend on each other.
int HttpStatusOf(Code code);

class Error {
 public:
  Error(Code code, std::string message, boost::json::object details = {})
      : code_(code), message_(std::move(message)), details_(std::move(details)) {}

  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  const boost::json::object& details() const { return details_; }
  boost::json::object& details() { return details_; }

  // "not_found: no such user" — for logs and test failure messages.
  std::string ToString() const;

  static Error InvalidArgument(std::string m) { return {Code::kInvalidArgument, std::move(m)}; }
  static Error NotFound(std::string m) { return {Code::kNotFound, std::move(m)}; }
  static Error Conflict(std::string m) { return {Code::kConflict, std::move(m)}; }
  static Error Internal(std::string m) { return {Code::kInternal, std::move(m)}; }
  static Error Unavailable(std::string m) { return {Code::kUnavailable, std::move(m)}; }
  static Error PermissionDenied(std::string m) { return {Code::kPermissionDenied, std::move(m)}; }
  static Error Unauthenticated(std::string m) { return {Code::kUnauthenticated, std::move(m)}; }

 private:
  Code code_;
  std::string message_;
  boost::json::object details_;
};

}  // namespace provisio
