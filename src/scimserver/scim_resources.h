// The resource endpoints (/Users, /Groups): create, read, replace, patch, delete, list and
// search, the same code for both resource types.
#pragma once

#include "http/request.h"
#include "http/response.h"
#include "scimserver/scim_server.h"

namespace provisio::scimserver {

enum class ResourceKind { kUser, kGroup };

class ResourceEndpoints {
 public:
  ResourceEndpoints(ScimServerDeps& deps, ResourceKind kind);

  http::Response Create(http::Request& request);
  http::Response Get(http::Request& request);
  http::Response Replace(http::Request& request);
  http::Response Patch(http::Request& request);
  http::Response Delete(http::Request& request);
  http::Response List(http::Request& request);
  http::Response Search(http::Request& request);

  const scim::ResourceType& type() const { return type_; }
  const std::string& endpoint() const { return endpoint_; }
  // Adds meta.location to a resource's body.
  void SetLocation(boost::json::object& body, const std::string& base_url) const;

 private:
  ScimServerDeps& deps_;
  ResourceKind kind_;
  const scim::ResourceType& type_;
  std::string endpoint_;  // "/Users"
};

// Which derived attributes a projection will return (so they are only loaded then).
directory::ReadOptions ReadOptionsFor(const scim::Projection& projection);

}  // namespace provisio::scimserver
