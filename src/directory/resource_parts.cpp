#include "directory/resource_parts.h"

namespace provisio::directory {

std::string ETag(int64_t version) { return "W/\"" + std::to_string(version) + "\""; }

bool ETagMatches(std::string_view list, int64_t version) {
  std::string current = std::to_string(version);
  size_t pos = 0;
  for (;;) {
    size_t comma = list.find(',', pos);
    std::string_view tag =
        list.substr(pos, comma == std::string_view::npos ? list.npos : comma - pos);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    if (tag == "*") return true;
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag.size() >= 2 && tag.front() == '"' && tag.back() == '"') {
      tag = tag.substr(1, tag.size() - 2);
    }
    if (tag == current) return true;
    if (comma == std::string_view::npos) return false;
    pos = comma + 1;
  }
}

namespace internal {

std::string StoredJson(boost::json::object resource) {
  for (std::string_view key : {"id", "meta", "groups", "members", "password"}) resource.erase(key);
  return boost::json::serialize(resource);
}

Result<boost::json::object> WithIdAndMeta(std::string_view stored, std::string_view id,
                                          std::string_view resource_type, TimePoint created,
                                          TimePoint updated, int64_t version) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(stored, ec);
  if (ec || !v.is_object()) {
    return Error::Internal("stored " + std::string(resource_type) + " " + std::string(id) +
                           " is not a JSON object");
  }
  boost::json::object out;
  out.reserve(v.get_object().size() + 2);
  auto& in = v.get_object();
  if (auto it = in.find("schemas"); it != in.end()) out["schemas"] = it->value();
  out["id"] = id;
  for (auto& [k, val] : in) {
    if (k != "schemas") out[k] = std::move(val);
  }
  out["meta"] = boost::json::object{{"resourceType", resource_type},
                                    {"created", FormatRfc3339(created)},
                                    {"lastModified", FormatRfc3339(updated)},
                                    {"version", ETag(version)}};
  return out;
}

Status CheckPrecondition(const Precondition& pre, int64_t version) {
  if (!pre.if_match || ETagMatches(*pre.if_match, version)) return Ok();
  return Error(Code::kPreconditionFailed, "the resource has changed: its version is " +
                                              ETag(version) + ", the request's If-Match is " +
                                              *pre.if_match);
}

std::optional<std::string> OptionalString(const boost::json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_string()) return std::nullopt;
  return std::string(it->value().get_string());
}

namespace {

constexpr std::string_view kEnterpriseUser =
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

void WrapIfString(boost::json::value& v) {
  if (v.is_string()) v = boost::json::object{{"value", v.get_string()}};
}

bool IsManagerPath(std::string_view path) {
  return path.size() == kEnterpriseUser.size() + 8 &&
         IEquals(path.substr(0, kEnterpriseUser.size()), kEnterpriseUser) &&
         IEquals(path.substr(kEnterpriseUser.size()), ":manager");
}

}  // namespace

void AcceptBareManager(boost::json::object& resource) {
  for (auto& [key, value] : resource) {
    if (IsManagerPath(key)) {
      WrapIfString(value);
    } else if (IEquals(key, kEnterpriseUser) && value.is_object()) {
      for (auto& [k, v] : value.get_object()) {
        if (IEquals(k, "manager")) WrapIfString(v);
      }
    }
  }
}

void AcceptBareManagerInPatch(boost::json::value& patch) {
  if (!patch.is_object()) return;
  auto* ops = patch.get_object().if_contains("Operations");
  if (ops == nullptr || !ops->is_array()) return;
  for (auto& op : ops->get_array()) {
    if (!op.is_object()) continue;
    auto& o = op.get_object();
    auto* value = o.if_contains("value");
    if (value == nullptr) continue;
    auto* path = o.if_contains("path");
    if (path != nullptr && path->is_string()) {
      if (IsManagerPath(path->get_string()))
        WrapIfString(*value);
      else if (IEquals(path->get_string(), kEnterpriseUser) && value->is_object()) {
        boost::json::object wrapped{{std::string(kEnterpriseUser), *value}};
        AcceptBareManager(wrapped);
        *value = std::move(wrapped.begin()->value());
      }
    } else if (path == nullptr && value->is_object()) {
      AcceptBareManager(value->get_object());
    }
  }
}

bool SameJson(std::string_view a, std::string_view b) {
  if (a == b) return true;
  boost::system::error_code ea, eb;
  boost::json::value va = boost::json::parse(a, ea);
  boost::json::value vb = boost::json::parse(b, eb);
  return !ea && !eb && va == vb;
}

}  // namespace internal
}  // namespace provisio::directory
