// The SCIM filter AST (RFC 7644 §3.4.2.2): a small tree of plain structs in a std::variant, walked
// with std::visit. The store translates indexed shapes to SQL by walking it; the evaluator in
// filter_eval.h matches it against a resource.
#pragma once

#include <boost/json/value.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include "scim/attr_path.h"

namespace provisio::scim {

enum class CompareOp { kEq, kNe, kCo, kSw, kEw, kGt, kGe, kLt, kLe, kPr };
enum class LogicalOp { kAnd, kOr };

std::string_view ToString(CompareOp op);  // "eq", ...
std::string_view ToString(LogicalOp op);  // "and", "or"

struct Filter;
using FilterPtr = std::unique_ptr<Filter>;

// `path op value`; for kPr the value is null.
struct Comparison {
  AttrPath path;
  CompareOp op = CompareOp::kEq;
  boost::json::value value;  // string, number, bool or null
};

struct Logical {
  LogicalOp op = LogicalOp::kAnd;
  FilterPtr lhs;
  FilterPtr rhs;
};

struct Not {
  FilterPtr operand;
};

// `path[filter]`: the inner filter names sub-attributes of `path` (path.sub is empty). The
// Entra form `emails[type eq "work"].value eq "x"` parses to `emails[type eq "work" and value eq
// "x"]`, which means the same.
struct ValuePath {
  AttrPath path;
  FilterPtr filter;
};

struct Filter {
  std::variant<Comparison, Logical, Not, ValuePath> node;
};

// Structural equality; numbers compare by JSON kind and value.
bool operator==(const Filter& a, const Filter& b);

Filter Clone(const Filter& filter);

// Prints a filter that parses back to an equal AST; parentheses only where needed.
std::string ToString(const Filter& filter);

// Convenience constructors for building filters in code and tests.
Filter MakeComparison(AttrPath path, CompareOp op, boost::json::value value = nullptr);
Filter MakeLogical(LogicalOp op, Filter lhs, Filter rhs);
Filter MakeNot(Filter operand);
Filter MakeValuePath(AttrPath path, Filter filter);

}  // namespace provisio::scim
