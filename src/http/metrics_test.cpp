#include "http/metrics.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace provisio::http {
namespace {

bool Has(const std::string& text, const std::string& line) {
  return text.find(line + "\n") != std::string::npos;
}

TEST(MetricsTest, RendersCountersHistogramAndGauge) {
  Metrics m;
  m.RecordRequest("/users/{id}", "GET", 200, 0.0005);
  m.RecordRequest("/users/{id}", "GET", 200, 0.003);
  m.RecordRequest("/users/{id}", "GET", 404, 20.0);
  m.ConnectionOpened();
  m.ConnectionOpened();
  m.ConnectionClosed();
  std::string text = m.RenderPrometheus();
  EXPECT_TRUE(
      Has(text, R"(provisio_http_requests_total{route="/users/{id}",method="GET",code="200"} 2)"))
      << text;
  EXPECT_TRUE(
      Has(text, R"(provisio_http_requests_total{route="/users/{id}",method="GET",code="404"} 1)"));
  const std::string labels = R"(route="/users/{id}",method="GET")";
  EXPECT_TRUE(
      Has(text, "provisio_http_request_duration_seconds_bucket{" + labels + R"(,le="0.001"} 1)"));
  EXPECT_TRUE(
      Has(text, "provisio_http_request_duration_seconds_bucket{" + labels + R"(,le="0.0025"} 1)"));
  EXPECT_TRUE(
      Has(text, "provisio_http_request_duration_seconds_bucket{" + labels + R"(,le="0.005"} 2)"));
  EXPECT_TRUE(
      Has(text, "provisio_http_request_duration_seconds_bucket{" + labels + R"(,le="10"} 2)"));
  EXPECT_TRUE(
      Has(text, "provisio_http_request_duration_seconds_bucket{" + labels + R"(,le="+Inf"} 3)"));
  EXPECT_TRUE(Has(text, "provisio_http_request_duration_seconds_count{" + labels + "} 3"));
  EXPECT_TRUE(Has(text, "provisio_http_request_duration_seconds_sum{" + labels + "} 20.0035"));
  EXPECT_TRUE(Has(text, "provisio_http_connections_active 1"));
  EXPECT_TRUE(Has(text, "# TYPE provisio_http_request_duration_seconds histogram"));
}

TEST(MetricsTest, EscapesLabelValues) {
  Metrics m;
  m.RecordRequest("/a\"b\\c", "GET", 200, 0.1);
  EXPECT_NE(m.RenderPrometheus().find(R"(route="/a\"b\\c")"), std::string::npos);
}

TEST(MetricsTest, ConcurrentRecordingLosesNothing) {
  Metrics m;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&m, t] {
      for (int i = 0; i < 5000; ++i) {
        m.RecordRequest(t % 2 == 0 ? "/a" : "/b", "GET", 200, 0.002);
      }
    });
  }
  for (auto& t : threads) t.join();
  std::string text = m.RenderPrometheus();
  EXPECT_TRUE(
      Has(text, R"(provisio_http_requests_total{route="/a",method="GET",code="200"} 10000)"));
  EXPECT_TRUE(
      Has(text, R"(provisio_http_requests_total{route="/b",method="GET",code="200"} 10000)"));
}

}  // namespace
}  // namespace provisio::http
