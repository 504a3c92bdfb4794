// Maps (method, path) to a handler. Patterns are literal segments, "{name}" (one segment) and
// a final "{name*}" (the rest, '/' included). Literals beat parameters beat the wildcard at
// each depth; a route with method "*" matches any method.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/result.h"
#include "http/request.h"
#include "http/response.h"

namespace provisio::http {

using Handler = std::function<Response(Request&)>;

struct RouteOptions {
  // true: cheap and non-blocking, runs on the I/O thread (healthz). Otherwise the handler
  // runs on the blocking worker pool because it may call the store.
  bool inline_io = false;
  size_t max_body_bytes = 0;  // 0: the server default
};

class Router {
 public:
  struct Match {
    const Handler* handler = nullptr;
    RouteOptions options;
    std::unordered_map<std::string, std::string> params;
    std::string route;  // the pattern, for metrics labels
  };

  Router();
  ~Router();
  Router(Router&&) noexcept;
  Router& operator=(Router&&) noexcept;

  // Registers a route. Throws std::invalid_argument on a malformed pattern ("{name*}" not
  // last, an empty or unbalanced "{}") or on a duplicate (method, pattern): both are
  // programming errors found at start-up.
  void Add(std::string_view method, std::string_view pattern, Handler handler,
           RouteOptions options = {});

  // A match; not_found; or method_not_allowed whose details carry "allow": "GET, POST".
  Result<Match> Find(std::string_view method, std::string_view path) const;

 private:
  struct Node;
  std::unique_ptr<Node> root_;
};

}  // namespace provisio::http
