// Parses mapping expressions: a hand-written lexer and recursive-descent parser. Errors are
// kInvalidArgument, say what was expected at a 1-based character position, and carry
// details {"position": N} so the console can point at it when a mapping is saved.
#pragma once

#include <string_view>

#include "core/result.h"
#include "mapping/expression.h"

namespace provisio::mapping {

struct ExpressionLimits {
  size_t max_length = 16 * 1024;  // bytes
  size_t max_depth = 64;          // nested calls
};

Result<Expression> ParseExpression(std::string_view text, const ExpressionLimits& limits = {});

}  // namespace provisio::mapping
