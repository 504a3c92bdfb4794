// For connector tests: a real http::Server on 127.0.0.1:0 that records every request and
// answers through a handler the test supplies, so tests assert the exact wire traffic.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "http/server.h"

namespace provisio::connectors {

struct RecordedRequest {
  std::string method;
  std::string target;  // path and raw query, as sent
  std::string body;
  std::string authorization;
  std::string content_type;
  std::string if_match;

  std::string Line() const { return method + " " + target; }
};

class RecordingTarget {
 public:
  using Handler = std::function<http::Response(const http::Request&)>;

  explicit RecordingTarget(Handler handler) : handler_(std::move(handler)) {
    http::Router router;
    router.Add("*", "/{rest*}", [this](http::Request& req) {
      RecordedRequest r{req.method,
                        req.target,
                        req.body,
                        std::string(req.Header("Authorization").value_or("")),
                        std::string(req.Header("Content-Type").value_or("")),
                        std::string(req.Header("If-Match").value_or(""))};
      {
        std::lock_guard lock(mu_);
        requests_.push_back(std::move(r));
      }
      return handler_(req);
    });
    http::ServerOptions options;
    options.port = 0;
    options.io_threads = 1;
    options.worker_threads = 4;
    options.access_log = false;
    options.drain_timeout = std::chrono::milliseconds(100);
    server_ = std::make_unique<http::Server>(options, std::move(router));
    auto port = server_->Start();
    url_ = port.ok() ? "http://127.0.0.1:" + std::to_string(*port) : "";
  }

  const std::string& url() const { return url_; }
  std::vector<RecordedRequest> requests() {
    std::lock_guard lock(mu_);
    return requests_;
  }
  std::vector<std::string> lines() {
    std::vector<std::string> out;
    for (const auto& r : requests()) out.push_back(r.Line());
    return out;
  }
  void Clear() {
    std::lock_guard lock(mu_);
    requests_.clear();
  }

 private:
  Handler handler_;
  std::mutex mu_;
  std::vector<RecordedRequest> requests_;
  std::unique_ptr<http::Server> server_;
  std::string url_;
};

}  // namespace provisio::connectors
