// Request counters and latency histograms per (route pattern, method), rendered in the
// Prometheus text exposition format. Recording is lock-free once a series exists.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>

namespace provisio::http {

class Metrics {
 public:
  // Upper bounds (seconds) of the latency buckets; +Inf is implied.
  static constexpr std::array<double, 13> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                      0.25,  0.5,    1,     2.5,  5,     10};

  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // `route` is the pattern (never the raw path) so the series count stays bounded.
  void RecordRequest(std::string_view route, std::string_view method, int status, double seconds);
  void ConnectionOpened() { connections_active_.fetch_add(1, std::memory_order_relaxed); }
  void ConnectionClosed() { connections_active_.fetch_sub(1, std::memory_order_relaxed); }
  int64_t connections_active() const { return connections_active_.load(std::memory_order_relaxed); }

  std::string RenderPrometheus() const;

 private:
  struct Series;
  Series& Get(std::string_view route, std::string_view method);

  // (route, method), compared without building strings on lookup.
  struct KeyLess {
    using is_transparent = void;
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return std::tie(a.first, a.second) < std::tie(b.first, b.second);
    }
  };
  using Key = std::pair<std::string, std::string>;

  mutable std::shared_mutex mu_;
  std::map<Key, std::unique_ptr<Series>, KeyLess> series_;
  std::atomic<int64_t> connections_active_{0};
};

}  // namespace provisio::http
