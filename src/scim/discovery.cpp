#include "scim/discovery.h"

#include <boost/json/array.hpp>

#include "scim/list_response.h"
#include "scim/schema_urns.h"

namespace provisio::scim {

namespace json = boost::json;

namespace {

json::object Meta(std::string_view resource_type, std::string location) {
  return json::object{{"resourceType", resource_type}, {"location", std::move(location)}};
}

json::array Strings(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

json::object Supported(bool v) { return json::object{{"supported", v}}; }

}  // namespace

json::object ServiceProviderConfigDocument(const ServiceProviderFeatures& f,
                                           std::string_view base_url) {
  json::object doc;
  doc["schemas"] = json::array{json::string(kServiceProviderConfigSchema)};
  if (!f.documentation_uri.empty()) doc["documentationUri"] = f.documentation_uri;
  doc["patch"] = Supported(f.patch);
  doc["bulk"] = json::object{{"supported", f.bulk},
                             {"maxOperations", f.bulk_max_operations},
                             {"maxPayloadSize", f.bulk_max_payload_size}};
  doc["filter"] = json::object{{"supported", f.filter}, {"maxResults", f.filter_max_results}};
  doc["changePassword"] = Supported(f.change_password);
  doc["sort"] = Supported(f.sort);
  doc["etag"] = Supported(f.etag);
  json::array schemes;
  for (const AuthenticationScheme& s : f.authentication_schemes) {
    json::object o{{"type", s.type}, {"name", s.name}, {"description", s.description}};
    if (!s.spec_uri.empty()) o["specUri"] = s.spec_uri;
    if (!s.documentation_uri.empty()) o["documentationUri"] = s.documentation_uri;
    o["primary"] = s.primary;
    schemes.push_back(std::move(o));
  }
  doc["authenticationSchemes"] = std::move(schemes);
  doc["meta"] = Meta("ServiceProviderConfig", std::string(base_url) + "/ServiceProviderConfig");
  return doc;
}

json::object AttributeDocument(const Attribute& a) {
  json::object o;
  o["name"] = a.name;
  o["type"] = ToString(a.type);
  o["multiValued"] = a.multi_valued;
  o["description"] = a.description;
  o["required"] = a.required;
  if (a.type != AttributeType::kComplex) o["caseExact"] = a.case_exact;
  if (!a.canonical_values.empty()) o["canonicalValues"] = Strings(a.canonical_values);
  o["mutability"] = ToString(a.mutability);
  o["returned"] = ToString(a.returned);
  if (a.type != AttributeType::kComplex && a.type != AttributeType::kBoolean) {
    o["uniqueness"] = ToString(a.uniqueness);
  }
  if (a.type == AttributeType::kReference) o["referenceTypes"] = Strings(a.reference_types);
  if (a.type == AttributeType::kComplex) {
    json::array subs;
    for (const Attribute& s : a.sub_attributes) subs.push_back(AttributeDocument(s));
    o["subAttributes"] = std::move(subs);
  }
  return o;
}

json::object SchemaDocument(const Schema& schema, std::string_view base_url) {
  json::object doc;
  doc["schemas"] = json::array{json::string(kSchemaSchema)};
  doc["id"] = schema.id;
  doc["name"] = schema.name;
  doc["description"] = schema.description;
  json::array attrs;
  for (const Attribute& a : schema.attributes) attrs.push_back(AttributeDocument(a));
  doc["attributes"] = std::move(attrs);
  doc["meta"] = Meta("Schema", std::string(base_url) + "/Schemas/" + schema.id);
  return doc;
}

json::object SchemasDocument(const SchemaRegistry& registry, std::string_view base_url) {
  json::array items;
  for (const auto& s : registry.schemas()) items.push_back(SchemaDocument(*s, base_url));
  uint64_t total = items.size();
  return ListResponseBody(std::move(items), total, 1);
}

json::object ResourceTypeDocument(const ResourceType& type, std::string_view base_url) {
  json::object doc;
  doc["schemas"] = json::array{json::string(kResourceTypeSchema)};
  doc["id"] = type.id;
  doc["name"] = type.name;
  doc["endpoint"] = type.endpoint;
  doc["description"] = type.description;
  doc["schema"] = type.schema->id;
  json::array exts;
  for (const SchemaExtension& e : type.extensions) {
    exts.push_back(json::object{{"schema", e.schema->id}, {"required", e.required}});
  }
  if (!exts.empty()) doc["schemaExtensions"] = std::move(exts);
  doc["meta"] = Meta("ResourceType", std::string(base_url) + "/ResourceTypes/" + type.id);
  return doc;
}

json::object ResourceTypesDocument(const SchemaRegistry& registry, std::string_view base_url) {
  json::array items;
  for (const auto& t : registry.resource_types()) {
    items.push_back(ResourceTypeDocument(*t, base_url));
  }
  uint64_t total = items.size();
  return ListResponseBody(std::move(items), total, 1);
}

}  // namespace provisio::scim
