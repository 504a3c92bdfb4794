#include "mapping/expression.h"

#include <charconv>
#include <cmath>

namespace provisio::mapping {

namespace json = boost::json;

bool operator==(const Expression& a, const Expression& b) {
  if (a.node.index() != b.node.index()) return false;
  if (const auto* x = std::get_if<Literal>(&a.node)) {
    const auto& y = std::get<Literal>(b.node);
    return x->value.kind() == y.value.kind() && x->value == y.value;
  }
  if (const auto* x = std::get_if<Reference>(&a.node))
    return x->path == std::get<Reference>(b.node).path;
  const auto& x = std::get<Call>(a.node);
  const auto& y = std::get<Call>(b.node);
  return x.function == y.function && x.args == y.args;
}

namespace {

void PrintDouble(double d, std::string& out) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, d);
  std::string_view s(buf, static_cast<size_t>(r.ptr - buf));
  out += s;
  // Keep it a decimal on re-parse: "2" would come back as an integer.
  if (s.find_first_of(".e") == std::string_view::npos) out += ".0";
}

void Print(const Expression& e, std::string& out) {
  if (const auto* lit = std::get_if<Literal>(&e.node)) {
    const json::value& v = lit->value;
    switch (v.kind()) {
      case json::kind::string:
        out += '"';
        for (char c : v.get_string()) {
          if (c == '"' || c == '\\') out += '\\';
          out += c;
        }
        out += '"';
        return;
      case json::kind::int64:
        out += std::to_string(v.get_int64());
        return;
      case json::kind::uint64:
        out += std::to_string(v.get_uint64());
        return;
      case json::kind::double_:
        PrintDouble(v.get_double(), out);
        return;
      case json::kind::bool_:
        out += v.get_bool() ? "true" : "false";
        return;
      default:
        out += "null";
        return;
    }
  }
  if (const auto* ref = std::get_if<Reference>(&e.node)) {
    out += '[';
    out += ToString(ref->path);
    out += ']';
    return;
  }
  const auto& call = std::get<Call>(e.node);
  out += Info(call.function).name;
  out += '(';
  for (size_t i = 0; i < call.args.size(); ++i) {
    if (i > 0) out += ", ";
    Print(call.args[i], out);
  }
  out += ')';
}

}  // namespace

std::string ToString(const Expression& expr) {
  std::string out;
  Print(expr, out);
  return out;
}

}  // namespace provisio::mapping
