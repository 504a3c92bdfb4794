// Mapping hot paths: applying the default SCIM mappings to a portal user, hashing the result,
// and the engine's whole per-user step (apply + hash). The baseline is a plain
// boost::json::serialize of the same user, measured in the same run (bench/RESULTS-mapping.md).
#include <benchmark/benchmark.h>

#include <boost/json.hpp>
#include <map>

#include "mapping/canonical.h"
#include "mapping/defaults.h"
#include "mapping/expression_parser.h"
#include "mapping/mapping.h"
#include "mapping/scoping.h"

namespace {

using namespace provisio::mapping;
namespace json = boost::json;

// A realistic portal user as Entra provisions it (about 1.3 kB of JSON).
const json::object& RealisticUser() {
  static const json::object kUser = json::parse(R"({
    "schemas":["urn:ietf:params:scim:schemas:core:2.0:User",
               "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
    "id":"2819c223-7f76-453a-919d-413861904646","externalId":"0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
    "userName":"bjensen@example.com","active":true,"displayName":"Babs Jensen",
    "title":"Tour Guide","preferredLanguage":"en-US","userType":"Employee",
    "name":{"formatted":"Ms. Barbara J Jensen III","familyName":"Jensen","givenName":"Barbara"},
    "emails":[{"value":"bjensen@example.com","type":"work","primary":true},
              {"value":"babs@jensen.org","type":"home"}],
    "phoneNumbers":[{"value":"555-555-5555","type":"work"},{"value":"555-555-4444","type":"mobile"}],
    "addresses":[{"type":"work","streetAddress":"100 Universal City Plaza","locality":"Hollywood",
                  "region":"CA","postalCode":"91608","country":"USA","primary":true}],
    "groups":[{"value":"e9e30dba-f08f-4109-8486-d5c6a331660a","display":"Tour Guides"}],
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"701984",
      "costCenter":"4130","organization":"Universal Studios","division":"Theme Park",
      "department":"Tour Operations","manager":{"value":"26118915-6090-4610-87e4-49d8ca9f808d",
      "displayName":"John Smith"}},
    "meta":{"resourceType":"User","created":"2010-01-23T04:56:22Z",
            "lastModified":"2011-05-13T04:42:34Z","version":"W/\"3694e05e9dff591\""}})")
                                        .as_object();
  return kUser;
}

const CompiledMappings& Compiled(std::vector<AttributeMapping> (*defaults)()) {
  static std::map<void*, CompiledMappings> cache;
  auto it = cache.find(reinterpret_cast<void*>(defaults));
  if (it == cache.end()) {
    it = cache.emplace(reinterpret_cast<void*>(defaults), std::move(*Compile(defaults()))).first;
  }
  return it->second;
}

void BM_SerializeUser(benchmark::State& state) {  // baseline
  for (auto _ : state) benchmark::DoNotOptimize(json::serialize(RealisticUser()));
}
BENCHMARK(BM_SerializeUser);

void BM_ApplyDefaultScim(benchmark::State& state) {
  const CompiledMappings& m = Compiled(DefaultScimMappings);
  for (auto _ : state) benchmark::DoNotOptimize(Apply(m, RealisticUser(), false));
}
BENCHMARK(BM_ApplyDefaultScim);

void BM_ApplyDefaultSalesforce(benchmark::State& state) {
  const CompiledMappings& m = Compiled(DefaultSalesforceMappings);
  for (auto _ : state) benchmark::DoNotOptimize(Apply(m, RealisticUser(), true));
}
BENCHMARK(BM_ApplyDefaultSalesforce);

void BM_DesiredStateHashOfScimTarget(benchmark::State& state) {
  json::value target = *Apply(Compiled(DefaultScimMappings), RealisticUser(), false);
  for (auto _ : state) benchmark::DoNotOptimize(DesiredStateHash(target));
}
BENCHMARK(BM_DesiredStateHashOfScimTarget);

void BM_DesiredStateHashOfUser(benchmark::State& state) {
  json::value user = RealisticUser();
  for (auto _ : state) benchmark::DoNotOptimize(DesiredStateHash(user));
}
BENCHMARK(BM_DesiredStateHashOfUser);

void BM_ApplyAndHashScim(benchmark::State& state) {  // the engine's per-user step
  const CompiledMappings& m = Compiled(DefaultScimMappings);
  for (auto _ : state) {
    auto target = Apply(m, RealisticUser(), false);
    benchmark::DoNotOptimize(DesiredStateHash(*target));
  }
}
BENCHMARK(BM_ApplyAndHashScim);

void BM_InScope(benchmark::State& state) {
  auto f = ParseScopingFilter(
      R"(active eq true and emails[type eq "work" and value ew "@example.com"])");
  for (auto _ : state) benchmark::DoNotOptimize(InScope(*f, RealisticUser()));
}
BENCHMARK(BM_InScope);

void BM_CompileDefaultScim(benchmark::State& state) {
  auto list = DefaultScimMappings();
  for (auto _ : state) benchmark::DoNotOptimize(Compile(list));
}
BENCHMARK(BM_CompileDefaultScim);

}  // namespace
