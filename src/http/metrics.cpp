#include "http/metrics.h"

#include <fmt/format.h>

#include <mutex>

namespace provisio::http {
namespace {

constexpr int kMinStatus = 100;
constexpr int kMaxStatus = 599;

// Label values escape '\', '"' and newline.
std::string EscapeLabel(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

struct Metrics::Series {
  std::string route;
  std::string method;
  std::array<std::atomic<uint64_t>, kMaxStatus - kMinStatus + 1> by_status{};
  std::array<std::atomic<uint64_t>, kBuckets.size() + 1> buckets{};  // not cumulative
  std::atomic<uint64_t> sum_ns{0};
};

Metrics::Metrics() = default;
Metrics::~Metrics() = default;

Metrics::Series& Metrics::Get(std::string_view route, std::string_view method) {
  std::pair<std::string_view, std::string_view> key(route, method);
  {
    std::shared_lock lock(mu_);
    auto it = series_.find(key);
    if (it != series_.end()) return *it->second;
  }
  std::unique_lock lock(mu_);
  auto it = series_.find(key);
  if (it == series_.end()) {
    auto series = std::make_unique<Series>();
    series->route = std::string(route);
    series->method = std::string(method);
    it = series_.emplace(Key(route, method), std::move(series)).first;
  }
  return *it->second;
}

void Metrics::RecordRequest(std::string_view route, std::string_view method, int status,
                            double seconds) {
  Series& s = Get(route, method);
  if (status < kMinStatus || status > kMaxStatus) status = 500;
  s.by_status[status - kMinStatus].fetch_add(1, std::memory_order_relaxed);
  size_t bucket = 0;
  while (bucket < kBuckets.size() && seconds > kBuckets[bucket]) ++bucket;
  s.buckets[bucket].fetch_add(1, std::memory_order_relaxed);
  if (seconds < 0) seconds = 0;
  s.sum_ns.fetch_add(static_cast<uint64_t>(seconds * 1e9), std::memory_order_relaxed);
}

std::string Metrics::RenderPrometheus() const {
  fmt::memory_buffer out;
  auto it = std::back_inserter(out);
  std::shared_lock lock(mu_);
  fmt::format_to(it,
                 "# HELP provisio_http_requests_total HTTP requests served.\n"
                 "# TYPE provisio_http_requests_total counter\n");
  for (const auto& [key, s] : series_) {
    std::string labels =
        fmt::format("route=\"{}\",method=\"{}\"", EscapeLabel(s->route), EscapeLabel(s->method));
    for (int status = kMinStatus; status <= kMaxStatus; ++status) {
      uint64_t n = s->by_status[status - kMinStatus].load(std::memory_order_relaxed);
      if (n == 0) continue;
      fmt::format_to(it, "provisio_http_requests_total{{{},code=\"{}\"}} {}\n", labels, status, n);
    }
  }
  fmt::format_to(it,
                 "# HELP provisio_http_request_duration_seconds Time from a complete request to "
                 "its response.\n"
                 "# TYPE provisio_http_request_duration_seconds histogram\n");
  for (const auto& [key, s] : series_) {
    std::string labels =
        fmt::format("route=\"{}\",method=\"{}\"", EscapeLabel(s->route), EscapeLabel(s->method));
    uint64_t cumulative = 0;
    for (size_t b = 0; b < kBuckets.size(); ++b) {
      cumulative += s->buckets[b].load(std::memory_order_relaxed);
      fmt::format_to(it, "provisio_http_request_duration_seconds_bucket{{{},le=\"{}\"}} {}\n",
                     labels, kBuckets[b], cumulative);
    }
    cumulative += s->buckets[kBuckets.size()].load(std::memory_order_relaxed);
    fmt::format_to(it, "provisio_http_request_duration_seconds_bucket{{{},le=\"+Inf\"}} {}\n",
                   labels, cumulative);
    fmt::format_to(it, "provisio_http_request_duration_seconds_sum{{{}}} {}\n", labels,
                   static_cast<double>(s->sum_ns.load(std::memory_order_relaxed)) / 1e9);
    fmt::format_to(it, "provisio_http_request_duration_seconds_count{{{}}} {}\n", labels,
                   cumulative);
  }
  fmt::format_to(it,
                 "# HELP provisio_http_connections_active Open client connections.\n"
                 "# TYPE provisio_http_connections_active gauge\n"
                 "provisio_http_connections_active {}\n",
                 connections_active());
  return fmt::to_string(out);
}

}  // namespace provisio::http
