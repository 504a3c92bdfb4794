// libFuzzer target: any input either fails to parse with kInvalidArgument and a position inside
// the text, or parses to a tree that prints and re-parses to an equal tree and evaluates
// against a fixed user to a value or a kInvalidValue error, without crashing. Inputs that
// parse as a mapping target are also compiled and applied.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "mapping/canonical.h"
#include "mapping/evaluate.h"
#include "mapping/expression_parser.h"
#include "mapping/mapping.h"
#include "mapping/test_user.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace provisio;
  using namespace provisio::mapping;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto expr = ParseExpression(text);
  if (!expr.ok()) {
    if (expr.error().code() != Code::kInvalidArgument) std::abort();
    const auto* pos = expr.error().details().if_contains("position");
    if (pos == nullptr || !pos->is_number() || pos->to_number<int64_t>() < 1 ||
        static_cast<size_t>(pos->to_number<int64_t>()) > size + 1) {
      std::abort();
    }
  } else {
    std::string printed = ToString(*expr);
    auto again = ParseExpression(printed);
    if (!again.ok() || !(*again == *expr) || ToString(*again) != printed) std::abort();
    auto value = Evaluate(*expr, testing::TestUser());
    if (!value.ok() && value.error().code() != Code::kInvalidValue) std::abort();
    if (value.ok()) (void)DesiredStateHash(*value);
  }
  // The same bytes as a target path with a fixed expression, merged with a second mapping.
  std::vector<AttributeMapping> list{{std::string(text), "[userName]"},
                                     {R"(emails[type eq "work"].value)", "[userName]"}};
  auto compiled = Compile(list);
  if (compiled.ok()) {
    auto out = Apply(*compiled, testing::TestUser(), true);
    if (!out.ok()) std::abort();
  } else if (compiled.error().code() != Code::kInvalidArgument) {
    std::abort();
  }
  return 0;
}
