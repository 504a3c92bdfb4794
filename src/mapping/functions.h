// The function library of mapping expressions: names (case-insensitive), arities checked when
// an expression is parsed, and the strict functions applied to evaluated arguments. IIF,
// Coalesce and Switch evaluate only the arguments they need and live in the evaluator.
#pragma once

#include <boost/json/value.hpp>
#include <span>
#include <string>
#include <string_view>

#include "core/result.h"

namespace provisio::mapping {

enum class Function {
  kAppend,
  kCoalesce,
  kEquals,
  kFormatDateTime,
  kIIF,
  kIsNullOrEmpty,
  kIsPresent,
  kJoin,
  kLeft,
  kMid,
  kNormalizeDiacritics,
  kNot,
  kReplace,
  kSplit,
  kSwitch,
  kToLower,
  kToUpper,
  kWord,
};

struct FunctionInfo {
  Function function;
  std::string_view name;  // canonical spelling
  size_t min_args;
  size_t max_args;             // kVariadic when unbounded
  std::string_view signature;  // for messages and docs: "Left(source, length)"
};

inline constexpr size_t kVariadic = static_cast<size_t>(-1);

std::span<const FunctionInfo> Functions();
const FunctionInfo& Info(Function function);
// Case-insensitive; nullptr when there is no such function.
const FunctionInfo* FindFunction(std::string_view name);

// Empty when `count` arguments suit the function, else what it expects ("2 arguments",
// "an even number of arguments, at least 4").
std::string CheckArity(Function function, size_t count);

// Applies a strict function (any but IIF, Coalesce and Switch) to evaluated arguments. Errors
// are kInvalidValue and start with the function name: "Left: argument 2 (length) must be a
// non-negative integer, got string".
Result<boost::json::value> ApplyFunction(Function function,
                                         std::span<const boost::json::value> args);

// True for values that are not null, "", [] or {} (IsPresent, Coalesce, Join's skipping).
bool IsPresentValue(const boost::json::value& v);

// Equals: numbers by value (1 = 1.0), strings exactly, arrays and objects member by member.
bool ValuesEqual(const boost::json::value& a, const boost::json::value& b);

// "string", "number", "boolean", "array", "object", "null".
std::string_view KindName(const boost::json::value& v);

}  // namespace provisio::mapping
