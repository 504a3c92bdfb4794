#include "provisioning/rate_limiter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace provisio::provisioning {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr microseconds kNoWait{0};

TimePoint Start() { return FromMicros(1'800'000'000'000'000); }

TEST(RateLimiterTest, UnlimitedNeverWaits) {
  FakeClock clock(Start());
  RateLimiter limiter(clock);
  for (int i = 0; i < 1000; ++i) {
    auto turn = limiter.Take(kNoWait);
    ASSERT_TRUE(turn.granted);
    ASSERT_EQ(turn.wait, kNoWait);
  }
}

TEST(RateLimiterTest, BurstThenTheRate) {
  FakeClock clock(Start());
  RateLimiter limiter(clock, {.per_second = 10, .burst = 5});
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(limiter.Take(kNoWait).granted) << i;
  // The burst is spent: the next token comes a tenth of a second later.
  auto refused = limiter.Take(kNoWait);
  EXPECT_FALSE(refused.granted);
  EXPECT_EQ(refused.wait, milliseconds(100));
  // Asked again with patience, it is granted with that wait, and the one after waits longer.
  auto granted = limiter.Take(seconds(1));
  EXPECT_TRUE(granted.granted);
  EXPECT_EQ(granted.wait, milliseconds(100));
  EXPECT_EQ(limiter.Take(seconds(1)).wait, milliseconds(200));
  // A quiet second refills the bucket to the burst, no more.
  clock.Advance(seconds(2));
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(limiter.Take(kNoWait).granted) << i;
  EXPECT_FALSE(limiter.Take(kNoWait).granted);
}

TEST(RateLimiterTest, TheRateHoldsOverALongRun) {
  FakeClock clock(Start());
  RateLimiter limiter(clock, {.per_second = 50, .burst = 10});
  // Callers that start as soon as they may: 10 s allow the burst plus 50 per second.
  int calls = 0;
  TimePoint end = Start() + seconds(10);
  while (clock.Now() < end) {
    auto turn = limiter.Take(seconds(1));
    ASSERT_TRUE(turn.granted);
    clock.Advance(turn.wait);
    if (clock.Now() < end) ++calls;
  }
  EXPECT_GE(calls, 10 + 50 * 10 - 1);
  EXPECT_LE(calls, 10 + 50 * 10);
}

TEST(RateLimiterTest, BurstDefaultsToOneSecondOfTheRate) {
  FakeClock clock(Start());
  RateLimiter limiter(clock, {.per_second = 4});
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(limiter.Take(kNoWait).granted) << i;
  EXPECT_FALSE(limiter.Take(kNoWait).granted);
}

TEST(RateLimiterTest, RetryAfterHoldsTheWholeBucket) {
  FakeClock clock(Start());
  RateLimiter limiter(clock, {.per_second = 10, .burst = 5});
  limiter.Hold(clock.Now() + seconds(3));
  ASSERT_TRUE(limiter.held_until().has_value());
  auto turn = limiter.Take(kNoWait);
  EXPECT_FALSE(turn.granted);
  EXPECT_EQ(turn.wait, seconds(3));
  clock.Advance(seconds(3));
  EXPECT_FALSE(limiter.held_until().has_value());
  // After the hold the bucket is empty and refills at the rate: no burst at once.
  EXPECT_TRUE(limiter.Take(kNoWait).granted);
  EXPECT_FALSE(limiter.Take(kNoWait).granted);
  clock.Advance(milliseconds(100));
  EXPECT_TRUE(limiter.Take(kNoWait).granted);
}

TEST(RateLimiterTest, HoldAppliesWithoutARate) {
  FakeClock clock(Start());
  RateLimiter limiter(clock);
  limiter.Hold(clock.Now() + seconds(2));
  EXPECT_EQ(limiter.Take(kNoWait).wait, seconds(2));
  auto patient = limiter.Take(seconds(5));
  EXPECT_TRUE(patient.granted);
  EXPECT_EQ(patient.wait, seconds(2));
  // An earlier hold does not shorten a later one.
  limiter.Hold(clock.Now() + seconds(1));
  EXPECT_EQ(limiter.Take(kNoWait).wait, seconds(2));
  clock.Advance(seconds(2));
  EXPECT_TRUE(limiter.Take(kNoWait).granted);
}

TEST(RateLimiterTest, ConcurrencyCapsCallsInFlight) {
  FakeClock clock(Start());
  RateLimiter limiter(clock, {.concurrency = 2});
  EXPECT_TRUE(limiter.Enter(kNoWait));
  EXPECT_TRUE(limiter.Enter(kNoWait));
  EXPECT_FALSE(limiter.Enter(kNoWait));
  EXPECT_EQ(limiter.in_flight(), 2);
  // A waiter gets the slot a caller leaves.
  std::atomic<bool> entered{false};
  std::thread waiter([&] { entered = limiter.Enter(seconds(60)); });
  limiter.Leave();
  waiter.join();
  EXPECT_TRUE(entered);
  EXPECT_EQ(limiter.in_flight(), 2);
  // Raising the cap lets more in; no cap at all lets everyone in.
  limiter.Configure({.concurrency = 3});
  EXPECT_TRUE(limiter.Enter(kNoWait));
  limiter.Configure({});
  for (int i = 0; i < 50; ++i) EXPECT_TRUE(limiter.Enter(kNoWait));
}

TEST(RateLimiterTest, ManyThreadsNeverExceedTheCap) {
  FakeClock clock(Start());
  RateLimiter limiter(clock, {.concurrency = 3});
  std::atomic<int> inside{0}, most{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        ASSERT_TRUE(limiter.Enter(seconds(60)));
        int now = ++inside;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        std::this_thread::yield();
        --inside;
        limiter.Leave();
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_LE(most.load(), 3);
  EXPECT_GE(most.load(), 1);
  EXPECT_EQ(limiter.in_flight(), 0);
}

}  // namespace
}  // namespace provisio::provisioning
