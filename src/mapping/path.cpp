#include "mapping/path.h"

#include <algorithm>
#include <cstdlib>

#include "mapping/utf8.h"
#include "scim/filter_parser.h"

namespace provisio::mapping {

AttributePath::AttributePath(const AttributePath& other)
    : attr(other.attr),
      filter(other.filter ? std::optional<scim::Filter>(scim::Clone(*other.filter)) : std::nullopt),
      filter_sub(other.filter_sub) {}

AttributePath& AttributePath::operator=(const AttributePath& other) {
  if (this != &other) *this = AttributePath(other);
  return *this;
}

bool operator==(const AttributePath& a, const AttributePath& b) {
  if (!(a.attr == b.attr) || a.filter_sub != b.filter_sub) return false;
  if (a.filter.has_value() != b.filter.has_value()) return false;
  return !a.filter || *a.filter == *b.filter;
}

namespace {

Error Fail(std::string_view text, size_t byte_offset, const std::string& what) {
  size_t pos = CharPosition(text, byte_offset);
  return Error(Code::kInvalidArgument,
               "invalid attribute path at position " + std::to_string(pos) + ": " + what,
               {{"position", pos}});
}

// The ']' closing the '[' at `open`, skipping quoted strings; npos when unclosed.
size_t MatchingBracket(std::string_view text, size_t open) {
  int depth = 0;
  for (size_t i = open; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"') {
      for (++i; i < text.size() && text[i] != '"'; ++i) {
        if (text[i] == '\\') ++i;
      }
    } else if (c == '[') {
      ++depth;
    } else if (c == ']' && --depth == 0) {
      return i;
    }
  }
  return std::string_view::npos;
}

// Value filters name plain sub-attributes and do not nest.
bool PlainElementFilter(const scim::Filter& f) {
  if (const auto* c = std::get_if<scim::Comparison>(&f.node)) {
    return c->path.urn.empty() && c->path.sub.empty();
  }
  if (const auto* l = std::get_if<scim::Logical>(&f.node)) {
    return PlainElementFilter(*l->lhs) && PlainElementFilter(*l->rhs);
  }
  if (const auto* n = std::get_if<scim::Not>(&f.node)) return PlainElementFilter(*n->operand);
  return false;
}

constexpr std::string_view kExpectedName =
    "expected an attribute name such as userName, name.givenName or "
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department";

}  // namespace

Result<AttributePath> ParseAttributePath(std::string_view text) {
  AttributePath p;
  if (text.empty()) return Fail(text, 0, std::string(kExpectedName));
  size_t open = text.find('[');
  if (open == std::string_view::npos) {
    auto attr = scim::ParseAttrPath(text);
    if (!attr.ok()) return Fail(text, 0, std::string(kExpectedName));
    p.attr = std::move(attr).value();
    return p;
  }
  auto attr = scim::ParseAttrPath(text.substr(0, open));
  if (!attr.ok() || !attr->sub.empty()) {
    return Fail(text, 0, "expected a multi-valued attribute name before '['");
  }
  p.attr = std::move(attr).value();
  size_t close = MatchingBracket(text, open);
  if (close == std::string_view::npos) return Fail(text, open, "expected ']' to close '['");
  std::string_view inner = text.substr(open + 1, close - open - 1);
  auto filter = scim::ParseFilter(inner);
  if (!filter.ok()) {
    // Point at the spot inside the brackets the filter parser names ("... at position N: what").
    std::string message = filter.error().message();
    size_t offset = 0;
    constexpr std::string_view kAt = "at position ";
    if (size_t at = message.find(kAt); at != std::string::npos) {
      size_t colon = message.find(": ", at);
      offset = std::min<size_t>(std::strtoul(message.c_str() + at + kAt.size(), nullptr, 10),
                                inner.size());
      if (colon != std::string::npos) message = message.substr(colon + 2);
    }
    return Fail(text, open + 1 + offset, "expected a SCIM filter inside [...]: " + message);
  }
  if (!PlainElementFilter(*filter)) {
    return Fail(text, open + 1,
                "expected a filter over plain sub-attribute names inside [...] (no URNs, dots or "
                "nested brackets)");
  }
  p.filter = std::move(filter).value();
  std::string_view after = text.substr(close + 1);
  if (!after.empty()) {
    auto sub = after.front() == '.' ? scim::ParseAttrPath(after.substr(1))
                                    : Result<scim::AttrPath>(Error::InvalidArgument(""));
    if (!sub.ok() || !sub->urn.empty() || !sub->sub.empty()) {
      return Fail(text, close + 1, "expected '.' and a sub-attribute name after ']'");
    }
    p.filter_sub = sub->attr;
  }
  return p;
}

std::string ToString(const AttributePath& path) {
  std::string out = scim::ToString(path.attr);
  if (path.filter) {
    out += '[';
    out += scim::ToString(*path.filter);
    out += ']';
    if (!path.filter_sub.empty()) {
      out += '.';
      out += path.filter_sub;
    }
  }
  return out;
}

}  // namespace provisio::mapping
