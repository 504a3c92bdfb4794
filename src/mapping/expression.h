// The expression language of attribute mappings (modelled on Microsoft Entra ID's): a tree of
// literals, attribute references into the portal user and function calls. Parsing is in
// expression_parser.h, evaluation in evaluate.h, the functions in functions.h.
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <variant>
#include <vector>

#include "mapping/functions.h"
#include "mapping/path.h"

namespace provisio::mapping {

struct Expression;

// "text", 42, 1.5, true, false, null.
struct Literal {
  boost::json::value value;  // string, int64, double, bool or null
};

// [userName], [emails[type eq "work"].value], [urn:...:enterprise:2.0:User:manager.value].
struct Reference {
  AttributePath path;
};

// Name(arg, ...); `a = b` parses to Equals(a, b).
struct Call {
  Function function = Function::kJoin;
  std::vector<Expression> args;
};

struct Expression {
  std::variant<Literal, Reference, Call> node;
  size_t position = 0;  // 1-based character where the expression starts in its source text
};

// Structural equality; positions are ignored, numbers compare by JSON kind and value.
bool operator==(const Expression& a, const Expression& b);

// Prints an expression that parses back to an equal one (canonical function names, `a = b`
// printed as Equals(a, b), strings with \" and \\ escapes).
std::string ToString(const Expression& expr);

}  // namespace provisio::mapping
