// Logging setup (spdlog). Plain text or JSON lines; the request id of the work in progress
// on this thread is attached to every line, so one request can be followed through the logs.
#pragma once

#include <spdlog/spdlog.h>

#include <string>
#include <string_view>

namespace provisio::log {

enum class Format { kText, kJson };

struct Options {
  Format format = Format::kText;
  spdlog::level::level_enum level = spdlog::level::info;
};

// Installs the default logger (stderr). Call once at start-up; safe to call again in tests.
void Setup(const Options& options);

// Parses "text"/"json" and "trace".."critical"/"off"; false when unknown.
bool ParseFormat(std::string_view s, Format& out);
bool ParseLevel(std::string_view s, spdlog::level::level_enum& out);

// The request id shown on log lines written by this thread while the scope lives.
class RequestScope {
 public:
  explicit RequestScope(std::string request_id);
  ~RequestScope();
  RequestScope(const RequestScope&) = delete;
  RequestScope& operator=(const RequestScope&) = delete;

 private:
  std::string previous_;
};

const std::string& CurrentRequestId();

}  // namespace provisio::log
