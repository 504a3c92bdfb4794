// Strict reading of JSON request bodies: unknown members, wrong types, missing required
// members and oversized values are refused with a precise error code, so nothing is half
// understood. The precise code travels in the Error's details as "reason" (see Reject).
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace provisio::apps {

// The details member that carries a precise error code ("unknown_field", "last_super_admin")
// beside the coarse Code; the API moves it into the error body's "code".
inline constexpr std::string_view kReasonKey = "reason";

Error Reject(Code code, std::string_view reason, std::string message,
             boost::json::object details = {});

inline constexpr size_t kMaxNameChars = 200;
inline constexpr size_t kMaxDescriptionChars = 2000;

class Input {
 public:
  // A request body that must be one JSON object (invalid_json / invalid_type otherwise).
  static Result<Input> Parse(std::string_view body);
  // `v` as an object; `path` names it in errors ("auth", "settings").
  static Result<Input> FromValue(const boost::json::value& v, std::string path);

  // unknown_field naming the first member not in `allowed`.
  Status AllowOnly(std::initializer_list<std::string_view> allowed) const;
  bool Has(std::string_view key) const { return obj_.contains(key); }
  bool IsNull(std::string_view key) const;
  const boost::json::object& object() const { return obj_; }
  // "auth.token" for key "token" under path "auth".
  std::string FieldName(std::string_view key) const;

  // missing_field when absent, invalid_type when not a string, empty_value when "" (unless
  // allow_empty), value_too_long beyond max_chars (UTF-8 code points), invalid_value when
  // it holds control characters.
  Result<std::string> String(std::string_view key, size_t max_chars,
                             bool allow_empty = false) const;
  Result<std::optional<std::string>> OptString(std::string_view key, size_t max_chars,
                                               bool allow_empty = false) const;
  Result<std::optional<bool>> OptBool(std::string_view key) const;
  // missing_field when absent, invalid_type unless a JSON integer (1.0 and "1" are not).
  Result<int64_t> Integer(std::string_view key) const;
  // A list of distinct non-empty strings.
  Result<std::optional<std::vector<std::string>>> OptStringList(std::string_view key,
                                                                size_t max_items,
                                                                size_t max_chars) const;
  Result<std::optional<Input>> OptObject(std::string_view key) const;

 private:
  Input(boost::json::object obj, std::string path) : obj_(std::move(obj)), path_(std::move(path)) {}
  boost::json::object obj_;
  std::string path_;
};

// One of `allowed`, else invalid_value listing them.
Status CheckOneOf(std::string_view field, std::string_view value,
                  std::initializer_list<std::string_view> allowed);

}  // namespace provisio::apps
