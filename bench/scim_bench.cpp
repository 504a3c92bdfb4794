// SCIM core hot paths: filter parse, filter evaluation, PATCH apply. Each group has a baseline
// measured in the same run so RESULTS can state ratios (see bench/RESULTS-scim.md).
#include <benchmark/benchmark.h>

#include <boost/json.hpp>
#include <map>
#include <string>

#include "scim/filter_eval.h"
#include "scim/filter_parser.h"
#include "scim/patch.h"
#include "scim/schema.h"

namespace {

using namespace provisio::scim;
namespace json = boost::json;

const SchemaRegistry& Registry() {
  static const SchemaRegistry kRegistry = SchemaRegistry::WithCoreSchemas();
  return kRegistry;
}
const ResourceType& User() { return *Registry().FindResourceType("User"); }
const ResourceType& Group() { return *Registry().FindResourceType("Group"); }

// A realistic user as Entra provisions it.
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
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"701984",
      "department":"Tour Operations","manager":{"value":"26118915-6090-4610-87e4-49d8ca9f808d"}},
    "meta":{"resourceType":"User","created":"2010-01-23T04:56:22Z",
            "lastModified":"2011-05-13T04:42:34Z","version":"W/\"3694e05e9dff591\""}})")
                                        .as_object();
  return kUser;
}

const json::object& GroupWithMembers(int n) {
  static std::map<int, json::object> cache;
  auto it = cache.find(n);
  if (it != cache.end()) return it->second;
  json::object g{{"schemas", json::array{"urn:ietf:params:scim:schemas:core:2.0:Group"}},
                 {"id", "g1"},
                 {"displayName", "Engineering"}};
  json::array members;
  for (int i = 0; i < n; ++i) {
    members.push_back(json::object{{"value", "user-" + std::to_string(i)}});
  }
  g["members"] = std::move(members);
  return cache.emplace(n, std::move(g)).first->second;
}

constexpr const char* kEntraLookup = R"(userName eq "bjensen@example.com")";
constexpr const char* kComplexFilter =
    R"(userType eq "Employee" and (emails[type eq "work" and value ew "@example.com"] or )"
    R"(urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department co "tour") and )"
    R"(meta.lastModified gt "2011-01-01T00:00:00Z" and not (active eq false))";

void BM_FilterParse_EntraLookup(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(ParseFilter(kEntraLookup));
}
BENCHMARK(BM_FilterParse_EntraLookup);

void BM_FilterParse_Complex(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(ParseFilter(kComplexFilter));
}
BENCHMARK(BM_FilterParse_Complex);

void BM_FilterParseBind_Complex(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(ParseFilter(kComplexFilter, User()));
}
BENCHMARK(BM_FilterParseBind_Complex);

// Baseline for evaluation: the filter parsed once, evaluated per resource.
void BM_FilterEvalPreparsed_EntraLookup(benchmark::State& state) {
  auto f = ParseFilter(kEntraLookup, User());
  for (auto _ : state) benchmark::DoNotOptimize(Matches(*f, RealisticUser(), User()));
}
BENCHMARK(BM_FilterEvalPreparsed_EntraLookup);

void BM_FilterEvalPreparsed_Complex(benchmark::State& state) {
  auto f = ParseFilter(kComplexFilter, User());
  if (!Matches(*f, RealisticUser(), User())) state.SkipWithError("filter should match");
  for (auto _ : state) benchmark::DoNotOptimize(Matches(*f, RealisticUser(), User()));
}
BENCHMARK(BM_FilterEvalPreparsed_Complex);

void BM_FilterParseEval_Complex(benchmark::State& state) {
  for (auto _ : state) {
    auto f = ParseFilter(kComplexFilter, User());
    benchmark::DoNotOptimize(Matches(*f, RealisticUser(), User()));
  }
}
BENCHMARK(BM_FilterParseEval_Complex);

// Baseline for PATCH: a plain deep copy of the same resource.
void BM_JsonCopy_User(benchmark::State& state) {
  for (auto _ : state) {
    json::object copy = RealisticUser();
    benchmark::DoNotOptimize(copy);
  }
}
BENCHMARK(BM_JsonCopy_User);

const json::value& EntraReplace() {
  static const json::value kPatch = json::parse(R"({
    "schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations":[{"op":"Replace","path":"active","value":"False"},
                  {"op":"Replace","value":{"name.givenName":"Barb","title":"Lead Guide",
                   "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department":"Parks"}},
                  {"op":"Replace","path":"emails[type eq \"work\"].value","value":"barb@example.com"}]})");
  return kPatch;
}

void BM_PatchApply_EntraReplace(benchmark::State& state) {
  for (auto _ : state) {
    auto r = ApplyPatch(RealisticUser(), EntraReplace(), User());
    if (!r.ok()) state.SkipWithError(r.error().ToString().c_str());
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_PatchApply_EntraReplace);

void BM_PatchApplyPreparsed_EntraReplace(benchmark::State& state) {
  auto ops = ParsePatchRequest(EntraReplace(), User());
  for (auto _ : state) benchmark::DoNotOptimize(ApplyPatch(RealisticUser(), *ops, User()));
}
BENCHMARK(BM_PatchApplyPreparsed_EntraReplace);

const json::value& AddTenMembers() {
  static const json::value kPatch = [] {
    json::array values;
    for (int i = 0; i < 10; ++i)
      values.push_back(json::object{{"value", "new-" + std::to_string(i)}});
    return json::value{{"schemas", json::array{"urn:ietf:params:scim:api:messages:2.0:PatchOp"}},
                       {"Operations", json::array{json::object{
                                          {"op", "Add"}, {"path", "members"}, {"value", values}}}}};
  }();
  return kPatch;
}

void BM_JsonCopy_Group(benchmark::State& state) {
  const json::object& g = GroupWithMembers(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    json::object copy = g;
    benchmark::DoNotOptimize(copy);
  }
}
BENCHMARK(BM_JsonCopy_Group)->Arg(100)->Arg(1000);

void BM_PatchApply_GroupAddMembers(benchmark::State& state) {
  const json::object& g = GroupWithMembers(static_cast<int>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(ApplyPatch(g, AddTenMembers(), Group()));
}
BENCHMARK(BM_PatchApply_GroupAddMembers)->Arg(100)->Arg(1000);

// What the directory does for large groups: ids only, independent of the group's size.
void BM_ExtractMemberOps_AddMembers(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(ExtractMemberOps(AddTenMembers(), Group()));
}
BENCHMARK(BM_ExtractMemberOps_AddMembers);

}  // namespace
