#include "scim/attr_path.h"

#include "scim/errors.h"
#include "scim/text.h"

namespace provisio::scim {

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '$';
}

namespace {

bool IsValidName(std::string_view name) {
  if (name.empty()) return false;
  char first = name.front();
  bool alpha = (first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z');
  if (!alpha && first != '$') return false;
  for (size_t i = 1; i < name.size(); ++i) {
    if (!IsNameChar(name[i]) || name[i] == '$') return false;
  }
  return true;
}

}  // namespace

Result<AttrPath> ParseAttrPath(std::string_view text) {
  AttrPath path;
  std::string_view rest = text;
  if (IStartsWith(text, "urn:")) {
    size_t colon = text.rfind(':');
    path.urn = std::string(text.substr(0, colon));
    rest = text.substr(colon + 1);
  }
  size_t dot = rest.find('.');
  std::string_view attr = rest.substr(0, dot);
  std::string_view sub = dot == std::string_view::npos ? std::string_view() : rest.substr(dot + 1);
  if (!IsValidName(attr)) {
    return InvalidPathError("invalid attribute name in path '" + std::string(text) + "'");
  }
  if (dot != std::string_view::npos && !IsValidName(sub)) {
    return InvalidPathError("invalid sub-attribute name in path '" + std::string(text) + "'");
  }
  path.attr = std::string(attr);
  path.sub = std::string(sub);
  return path;
}

std::string ToString(const AttrPath& path) {
  std::string out;
  if (!path.urn.empty()) {
    out += path.urn;
    out += ':';
  }
  out += path.attr;
  if (!path.sub.empty()) {
    out += '.';
    out += path.sub;
  }
  return out;
}

}  // namespace provisio::scim
