// libFuzzer target: any input either fails to parse with kInvalidFilter or parses to an AST that
// prints and re-parses to an equal AST, binds or fails cleanly, and evaluates without crashing.
#include <boost/json.hpp>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "scim/filter_eval.h"
#include "scim/filter_parser.h"

namespace {

const provisio::scim::SchemaRegistry& Registry() {
  static const auto kRegistry = provisio::scim::SchemaRegistry::WithCoreSchemas();
  return kRegistry;
}

const boost::json::object& User() {
  static const boost::json::object kUser = boost::json::parse(R"({
    "schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"1","userName":"bjensen",
    "name":{"givenName":"Barbara","familyName":"Jensen"},"active":true,"title":"",
    "emails":[{"value":"b@example.com","type":"work","primary":true},{"value":"x@y"}],
    "meta":{"lastModified":"2011-05-13T04:42:34Z"},
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"7",
      "manager":{"value":"m"}}})")
                                               .as_object();
  return kUser;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace provisio::scim;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = ParseFilter(text);
  if (!parsed.ok()) {
    if (parsed.error().code() != provisio::Code::kInvalidFilter) std::abort();
    return 0;
  }
  std::string printed = ToString(*parsed);
  auto again = ParseFilter(printed);
  if (!again.ok() || !(*again == *parsed)) std::abort();
  if (ToString(*again) != printed) std::abort();
  const ResourceType& user = *Registry().FindResourceType("User");
  (void)Matches(*parsed, User(), user);
  Filter bound = Clone(*parsed);
  if (BindFilter(bound, user).ok()) {
    (void)Matches(bound, User(), user);
    auto rebound = ParseFilter(ToString(bound), user);
    if (!rebound.ok() || !(*rebound == bound)) std::abort();
  }
  return 0;
}
