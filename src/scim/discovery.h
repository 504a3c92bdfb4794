// The discovery documents of RFC 7644 §4 (/ServiceProviderConfig, /Schemas, /ResourceTypes),
// generated from the same SchemaRegistry that drives validation, so they are never written twice.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "scim/schema.h"

namespace provisio::scim {

struct AuthenticationScheme {
  std::string type = "oauthbearertoken";
  std::string name = "OAuth Bearer Token";
  std::string description = "Authentication scheme using the OAuth Bearer Token Standard";
  std::string spec_uri = "https://www.rfc-editor.org/info/rfc6750";
  std::string documentation_uri;
  bool primary = true;
};

// What this service provider supports; defaults describe Provisio's /scim/v2.
struct ServiceProviderFeatures {
  std::string documentation_uri;
  bool patch = true;
  bool bulk = true;
  int bulk_max_operations = 1000;
  int bulk_max_payload_size = 1048576;
  bool filter = true;
  int filter_max_results = 1000;
  bool change_password = false;
  bool sort = true;
  bool etag = true;
  std::vector<AuthenticationScheme> authentication_schemes = {AuthenticationScheme{}};
};

// `base_url` is the service root ("https://host/scim/v2"); meta.location is built from it.
boost::json::object ServiceProviderConfigDocument(const ServiceProviderFeatures& features,
                                                  std::string_view base_url);

boost::json::object SchemaDocument(const Schema& schema, std::string_view base_url);
boost::json::object AttributeDocument(const Attribute& attribute);
// A ListResponse of every schema in the registry.
boost::json::object SchemasDocument(const SchemaRegistry& registry, std::string_view base_url);

boost::json::object ResourceTypeDocument(const ResourceType& type, std::string_view base_url);
// A ListResponse of every resource type in the registry.
boost::json::object ResourceTypesDocument(const SchemaRegistry& registry,
                                          std::string_view base_url);

}  // namespace provisio::scim
