// libFuzzer target: any JSON body either fails with a SCIM error or yields a resource that is
// already in normal form; member extraction never crashes and agrees on errors in the envelope.
#include <boost/json.hpp>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "scim/patch.h"
#include "scim/resource.h"

namespace {

const provisio::scim::SchemaRegistry& Registry() {
  static const auto kRegistry = provisio::scim::SchemaRegistry::WithCoreSchemas();
  return kRegistry;
}

const boost::json::object& User() {
  static const boost::json::object kUser = boost::json::parse(R"({
    "schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"1","userName":"bjensen",
    "name":{"givenName":"Barbara","familyName":"Jensen"},"active":true,
    "emails":[{"value":"b@example.com","type":"work","primary":true},{"value":"x@y","type":"home"}],
    "addresses":[{"type":"work","locality":"Hollywood"}],
    "meta":{"lastModified":"2011-05-13T04:42:34Z"},
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"7",
      "manager":{"value":"m"}}})")
                                               .as_object();
  return kUser;
}

const boost::json::object& Group() {
  static const boost::json::object kGroup = boost::json::parse(R"({
    "schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"g","displayName":"G",
    "members":[{"value":"a","display":"A"},{"value":"b"}]})")
                                                .as_object();
  return kGroup;
}

void Check(const boost::json::object& resource, const boost::json::value& body,
           const provisio::scim::ResourceType& type) {
  using namespace provisio::scim;
  auto result = ApplyPatch(resource, body, type);
  if (!result.ok()) {
    if (result.error().code() == provisio::Code::kInternal) std::abort();
    return;
  }
  NormalizeOptions stored;
  stored.mode = WriteMode::kStored;
  auto again = NormalizeResource(*result, type, stored);
  if (!again.ok() || *again != *result) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace provisio::scim;
  boost::system::error_code ec;
  boost::json::value body =
      boost::json::parse(std::string_view(reinterpret_cast<const char*>(data), size), ec);
  if (ec) return 0;
  Check(User(), body, *Registry().FindResourceType("User"));
  Check(Group(), body, *Registry().FindResourceType("Group"));
  (void)ExtractMemberOps(body, *Registry().FindResourceType("Group"));
  return 0;
}
