#include "http/response.h"

#include <algorithm>
#include <boost/json/serialize.hpp>

#include "core/json.h"
#include "http/request.h"
#include "http/status.h"

namespace provisio::http {

void Response::SetHeader(std::string name, std::string value) {
  std::erase_if(headers, [&](const auto& h) { return EqualsIgnoreCase(h.first, name); });
  headers.emplace_back(std::move(name), std::move(value));
}

void Response::AddHeader(std::string name, std::string value) {
  headers.emplace_back(std::move(name), std::move(value));
}

Response Response::Json(int status, const boost::json::value& v, std::string content_type) {
  Response r;
  r.status = status;
  r.headers.emplace_back("Content-Type", std::move(content_type));
  r.body = boost::json::serialize(v);
  return r;
}

Response Response::Text(int status, std::string body, std::string content_type) {
  Response r;
  r.status = status;
  r.headers.emplace_back("Content-Type", std::move(content_type));
  r.body = std::move(body);
  return r;
}

Response Response::FromError(const provisio::Error& e) {
  return Json(HttpStatus(e.code()), json::ErrorBody(e));
}

Response Response::NoContent() {
  Response r;
  r.status = 204;
  return r;
}

}  // namespace provisio::http
