#include <boost/json/array.hpp>
#include <string>

#include "api/endpoints.h"
#include "api/handlers.h"
#include "api/respond.h"
#include "security/security_settings.h"

namespace provisio::api {
namespace {

std::string OperationId(const Endpoint& e) {
  std::string id(e.method);
  for (char& c : id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (char c : e.pattern.substr(std::string_view("/api/v1").size())) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      id.push_back(c);
    } else if (!id.empty() && id.back() != '_') {
      id.push_back('_');
    }
  }
  while (!id.empty() && id.back() == '_') id.pop_back();
  return id;
}

boost::json::array PathParameters(std::string_view pattern) {
  boost::json::array params;
  for (size_t open = pattern.find('{'); open != std::string_view::npos;
       open = pattern.find('{', open + 1)) {
    size_t close = pattern.find('}', open);
    params.push_back({{"name", pattern.substr(open + 1, close - open - 1)},
                      {"in", "path"},
                      {"required", true},
                      {"schema", {{"type", "string"}}}});
  }
  return params;
}

boost::json::object ErrorResponseRef(std::string_view description) {
  return {
      {"description", description},
      {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
}

boost::json::object Operation(const Endpoint& e) {
  boost::json::object op;
  op["operationId"] = OperationId(e);
  op["summary"] = e.summary;
  op["tags"] = boost::json::array{e.tag};
  auto params = PathParameters(e.pattern);
  if (!params.empty()) op["parameters"] = std::move(params);
  if (!e.request_schema.empty()) {
    op["requestBody"] = {
        {"required", true},
        {"content",
         {{"application/json",
           {{"schema", {{"$ref", "#/components/schemas/" + std::string(e.request_schema)}}}}}}}};
  }
  boost::json::object responses;
  std::string ok = std::to_string(e.success_status);
  if (e.success_status == 204) {
    responses[ok] = {{"description", "done"}};
  } else {
    responses[ok] = {{"description", "success"},
                     {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}};
  }
  responses["400"] = ErrorResponseRef("bad input: a precise code names what is wrong");
  if (e.action) {
    op["security"] =
        boost::json::array{{{"session", boost::json::array{}}}, {{"bearer", boost::json::array{}}}};
    op["x-provisio-action"] = security::RuleFor(*e.action).name;
    responses["401"] = ErrorResponseRef("no or expired credentials");
    responses["403"] = ErrorResponseRef("the role may not do this, or the CSRF token is missing");
  } else {
    op["security"] = boost::json::array{};
  }
  op["responses"] = std::move(responses);
  return op;
}

boost::json::object Schemas() {
  auto str = boost::json::object{{"type", "string"}};
  auto obj = [](boost::json::object props, boost::json::array required) {
    return boost::json::object{{"type", "object"},
                               {"additionalProperties", false},
                               {"properties", std::move(props)},
                               {"required", std::move(required)}};
  };
  boost::json::object s;
  s["Error"] = {
      {"type", "object"},
      {"properties",
       {{"error",
         {{"type", "object"},
          {"properties", {{"code", str}, {"message", str}, {"details", {{"type", "object"}}}}}}}}}};
  s["SignIn"] = obj({{"email", str}, {"password", str}}, {"email", "password"});
  s["PasswordChange"] =
      obj({{"current_password", str}, {"new_password", str}}, {"current_password", "new_password"});
  s["Admin"] = obj({{"email", str},
                    {"role", {{"enum", {"super-admin", "admin", "operator"}}}},
                    {"password", str},
                    {"disabled", {{"type", "boolean"}}}},
                   {"email", "role", "password"});
  s["Token"] = obj({{"name", str}, {"role", str}}, {"name"});
  s["Connection"] = obj({{"name", str},
                         {"type", {{"enum", {"scim2", "salesforce", "google-workspace", "ldap"}}}},
                         {"base_url", str},
                         {"auth", {{"type", "object"}, {"required", {"kind"}}}},
                         {"settings", {{"type", "object"}}}},
                        {"name", "type", "base_url", "auth"});
  s["Application"] =
      obj({{"template", str},
           {"name", str},
           {"description", str},
           {"capabilities",
            {{"type", "array"}, {"items", {{"enum", {"provisioning", "import_sync"}}}}}},
           {"connection_id", {{"type", {"string", "null"}}}},
           {"settings", {{"type", "object"}}},
           {"mappings", {{"type", "array"}}},
           {"state", {{"enum", {"draft", "active", "paused", "quarantined"}}}}},
          {"template", "name", "capabilities"});
  s["Mappings"] = obj({{"items",
                        {{"type", "array"},
                         {"items",
                          {{"type", "object"},
                           {"properties",
                            {{"target", str},
                             {"source", str},
                             {"strength", {{"enum", {"strong", "normal", "weak"}}}}}}}}}}},
                      {"items"});
  s["MappingPreview"] = obj(
      {{"user_id", str},
       {"mappings",
        {{"type", "array"}, {"description", "unsaved mappings, as PUT .../mappings takes items"}}}},
      {"user_id"});
  s["HeldApproval"] =
      obj({{"action", {{"enum", {"create", "link", "apply"}}}}, {"user_id", str}}, {});
  s["Assignment"] = obj(
      {{"user_id", str}, {"group_id", str}, {"entitlements", {{"type", "array"}, {"items", str}}}},
      {});
  s["Sync"] =
      obj({{"mode", {{"enum", {"incremental", "full"}}}}, {"dry_run", {{"type", "boolean"}}}}, {});
  s["Provision"] = obj({{"user_id", str}}, {"user_id"});
  boost::json::object settings;
  boost::json::array all;
  for (const security::SecuritySettingField& f : security::SecuritySettingFields()) {
    settings[f.name] = {{"type", "integer"}, {"minimum", f.min}, {"maximum", f.max}};
    all.emplace_back(f.name);
  }
  s["SecuritySettings"] = {{"type", "object"},
                           {"additionalProperties", false},
                           {"properties", std::move(settings)},
                           {"required", std::move(all)}};
  s["ScimResource"] = {{"type", "object"},
                       {"description", "a SCIM 2.0 User or Group, as POST /scim/v2 takes it"}};
  s["ScimPatch"] = {{"type", "object"},
                    {"description", "a SCIM 2.0 PatchOp: {\"Operations\":[...]}"},
                    {"required", {"Operations"}}};
  return s;
}

}  // namespace

boost::json::object OpenApiDocument() {
  boost::json::object paths;
  for (const Endpoint& e : Endpoints()) {
    std::string method(e.method);
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto& item = paths[e.pattern];
    if (!item.is_object()) item.emplace_object();
    item.as_object()[method] = Operation(e);
  }
  boost::json::object doc;
  doc["openapi"] = "3.1.0";
  doc["info"] = {{"title", "Provisio admin API"}, {"version", "1"}};
  doc["servers"] = boost::json::array{{{"url", "/"}}};
  doc["paths"] = std::move(paths);
  doc["components"] = {
      {"schemas", Schemas()},
      {"securitySchemes",
       {{"session",
         {{"type", "apiKey"},
          {"in", "cookie"},
          {"name", "provisio_session"},
          {"description",
           "from POST /api/v1/session; state-changing requests also need X-CSRF-Token"}}},
        {"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}}};
  return doc;
}

HandlerResult GetOpenApi(Call&) { return JsonResponse(200, OpenApiDocument()); }

}  // namespace provisio::api
