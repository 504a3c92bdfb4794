#include "emulators/common/faults.h"

#include <gtest/gtest.h>

namespace provisio::emulators {
namespace {

using namespace std::chrono_literals;

TEST(FaultsTest, ParsesTheDocumentedSpec) {
  auto rules = ParseFaults("500:0.05,429:0.05:retry-after=1,timeout:0.01,latency:5ms");
  ASSERT_TRUE(rules.ok()) << rules.error().ToString();
  ASSERT_EQ(rules->size(), 4u);
  EXPECT_EQ((*rules)[0].status, 500);
  EXPECT_DOUBLE_EQ((*rules)[0].probability, 0.05);
  EXPECT_EQ((*rules)[1].retry_after_seconds, 1);
  EXPECT_EQ((*rules)[2].kind, FaultRule::Kind::kTimeout);
  EXPECT_EQ((*rules)[2].delay, 10s);
  EXPECT_EQ((*rules)[3].kind, FaultRule::Kind::kLatency);
  EXPECT_EQ((*rules)[3].delay, 5ms);
  EXPECT_EQ(ParseFaults("timeout:1:after=2s")->at(0).delay, 2s);
}

TEST(FaultsTest, RejectsMalformedRules) {
  for (const char* bad : {"500", "200:0.1", "500:x", "500:1.5", "500:0.6,503:0.6", "latency:fast",
                          "429:0.1:retry-after=soon", "500:0.1:colour=red"}) {
    EXPECT_FALSE(ParseFaults(bad).ok()) << bad;
  }
  EXPECT_TRUE(ParseFaults("")->empty());
}

TEST(FaultsTest, SameSeedSameSequenceAndRoughlyTheRate) {
  auto rules = ParseFaults("500:0.2,429:0.1:retry-after=3").value();
  FaultInjector a(rules, 42);
  FaultInjector b(rules, 42);
  int s500 = 0, s429 = 0;
  for (int i = 0; i < 10000; ++i) {
    FaultOutcome x = a.Next();
    FaultOutcome y = b.Next();
    ASSERT_EQ(x.status, y.status);
    if (x.status == 500) ++s500;
    if (x.status == 429) {
      ++s429;
      EXPECT_EQ(x.retry_after_seconds, 3);
    }
  }
  EXPECT_NEAR(s500, 2000, 250);
  EXPECT_NEAR(s429, 1000, 200);
  FaultInjector always(ParseFaults("503:1").value(), 7);
  EXPECT_EQ(always.Next().status, 503);
}

}  // namespace
}  // namespace provisio::emulators
