#include "core/json.h"

namespace provisio::json {

Result<boost::json::value> Parse(std::string_view text) {
  boost::system::error_code ec;
  boost::json::parse_options opts;
  opts.max_depth = 64;
  boost::json::value v = boost::json::parse(text, ec, {}, opts);
  if (ec) {
    return Error(Code::kInvalidSyntax, "request body is not valid JSON: " + ec.message());
  }
  return v;
}

std::optional<std::string_view> GetString(const boost::json::object& obj, std::string_view key) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->value().is_string()) return std::nullopt;
  return std::string_view(it->value().get_string());
}

std::optional<bool> GetBool(const boost::json::object& obj, std::string_view key) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->value().is_bool()) return std::nullopt;
  return it->value().get_bool();
}

std::optional<int64_t> GetInt(const boost::json::object& obj, std::string_view key) {
  auto it = obj.find(key);
  if (it == obj.end()) return std::nullopt;
  if (it->value().is_int64()) return it->value().get_int64();
  if (it->value().is_uint64() && it->value().get_uint64() <= INT64_MAX) {
    return static_cast<int64_t>(it->value().get_uint64());
  }
  return std::nullopt;
}

boost::json::object ErrorBody(const Error& error) {
  boost::json::object inner;
  inner["code"] = CodeName(error.code());
  inner["message"] = error.message();
  if (!error.details().empty()) inner["details"] = error.details();
  boost::json::object body;
  body["error"] = std::move(inner);
  return body;
}

}  // namespace provisio::json
