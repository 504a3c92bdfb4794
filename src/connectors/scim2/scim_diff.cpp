#include "connectors/scim2/scim_diff.h"

#include <string>
#include <string_view>

namespace provisio::connectors::scim2 {
namespace {

bool Managed(std::string_view key) { return key != "id" && key != "meta" && key != "schemas"; }

bool IsExtension(std::string_view key) { return key.starts_with("urn:"); }

std::string Join(std::string_view parent, std::string_view key) {
  // Extension attributes are addressed "urn:...:User:attr"; core sub-attributes "name.given".
  return std::string(parent) + (IsExtension(parent) ? ":" : ".") + std::string(key);
}

void AddOp(boost::json::array& ops, std::string_view op, std::string path,
           const boost::json::value* value) {
  boost::json::object o{{"op", op}, {"path", std::move(path)}};
  if (value != nullptr) o["value"] = *value;
  ops.push_back(std::move(o));
}

}  // namespace

boost::json::array DiffToPatchOperations(const boost::json::object& current,
                                         const boost::json::object& desired) {
  boost::json::array ops;
  for (const auto& [key, want] : desired) {
    if (!Managed(key)) continue;
    const boost::json::value* have = current.if_contains(key);
    if (want.is_null()) {
      if (have != nullptr && !have->is_null()) AddOp(ops, "remove", std::string(key), nullptr);
      continue;
    }
    if (have != nullptr && *have == want) continue;
    if (want.is_object() && have != nullptr && have->is_object()) {
      const auto& have_obj = have->as_object();
      for (const auto& [sub, sub_want] : want.as_object()) {
        const boost::json::value* sub_have = have_obj.if_contains(sub);
        if (sub_want.is_null()) {
          if (sub_have != nullptr && !sub_have->is_null()) {
            AddOp(ops, "remove", Join(key, sub), nullptr);
          }
        } else if (sub_have == nullptr || *sub_have != sub_want) {
          AddOp(ops, "replace", Join(key, sub), &sub_want);
        }
      }
      continue;
    }
    AddOp(ops, "replace", std::string(key), &want);
  }
  return ops;
}

boost::json::object MergeForReplace(const boost::json::object& current,
                                    const boost::json::object& desired) {
  boost::json::object out = current;
  out.erase("meta");
  for (const auto& [key, want] : desired) {
    if (key == "id" || key == "meta") continue;
    if (want.is_null()) {
      out.erase(key);
    } else if (want.is_object() && out.contains(key) && out[key].is_object()) {
      auto& obj = out[key].as_object();
      for (const auto& [sub, sub_want] : want.as_object()) {
        if (sub_want.is_null()) {
          obj.erase(sub);
        } else {
          obj[sub] = sub_want;
        }
      }
    } else {
      out[key] = want;
    }
  }
  return out;
}

void SetSchemas(boost::json::object& resource, std::string_view core_schema) {
  if (resource.contains("schemas")) return;
  boost::json::array schemas{boost::json::string(core_schema)};
  for (const auto& [key, value] : resource) {
    if (key.size() > 4 && (key.starts_with("urn:") || key.starts_with("URN:")) &&
        value.is_object() && key != core_schema) {
      schemas.push_back(boost::json::string(key));
    }
  }
  resource["schemas"] = std::move(schemas);
}

}  // namespace provisio::connectors::scim2
