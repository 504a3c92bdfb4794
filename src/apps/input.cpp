#include "apps/input.h"

#include <boost/json/parse.hpp>
#include <set>

#include "core/json.h"

namespace provisio::apps {
namespace {

size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

bool HasControl(std::string_view s, bool allow_newlines) {
  for (unsigned char c : s) {
    if (allow_newlines && (c == '\n' || c == '\r' || c == '\t')) continue;
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

std::string_view KindName(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::null:
      return "null";
    case boost::json::kind::bool_:
      return "boolean";
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
    case boost::json::kind::double_:
      return "number";
    case boost::json::kind::string:
      return "string";
    case boost::json::kind::array:
      return "array";
    case boost::json::kind::object:
      return "object";
  }
  return "value";
}

Error WrongType(const std::string& field, std::string_view expected, const boost::json::value& v) {
  return Reject(Code::kInvalidValue, "invalid_type",
                field + " must be " + std::string(expected) + ", not " + std::string(KindName(v)),
                {{"field", field}, {"expected", expected}});
}

}  // namespace

Error Reject(Code code, std::string_view reason, std::string message, boost::json::object details) {
  details[kReasonKey] = reason;
  return Error(code, std::move(message), std::move(details));
}

Result<Input> Input::Parse(std::string_view body) {
  auto v = json::Parse(body);
  if (!v.ok()) return Reject(Code::kInvalidSyntax, "invalid_json", v.error().message());
  return FromValue(*v, "");
}

Result<Input> Input::FromValue(const boost::json::value& v, std::string path) {
  if (!v.is_object()) {
    return WrongType(path.empty() ? "the request body" : path, "an object", v);
  }
  return Input(v.get_object(), std::move(path));
}

std::string Input::FieldName(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

Status Input::AllowOnly(std::initializer_list<std::string_view> allowed) const {
  for (const auto& kv : obj_) {
    bool known = false;
    for (std::string_view a : allowed) known = known || kv.key() == a;
    if (!known) {
      std::string field = FieldName(kv.key());
      boost::json::array names;
      for (std::string_view a : allowed) names.emplace_back(a);
      return Reject(Code::kInvalidArgument, "unknown_field", "unknown field '" + field + "'",
                    {{"field", field}, {"allowed", std::move(names)}});
    }
  }
  return Ok();
}

bool Input::IsNull(std::string_view key) const {
  auto it = obj_.find(key);
  return it != obj_.end() && it->value().is_null();
}

Result<std::optional<std::string>> Input::OptString(std::string_view key, size_t max_chars,
                                                    bool allow_empty) const {
  auto it = obj_.find(key);
  if (it == obj_.end()) return std::optional<std::string>();
  std::string field = FieldName(key);
  if (!it->value().is_string()) return WrongType(field, "a string", it->value());
  std::string_view s = it->value().get_string();
  if (s.empty() && !allow_empty) {
    return Reject(Code::kInvalidValue, "empty_value", field + " must not be empty",
                  {{"field", field}});
  }
  if (CodePoints(s) > max_chars) {
    return Reject(Code::kInvalidValue, "value_too_long",
                  field + " is longer than " + std::to_string(max_chars) + " characters",
                  {{"field", field}, {"max_length", max_chars}});
  }
  if (HasControl(s, /*allow_newlines=*/max_chars > kMaxNameChars)) {
    return Reject(Code::kInvalidValue, "invalid_value", field + " contains control characters",
                  {{"field", field}});
  }
  return std::optional<std::string>(std::string(s));
}

Result<std::string> Input::String(std::string_view key, size_t max_chars, bool allow_empty) const {
  ASSIGN_OR_RETURN(auto s, OptString(key, max_chars, allow_empty));
  if (!s) {
    std::string field = FieldName(key);
    return Reject(Code::kInvalidArgument, "missing_field", field + " is required",
                  {{"field", field}});
  }
  return std::move(*s);
}

Result<std::optional<bool>> Input::OptBool(std::string_view key) const {
  auto it = obj_.find(key);
  if (it == obj_.end()) return std::optional<bool>();
  if (!it->value().is_bool()) return WrongType(FieldName(key), "a boolean", it->value());
  return std::optional<bool>(it->value().get_bool());
}

Result<int64_t> Input::Integer(std::string_view key) const {
  auto it = obj_.find(key);
  std::string field = FieldName(key);
  if (it == obj_.end()) {
    return Reject(Code::kInvalidArgument, "missing_field", field + " is required",
                  {{"field", field}});
  }
  if (it->value().is_int64()) return it->value().get_int64();
  if (it->value().is_uint64()) {
    return Reject(Code::kInvalidValue, "out_of_range", field + " is too large", {{"field", field}});
  }
  return WrongType(field, "an integer", it->value());
}

Result<std::optional<std::vector<std::string>>> Input::OptStringList(std::string_view key,
                                                                     size_t max_items,
                                                                     size_t max_chars) const {
  using Out = std::optional<std::vector<std::string>>;
  auto it = obj_.find(key);
  if (it == obj_.end()) return Out();
  std::string field = FieldName(key);
  if (!it->value().is_array()) return WrongType(field, "an array of strings", it->value());
  const auto& arr = it->value().get_array();
  if (arr.size() > max_items) {
    return Reject(Code::kInvalidValue, "too_many_items",
                  field + " has more than " + std::to_string(max_items) + " items",
                  {{"field", field}, {"max_items", max_items}});
  }
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const auto& v : arr) {
    if (!v.is_string()) return WrongType(field + "[]", "a string", v);
    std::string_view s = v.get_string();
    if (s.empty() || CodePoints(s) > max_chars || HasControl(s, false)) {
      return Reject(
          Code::kInvalidValue, "invalid_value",
          field + " items must be 1 to " + std::to_string(max_chars) + " printable characters",
          {{"field", field}});
    }
    if (!seen.insert(std::string(s)).second) {
      return Reject(Code::kInvalidValue, "duplicate_value",
                    field + " lists '" + std::string(s) + "' twice", {{"field", field}});
    }
    out.emplace_back(s);
  }
  return Out(std::move(out));
}

Result<std::optional<Input>> Input::OptObject(std::string_view key) const {
  auto it = obj_.find(key);
  if (it == obj_.end()) return std::optional<Input>();
  ASSIGN_OR_RETURN(Input in, FromValue(it->value(), FieldName(key)));
  return std::optional<Input>(std::move(in));
}

Status CheckOneOf(std::string_view field, std::string_view value,
                  std::initializer_list<std::string_view> allowed) {
  std::string list;
  for (std::string_view a : allowed) {
    if (a == value) return Ok();
    if (!list.empty()) list += ", ";
    list += a;
  }
  boost::json::array names;
  for (std::string_view a : allowed) names.emplace_back(a);
  return Reject(Code::kInvalidValue, "invalid_value",
                std::string(field) + " must be one of: " + list,
                {{"field", field}, {"allowed", std::move(names)}});
}

}  // namespace provisio::apps
