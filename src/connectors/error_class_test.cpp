#include "connectors/error_class.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "connectors/action.h"

namespace provisio::connectors {
namespace {

using namespace std::chrono_literals;

TEST(ErrorClassTest, ClassAndRetryAfterTravelInTheError) {
  Error e = ClassifiedError(ErrorClass::kRateLimited, "slow down", {429, 1500ms});
  EXPECT_EQ(e.code(), Code::kRateLimited);
  EXPECT_EQ(ClassOf(e), ErrorClass::kRateLimited);
  EXPECT_EQ(RetryAfterOf(e), 1500ms);
  EXPECT_EQ(ClassOf(Error::Internal("unclassified")), ErrorClass::kFatal);
  EXPECT_FALSE(IsClassified(Error::Internal("x")));
}

TEST(ErrorClassTest, TransportErrorsRetryableOnlyWhenTransient) {
  EXPECT_EQ(ClassOf(ClassifyTransportError(Error(Code::kTimeout, "t"))), ErrorClass::kRetryable);
  EXPECT_EQ(ClassOf(ClassifyTransportError(Error::Unavailable("reset"))), ErrorClass::kRetryable);
  EXPECT_EQ(ClassOf(ClassifyTransportError(Error::Internal("tls"))), ErrorClass::kFatal);
  EXPECT_EQ(ClassOf(ClassifyTransportError(Error(Code::kPayloadTooLarge, "big"))),
            ErrorClass::kFatal);
}

TEST(ErrorClassTest, ParsesRetryAfterSecondsAndDates) {
  TimePoint now = FromMicros(1'700'000'000'000'000);  // 2023-11-14T22:13:20Z
  EXPECT_EQ(ParseRetryAfter("2", now), 2000ms);
  EXPECT_EQ(ParseRetryAfter(" 0 ", now), 0ms);
  EXPECT_EQ(ParseRetryAfter("Tue, 14 Nov 2023 22:13:50 GMT", now), 30000ms);
  EXPECT_EQ(ParseRetryAfter("Tue, 14 Nov 2023 22:00:00 GMT", now), 0ms);
  EXPECT_EQ(ParseRetryAfter("soon", now), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("", now), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("-1", now), std::nullopt);
}

TEST(ActionTest, OneTableFromClassToAction) {
  EXPECT_EQ(DecideAction(ErrorClass::kRetryable).action, Action::kRetry);
  EXPECT_EQ(DecideAction(ErrorClass::kRateLimited, 2000ms).delay, 2000ms);
  EXPECT_EQ(DecideAction(ErrorClass::kConflict).action, Action::kSkip);
  EXPECT_EQ(DecideAction(ErrorClass::kStale).action, Action::kRetry);
  EXPECT_EQ(DecideAction(ErrorClass::kNotFound).action, Action::kSkip);
  EXPECT_EQ(DecideAction(ErrorClass::kInvalid).action, Action::kSkip);
  EXPECT_EQ(DecideAction(ErrorClass::kAuth).action, Action::kStop);
  EXPECT_EQ(DecideAction(ErrorClass::kFatal).action, Action::kStop);
  Decision d = DecideAction(ClassifiedError(ErrorClass::kRateLimited, "x", {429, 3000ms}));
  EXPECT_EQ(d.action, Action::kRetry);
  EXPECT_EQ(d.delay, 3000ms);
}

}  // namespace
}  // namespace provisio::connectors

namespace provisio::connectors {
namespace {

TEST(BackoffTest, DoublesUpToItsCapWithJitterInTheUpperHalf) {
  using std::chrono::milliseconds;
  for (int64_t retries : {0, 1, 2, 5, 40, -3}) {
    const int64_t full =
        std::min<int64_t>(32'000, 500 * (int64_t{1} << std::clamp<int64_t>(retries, 0, 16)));
    std::set<int64_t> seen;
    for (int i = 0; i < 200; ++i) {
      auto d = Backoff(retries, milliseconds(500), milliseconds(32'000)).count();
      EXPECT_GE(d, full / 2) << retries;
      EXPECT_LE(d, full) << retries;
      seen.insert(d);
    }
    EXPECT_GT(seen.size(), 1u) << "no jitter at " << retries;
  }
}

}  // namespace
}  // namespace provisio::connectors
