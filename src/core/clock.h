// Time. Code that needs "now" takes a Clock&, so tests can move time without sleeping.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace provisio {

using TimePoint = std::chrono::time_point<std::chrono::system_clock, std::chrono::microseconds>;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override;
};

// A clock tests set and advance by hand.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimePoint start) : now_(start) {}
  TimePoint Now() const override { return now_; }
  void Advance(std::chrono::microseconds d) { now_ += d; }
  void Set(TimePoint t) { now_ = t; }

 private:
  TimePoint now_;
};

// RFC 3339 / xsd:dateTime in UTC with millisecond precision: 2026-11-29T06:12:17.123Z.
std::string FormatRfc3339(TimePoint t);
// Accepts any RFC 3339 date-time (offsets, any fraction precision); nullopt when malformed.
std::optional<TimePoint> ParseRfc3339(std::string_view s);
// Microseconds since the Unix epoch, the form stored in databases.
inline int64_t ToMicros(TimePoint t) { return t.time_since_epoch().count(); }
inline TimePoint FromMicros(int64_t us) { return TimePoint(std::chrono::microseconds(us)); }

}  // namespace provisio
