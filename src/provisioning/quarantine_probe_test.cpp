#include "provisioning/quarantine_probe.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/ids.h"
#include "provisioning/triggers.h"

namespace provisio::provisioning {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using std::chrono::seconds;

TimePoint Start() { return FromMicros(1'800'000'000'000'000); }

class QuarantineProbeTest : public testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(dir_);
    store_ = std::move(store::OpenStore("sqlite://" + (dir_ / "p.db").string())).value();
    store::ApplicationRow a;
    a.id = app_;
    a.template_id = "scim2";
    a.name = "Flaky";
    a.capabilities = R"(["provisioning"])";
    a.settings = "{}";
    a.mappings = "[]";
    a.state = "active";
    a.created = a.updated = Start();
    auto tx = std::move(store_->Begin()).value();
    ASSERT_TRUE(store_->applications().Insert(*tx, a).ok());
    ASSERT_TRUE(
        QuarantineApplication(*store_, *tx, app_, "the target refused us: 401", Start()).ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }
  std::string State() { return (*store_->applications().Get(nullptr, app_))->state; }

  fs::path dir_ = fs::temp_directory_path() / ("provisio-probe-" + NewUuid());
  std::unique_ptr<store::Store> store_;
  std::string app_ = NewUuid();
};

TEST_F(QuarantineProbeTest, ProbesAtGrowingIntervalsAndLiftsOnAnswer) {
  FakeClock clock(Start());
  QuarantineProbe probe(*store_, clock, seconds(30), seconds(100));
  bool healthy = false;
  std::vector<TimePoint> probed;
  auto call = [&](const store::ApplicationRow& app) -> Status {
    EXPECT_EQ(app.id, app_);
    probed.push_back(clock.Now());
    if (healthy) return Ok();
    return Error(Code::kUnavailable, "503");
  };
  auto run = [&] {
    auto lifted = probe.Run(call, "node-a");
    EXPECT_TRUE(lifted.ok());
    return lifted.ok() ? *lifted : std::vector<std::string>{};
  };
  EXPECT_TRUE(run().empty());  // first sighting: the first probe is 30 s away
  EXPECT_TRUE(probed.empty());
  ASSERT_TRUE(probe.NextProbe(app_).has_value());
  EXPECT_EQ(*probe.NextProbe(app_), Start() + seconds(30));
  // Time moves on second by second; the probes come at 30, +60, +100 (capped), +100.
  for (int s = 1; s <= 320; ++s) {
    clock.Advance(seconds(1));
    run();
  }
  ASSERT_EQ(probed.size(), 4u);
  EXPECT_EQ(probed[0], Start() + seconds(30));
  EXPECT_EQ(probed[1], Start() + seconds(90));
  EXPECT_EQ(probed[2], Start() + seconds(190));
  EXPECT_EQ(probed[3], Start() + seconds(290));
  EXPECT_EQ(State(), "quarantined");
  healthy = true;
  clock.Advance(seconds(70));
  EXPECT_EQ(run(), std::vector<std::string>{app_});
  EXPECT_EQ(State(), "active");
  EXPECT_EQ(*StateReason(*store_, app_), "");
  EXPECT_FALSE(probe.NextProbe(app_).has_value());
  store::LogQuery q;
  q.application_id = app_;
  auto log = store_->provisioning_log().Query(q);
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 1u);
  EXPECT_EQ(log->front().action, "resume");
  EXPECT_EQ(log->front().node, "node-a");
  EXPECT_NE(log->front().detail.find("401"), std::string::npos) << log->front().detail;
  // Nothing left to probe.
  clock.Advance(seconds(1000));
  EXPECT_TRUE(run().empty());
  EXPECT_EQ(probed.size(), 5u);
}

TEST_F(QuarantineProbeTest, AnAdminLiftStopsTheProbes) {
  FakeClock clock(Start());
  QuarantineProbe probe(*store_, clock, milliseconds(500), seconds(10));
  int calls = 0;
  auto call = [&](const store::ApplicationRow&) -> Status {
    ++calls;
    return Error(Code::kUnauthenticated, "401");
  };
  ASSERT_TRUE(probe.Run(call, "n").ok());
  clock.Advance(seconds(1));
  ASSERT_TRUE(probe.Run(call, "n").ok());
  EXPECT_EQ(calls, 1);
  auto app = *store_->applications().Get(nullptr, app_);
  app->state = "active";
  auto tx = std::move(store_->Begin()).value();
  ASSERT_TRUE(store_->applications().Update(*tx, *app).ok());
  ASSERT_TRUE(tx->Commit().ok());
  clock.Advance(seconds(60));
  ASSERT_TRUE(probe.Run(call, "n").ok());
  EXPECT_EQ(calls, 1);
  EXPECT_FALSE(probe.NextProbe(app_).has_value());
}

}  // namespace
}  // namespace provisio::provisioning
