// A blocking HTTP client for integration tests (libcurl easy API).
#pragma once

#include <map>
#include <string>
#include <vector>

#include <boost/json.hpp>

namespace provisio::testing {

struct HttpResponse {
  long status = 0;                                  // 0: the request failed to complete
  std::multimap<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::string error;  // curl's message when status == 0

  std::string Header(const std::string& lower_name) const;
  boost::json::value Json() const;  // null when the body is not JSON
};

HttpResponse Fetch(const std::string& method, const std::string& url,
                   const std::vector<std::string>& headers = {}, const std::string& body = "");

}  // namespace provisio::testing
