#include "http/router.h"

#include <boost/json/object.hpp>
#include <map>
#include <set>
#include <stdexcept>
#include <vector>

namespace provisio::http {
namespace {

// "/a/b" -> {"a", "b"}; "/" -> {""}. Views point into `path`.
std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> out;
  path.remove_prefix(1);
  while (true) {
    size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

}  // namespace

struct Router::Node {
  struct Route {
    Handler handler;
    RouteOptions options;
    std::string pattern;
    std::vector<std::string> param_names;  // in path order; the wildcard's last
  };

  std::map<std::string, std::unique_ptr<Node>, std::less<>> literals;
  std::unique_ptr<Node> param;
  std::unique_ptr<Node> wildcard;
  std::map<std::string, Route, std::less<>> routes;  // by method
};

Router::Router() : root_(std::make_unique<Node>()) {}
Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;

void Router::Add(std::string_view method, std::string_view pattern, Handler handler,
                 RouteOptions options) {
  auto fail = [&](std::string_view why) {
    throw std::invalid_argument("route " + std::string(method) + " " + std::string(pattern) + ": " +
                                std::string(why));
  };
  if (method.empty()) fail("empty method");
  if (pattern.empty() || pattern.front() != '/') fail("pattern must start with '/'");
  Node::Route route{std::move(handler), options, std::string(pattern), {}};
  Node* node = root_.get();
  std::vector<std::string_view> segments = Split(pattern);
  for (size_t i = 0; i < segments.size(); ++i) {
    std::string_view seg = segments[i];
    bool open = seg.find('{') != std::string_view::npos;
    bool close = seg.find('}') != std::string_view::npos;
    if (!open && !close) {
      auto it = node->literals.find(seg);
      if (it == node->literals.end()) {
        it = node->literals.emplace(std::string(seg), std::make_unique<Node>()).first;
      }
      node = it->second.get();
      continue;
    }
    if (seg.size() < 3 || seg.front() != '{' || seg.back() != '}') fail("bad parameter segment");
    std::string_view name = seg.substr(1, seg.size() - 2);
    bool rest = name.back() == '*';
    if (rest) name.remove_suffix(1);
    if (name.empty() || name.find_first_of("{}*") != std::string_view::npos) {
      fail("bad parameter name");
    }
    route.param_names.emplace_back(name);
    std::unique_ptr<Node>& child = rest ? node->wildcard : node->param;
    if (rest && i + 1 != segments.size()) fail("{name*} must be the last segment");
    if (!child) child = std::make_unique<Node>();
    node = child.get();
  }
  if (!node->routes.emplace(std::string(method), std::move(route)).second) {
    fail("registered twice");
  }
}

Result<Router::Match> Router::Find(std::string_view method, std::string_view path) const {
  if (path.empty() || path.front() != '/')
    return Error::NotFound("no route for " + std::string(path));
  std::vector<std::string_view> segs = Split(path);
  std::vector<std::string_view> captures;
  std::set<std::string, std::less<>> allowed;
  const Node::Route* found = nullptr;
  std::vector<std::string_view> found_captures;

  // Depth-first in precedence order (literal, parameter, wildcard); the first node whose
  // routes accept `method` wins; nodes that match the path but not the method feed Allow.
  auto visit_terminal = [&](const Node& node) {
    if (node.routes.empty()) return false;
    auto it = node.routes.find(method);
    if (it == node.routes.end()) it = node.routes.find(std::string_view("*"));
    if (it != node.routes.end()) {
      found = &it->second;
      found_captures = captures;
      return true;
    }
    for (const auto& [m, r] : node.routes) allowed.insert(m);
    return false;
  };
  auto search = [&](auto&& self, const Node& node, size_t idx) -> bool {
    if (idx == segs.size()) {
      if (visit_terminal(node)) return true;
    } else {
      auto lit = node.literals.find(segs[idx]);
      if (lit != node.literals.end() && self(self, *lit->second, idx + 1)) return true;
      if (node.param && !segs[idx].empty()) {
        captures.push_back(segs[idx]);
        if (self(self, *node.param, idx + 1)) return true;
        captures.pop_back();
      }
    }
    if (node.wildcard) {
      std::string_view rest =
          idx == segs.size() ? std::string_view() : path.substr(segs[idx].data() - path.data());
      captures.push_back(rest);
      if (visit_terminal(*node.wildcard)) return true;
      captures.pop_back();
    }
    return false;
  };

  if (search(search, *root_, 0)) {
    Match match;
    match.handler = &found->handler;
    match.options = found->options;
    match.route = found->pattern;
    for (size_t i = 0; i < found->param_names.size() && i < found_captures.size(); ++i) {
      match.params.emplace(found->param_names[i], std::string(found_captures[i]));
    }
    return match;
  }
  if (allowed.empty()) return Error::NotFound("no route for " + std::string(path));
  std::string allow;
  for (const auto& m : allowed) {
    if (!allow.empty()) allow += ", ";
    allow += m;
  }
  Error error(Code::kMethodNotAllowed, "method " + std::string(method) + " not allowed");
  error.details()["allow"] = allow;
  return error;
}

}  // namespace provisio::http
