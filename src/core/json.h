// Small helpers over Boost.JSON used across modules.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace provisio::json {

// Parses `text` as one JSON value; an invalid_syntax Error naming the offset otherwise.
Result<boost::json::value> Parse(std::string_view text);

// The string member `key` of `obj`, or nullopt when absent or not a string.
std::optional<std::string_view> GetString(const boost::json::object& obj, std::string_view key);
std::optional<bool> GetBool(const boost::json::object& obj, std::string_view key);
std::optional<int64_t> GetInt(const boost::json::object& obj, std::string_view key);

// {"error":{"code":...,"message":...,"details":{...}}}
boost::json::object ErrorBody(const Error& error);

}  // namespace provisio::json
