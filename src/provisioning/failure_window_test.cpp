#include "provisioning/failure_window.h"

#include <gtest/gtest.h>

namespace provisio::provisioning {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TimePoint Start() { return FromMicros(1'800'000'000'000'000); }

// Feeds one call every `every` for `span`; `ok(i)` says whether call i worked. Returns the
// time of the first call that made Record answer true (nullopt: none did).
template <typename Ok>
std::optional<TimePoint> Feed(FailureWatch& w, TimePoint from, milliseconds every,
                              milliseconds span, Ok ok) {
  int i = 0;
  for (TimePoint t = from; t < from + span; t += every, ++i) {
    if (w.Record(t, ok(i))) return t;
  }
  return std::nullopt;
}

TEST(FailureWatchTest, ThreeMinutesOfFailuresQuarantine) {
  FailureWatch w;
  auto fired = Feed(w, Start(), milliseconds(1000), seconds(600), [](int) { return false; });
  ASSERT_TRUE(fired.has_value());
  EXPECT_EQ(*fired, Start() + seconds(180));
}

TEST(FailureWatchTest, ManyFastFailuresStillNeedTheDuration) {
  // 100 failures a second: the window holds only the last 500 calls, yet the failing stretch
  // is measured from its start.
  FailureWatch w;
  auto fired = Feed(w, Start(), milliseconds(10), seconds(600), [](int) { return false; });
  ASSERT_TRUE(fired.has_value());
  EXPECT_GE(*fired, Start() + seconds(180));
  EXPECT_LE(*fired, Start() + seconds(181));
}

TEST(FailureWatchTest, SomeSuccessesKeepItRunning) {
  FailureWatch w;
  // One call in five works (80 % failing): never "most".
  EXPECT_FALSE(Feed(w, Start(), milliseconds(200), seconds(900), [](int i) {
                 return i % 5 == 0;
               }).has_value());
  // One in fifty works (98 % failing): it is.
  FailureWatch v;
  EXPECT_TRUE(Feed(v, Start(), milliseconds(200), seconds(900), [](int i) {
                return i % 50 == 0;
              }).has_value());
}

TEST(FailureWatchTest, ARecoveryStartsTheCountAgain) {
  FailureWatch w;
  // Two minutes failing, then a healthy minute, then failing again: 3 minutes from the restart.
  EXPECT_FALSE(Feed(w, Start(), seconds(1), seconds(120), [](int) { return false; }));
  EXPECT_FALSE(Feed(w, Start() + seconds(120), seconds(1), seconds(60), [](int) { return true; }));
  TimePoint again = Start() + seconds(180);
  auto fired = Feed(w, again, seconds(1), seconds(600), [](int) { return false; });
  ASSERT_TRUE(fired.has_value());
  EXPECT_GE(*fired, again + seconds(180));
}

TEST(FailureWatchTest, TooFewCallsSayNothing) {
  FailureWatch w;
  // One failing call every 10 s: at most 6 in the minute's window.
  EXPECT_FALSE(Feed(w, Start(), seconds(10), seconds(900), [](int) { return false; }).has_value());
}

}  // namespace
}  // namespace provisio::provisioning
