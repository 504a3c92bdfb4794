// An HTTP response as handlers build it. The server adds Date, Server, Content-Length,
// Connection and X-Request-Id.
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"

namespace provisio::http {

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // Replaces every header of that name (case-insensitive) with one.
  void SetHeader(std::string name, std::string value);
  // Appends, keeping same-name headers (Set-Cookie).
  void AddHeader(std::string name, std::string value);

  static Response Json(int status, const boost::json::value& v,
                       std::string content_type = "application/json");
  static Response Text(int status, std::string body,
                       std::string content_type = "text/plain; charset=utf-8");
  // {"error":{"code":...,"message":...,"details":{...}}} with the status from http/status.h.
  static Response FromError(const provisio::Error& e);
  static Response NoContent();  // 204
};

}  // namespace provisio::http
