#include "api/handlers.h"
#include "api/respond.h"
#include "apps/catalog.h"

namespace provisio::api {

HandlerResult ListCatalog(Call&) {
  boost::json::array items;
  for (const apps::Template& t : apps::Catalog()) items.push_back(apps::TemplateJson(t));
  return JsonResponse(200, boost::json::object{{"items", std::move(items)}});
}

HandlerResult GetTemplate(Call& call) {
  const apps::Template* t = apps::FindTemplate(call.request.Param("id"));
  if (!t) return Error::NotFound("no template " + std::string(call.request.Param("id")));
  return JsonResponse(200, apps::TemplateJson(*t));
}

}  // namespace provisio::api
