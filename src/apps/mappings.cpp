#include "apps/mappings.h"

#include <boost/json/serialize.hpp>
#include <set>

#include "apps/input.h"
#include "mapping/mapping.h"

namespace provisio::apps {

Result<std::string> ParseMappings(const boost::json::value& list, std::string_view field) {
  std::string name(field);
  if (!list.is_array()) {
    return Reject(Code::kInvalidValue, "invalid_type", name + " must be an array",
                  {{"field", name}, {"expected", "an array"}});
  }
  const auto& arr = list.get_array();
  if (arr.size() > kMaxMappings) {
    return Reject(Code::kInvalidValue, "too_many_items",
                  name + " has more than " + std::to_string(kMaxMappings) + " items",
                  {{"field", name}, {"max_items", kMaxMappings}});
  }
  boost::json::array out;
  std::set<std::string> targets;
  for (size_t i = 0; i < arr.size(); ++i) {
    ASSIGN_OR_RETURN(Input m, Input::FromValue(arr[i], name + "[" + std::to_string(i) + "]"));
    RETURN_IF_ERROR(m.AllowOnly({"target", "source", "strength"}));
    ASSIGN_OR_RETURN(std::string target, m.String("target", 256));
    ASSIGN_OR_RETURN(std::string source, m.String("source", 4096));
    ASSIGN_OR_RETURN(auto strength, m.OptString("strength", 16));
    std::string s = strength.value_or("normal");
    RETURN_IF_ERROR(CheckOneOf(m.FieldName("strength"), s, {"strong", "normal", "weak"}));
    if (!targets.insert(target).second) {
      return Reject(Code::kInvalidValue, "duplicate_value",
                    "two mappings write the target '" + target + "'",
                    {{"field", m.FieldName("target")}});
    }
    out.push_back({{"target", target}, {"source", source}, {"strength", s}});
  }
  // Every expression and target must compile, so a bad one is refused when it is saved,
  // with its position, not discovered later by the engine.
  std::vector<mapping::AttributeMapping> compiled_list;
  for (const auto& m : out) {
    const auto& o = m.as_object();
    mapping::AttributeMapping am;
    am.target = std::string(o.at("target").as_string());
    am.expression = std::string(o.at("source").as_string());
    if (o.at("strength").as_string() == "weak") {
      am.apply = mapping::AttributeMapping::Apply::kOnCreateOnly;
    }
    compiled_list.push_back(std::move(am));
  }
  auto compiled = mapping::Compile(compiled_list);
  if (!compiled.ok()) {
    // Name the exact member, as Input's own errors do ("items[2].source"), so an editor can
    // mark the row and the cell; "mapping" keeps the row's index.
    boost::json::object details = compiled.error().details();
    std::string member = "source";
    if (const auto* f = details.if_contains("field");
        f && f->is_string() && f->as_string() == "target") {
      member = "target";
    }
    std::string row;
    if (const auto* m = details.if_contains("mapping"); m && m->is_number()) {
      row = "[" + std::to_string(m->to_number<int64_t>()) + "]";
    }
    details["field"] = name + row + "." + member;
    return Reject(Code::kInvalidValue, "invalid_mapping", compiled.error().message(),
                  std::move(details));
  }
  return boost::json::serialize(out);
}

std::string DefaultMappings(const Template& t) {
  boost::json::array out;
  for (const MappingDefault& m : t.default_mappings) {
    out.push_back({{"target", m.target}, {"source", m.source}, {"strength", m.strength}});
  }
  return boost::json::serialize(out);
}

}  // namespace provisio::apps
