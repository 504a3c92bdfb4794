#include "support/convergence.h"

#include <boost/json.hpp>
#include <chrono>

#include "support/eventually.h"

namespace provisio::testing {
namespace {

std::string UrlEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '@') {
      out.push_back(static_cast<char>(c));
    } else {
      out += {'%', kHex[c >> 4], kHex[c & 15]};
    }
  }
  return out;
}

// What the engine knows, for a failure message.
std::string Diagnose(const AdminClient& admin, const std::string& diff) {
  std::string out = "\nstatus: " + boost::json::serialize(admin.Json("GET", "/api/v1/status"));
  if (size_t colon = diff.find(':'); colon != std::string::npos && colon < 200) {
    std::string user_name = diff.substr(0, colon);
    auto users =
        admin.Json("GET", "/api/v1/users?filter=" + UrlEncode("userName eq \"" + user_name + "\""));
    const auto* items = users.is_object() ? users.as_object().if_contains("items") : nullptr;
    if (items && items->is_array() && !items->as_array().empty()) {
      const auto& id = items->as_array()[0].at("id").as_string();
      out += "\nlog of " + user_name + ": " +
             boost::json::serialize(
                 admin.Json("GET", "/api/v1/provisioning-log?limit=20&user_id=" + std::string(id)));
    }
  }
  for (const char* status : {"failure", "skipped"}) {
    out += "\nlatest " + std::string(status) + ": " +
           boost::json::serialize(admin.Json(
               "GET", "/api/v1/provisioning-log?limit=10&status=" + std::string(status)));
  }
  return out;
}

}  // namespace

bool EngineQuiet(const AdminClient& admin) {
  // A poll that gets no status (the request failed) is not quiet; the next poll asks again.
  auto s = admin.Json("GET", "/api/v1/status");
  const auto* o = s.if_object();
  return o && o->contains("queue_depth") && o->at("queue_depth") == 0 && o->at("in_flight") == 0;
}

std::string WaitConverged(const AdminClient& admin, const std::function<std::string()>& difference,
                          int seconds) {
  std::string diff;
  Eventually(
      [&] {
        diff = EngineQuiet(admin) ? difference() : "still provisioning";
        return diff.empty();
      },
      seconds, std::chrono::milliseconds(500));
  return diff.empty() ? diff : diff + Diagnose(admin, diff);
}

boost::json::value RunImport(const AdminClient& admin, const std::string& apps,
                             const boost::json::object& body, int seconds) {
  boost::json::value run = admin.Json("POST", apps + "/imports", body);
  const auto* id = run.is_object() ? run.as_object().if_contains("id") : nullptr;
  if (id == nullptr || !id->is_string()) return run;
  const std::string path = "/api/v1/imports/" + std::string(id->as_string());
  Eventually(
      [&] {
        run = admin.Json("GET", path);
        const auto* state = run.is_object() ? run.as_object().if_contains("state") : nullptr;
        return state == nullptr || *state == "succeeded" || *state == "failed";
      },
      seconds);
  return run;
}

}  // namespace provisio::testing
