// Splitting and percent-decoding a request-target into Request::path and Request::query.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace provisio::http {

struct Target {
  std::string path;
  std::vector<std::pair<std::string, std::string>> query;
};

// Percent-decodes `in`; with `plus_as_space` a '+' becomes ' ' (query strings). False on a
// malformed escape ("%zz", a trailing '%') or an encoded NUL.
bool PercentDecode(std::string_view in, bool plus_as_space, std::string& out);

// Accepts origin-form ("/a/b?x=1"), absolute-form ("http://host/a?x=1") and "*".
// invalid_argument when the target is empty, not one of those forms or badly encoded.
Result<Target> ParseTarget(std::string_view target);

}  // namespace provisio::http
