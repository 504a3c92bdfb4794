#include "emulators/common/faults.h"

#include <charconv>

namespace provisio::emulators {
namespace {

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  while (true) {
    auto i = s.find(sep);
    out.push_back(s.substr(0, i));
    if (i == std::string_view::npos) break;
    s = s.substr(i + 1);
  }
  return out;
}

template <typename T>
bool ParseNumber(std::string_view s, T& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

Error Bad(std::string_view rule, std::string_view why) {
  return Error::InvalidArgument("--faults: \"" + std::string(rule) + "\": " + std::string(why));
}

}  // namespace

Result<std::chrono::milliseconds> ParseDuration(std::string_view text) {
  int64_t factor = 1;
  if (text.ends_with("ms")) {
    text.remove_suffix(2);
  } else if (text.ends_with("s")) {
    text.remove_suffix(1);
    factor = 1000;
  }
  int64_t n = 0;
  if (!ParseNumber(text, n) || n < 0) return Error::InvalidArgument("not a duration");
  return std::chrono::milliseconds(n * factor);
}

Result<std::vector<FaultRule>> ParseFaults(std::string_view spec) {
  std::vector<FaultRule> rules;
  if (spec.empty()) return rules;
  double total = 0;
  for (std::string_view text : Split(spec, ',')) {
    auto parts = Split(text, ':');
    if (parts.size() < 2) return Bad(text, "KIND:ARG expected");
    FaultRule rule;
    if (parts[0] == "latency") {
      rule.kind = FaultRule::Kind::kLatency;
      auto d = ParseDuration(parts[1]);
      if (!d.ok()) return Bad(text, "latency needs a duration like 5ms");
      rule.delay = *d;
    } else {
      if (parts[0] == "timeout") {
        rule.kind = FaultRule::Kind::kTimeout;
        rule.delay = std::chrono::seconds(10);
      } else if (!ParseNumber(parts[0], rule.status) || rule.status < 400 || rule.status > 599) {
        return Bad(text, "kind is an HTTP status 400..599, timeout or latency");
      }
      std::string p(parts[1]);
      try {
        size_t used = 0;
        rule.probability = std::stod(p, &used);
        if (used != p.size()) throw std::invalid_argument("trailing");
      } catch (const std::exception&) {
        return Bad(text, "probability must be a number");
      }
      if (rule.probability < 0 || rule.probability > 1) return Bad(text, "probability is 0..1");
      total += rule.probability;
    }
    for (size_t i = 2; i < parts.size(); ++i) {
      auto eq = parts[i].find('=');
      std::string_view key = parts[i].substr(0, eq);
      std::string_view value = eq == std::string_view::npos ? "" : parts[i].substr(eq + 1);
      if (key == "retry-after" && rule.kind == FaultRule::Kind::kStatus) {
        int s = 0;
        if (!ParseNumber(value, s) || s < 0) return Bad(text, "retry-after is whole seconds");
        rule.retry_after_seconds = s;
      } else if (key == "after" && rule.kind == FaultRule::Kind::kTimeout) {
        auto d = ParseDuration(value);
        if (!d.ok()) return Bad(text, "after needs a duration like 2s");
        rule.delay = *d;
      } else {
        return Bad(text, "unknown option \"" + std::string(key) + "\"");
      }
    }
    rules.push_back(rule);
  }
  if (total > 1.0 + 1e-9)
    return Error::InvalidArgument("--faults: probabilities add up to more than 1");
  return rules;
}

FaultOutcome FaultInjector::Next() {
  FaultOutcome out;
  if (rules_.empty()) return out;
  double draw;
  {
    std::lock_guard lock(mu_);
    draw = std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
  }
  double acc = 0;
  bool picked = false;
  for (const FaultRule& r : rules_) {
    if (r.kind == FaultRule::Kind::kLatency) {
      out.delay += r.delay;
      continue;
    }
    if (picked) continue;
    acc += r.probability;
    if (draw < acc) {
      picked = true;
      if (r.kind == FaultRule::Kind::kTimeout) {
        out.delay += r.delay;
      } else {
        out.status = r.status;
        out.retry_after_seconds = r.retry_after_seconds;
      }
    }
  }
  return out;
}

}  // namespace provisio::emulators
