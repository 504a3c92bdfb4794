#include "provisioning/scheduled_syncs.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/ids.h"
#include "provisioning/triggers.h"

namespace provisio::provisioning {
namespace {

namespace fs = std::filesystem;
using std::chrono::minutes;

TimePoint Start() { return FromMicros(1'800'000'000'000'000); }

class ScheduledSyncsTest : public testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(dir_);
    store_ = std::move(store::OpenStore("sqlite://" + (dir_ / "p.db").string())).value();
    auto tx = std::move(store_->Begin()).value();
    store::ConnectionRow c;
    c.id = "c1";
    c.name = "Target";
    c.type = "scim2";
    c.base_url = "http://127.0.0.1:1/scim/v2";
    c.auth_kind = "bearer";
    c.auth_fields = "{}";
    c.settings = "{}";
    c.created = c.updated = Start();
    ASSERT_TRUE(store_->connections().Insert(*tx, c).ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }
  std::string AddApp(std::string name, std::string schedule, std::string state = "active",
                     std::string capabilities = R"(["provisioning"])") {
    store::ApplicationRow a;
    a.id = NewUuid();
    a.template_id = "scim2";
    a.name = std::move(name);
    a.capabilities = std::move(capabilities);
    a.connection_id = "c1";
    a.settings = R"({"sync_schedule":")" + schedule + "\"}";
    a.mappings = "[]";
    a.state = std::move(state);
    a.created = a.updated = Start();
    auto tx = std::move(store_->Begin()).value();
    EXPECT_TRUE(store_->applications().Insert(*tx, a).ok());
    for (std::string u : {"u1", "u2", "u3"}) {
      store::AssignmentRow r;
      r.id = NewUuid();
      r.application_id = a.id;
      r.principal_type = "user";
      r.principal_id = u;
      r.entitlements = "[]";
      r.created = r.updated = Start();
      EXPECT_TRUE(store_->assignments().Insert(*tx, r).ok());
    }
    EXPECT_TRUE(tx->Commit().ok());
    return a.id;
  }
  std::vector<std::string> Due(TimePoint now) {
    // The engine's full sync needs a target; the schedule is tested with the plain marking of
    // every pair (what a full sync queues when nothing was ever pushed).
    auto due = RunDueSyncs(*store_, now, [&](const std::string& app) -> Result<int64_t> {
      ASSIGN_OR_RETURN(auto tx, store_->Begin());
      ASSIGN_OR_RETURN(int64_t n, MarkApplicationDirty(*store_, *tx, app, "full", now));
      RETURN_IF_ERROR(tx->Commit());
      return n;
    });
    EXPECT_TRUE(due.ok()) << due.error().ToString();
    std::vector<std::string> ids;
    for (const auto& s : *due) {
      EXPECT_EQ(s.enqueued, 3);
      ids.push_back(s.application_id);
    }
    return ids;
  }
  int64_t Queued(TimePoint now) {
    auto counts = store_->work().Counts(now);
    int64_t n = 0;
    for (const auto& c : *counts) n += c.queued;
    return n;
  }

  fs::path dir_ = fs::temp_directory_path() / ("provisio-sched-" + NewUuid());
  std::unique_ptr<store::Store> store_;
};

TEST_F(ScheduledSyncsTest, RunsAFullSyncEachInterval) {
  std::string app = AddApp("Hourly", "1h");
  // First seen: the count starts now, nothing runs at once.
  EXPECT_TRUE(Due(Start()).empty());
  EXPECT_EQ(Queued(Start()), 0);
  EXPECT_TRUE(Due(Start() + minutes(59)).empty());
  EXPECT_EQ(Due(Start() + minutes(60)), std::vector<std::string>{app});
  auto leased = store_->work().Lease("n", 10, Start() + minutes(60), std::chrono::seconds(60));
  ASSERT_TRUE(leased.ok());
  ASSERT_EQ(leased->size(), 3u);
  for (const auto& item : *leased) EXPECT_EQ(item.mode, "full");
  // Counted from the run, not from the first sighting.
  EXPECT_TRUE(Due(Start() + minutes(119)).empty());
  EXPECT_EQ(Due(Start() + minutes(121)), std::vector<std::string>{app});
  EXPECT_EQ(*LastScheduledSync(*store_, app), Start() + minutes(121));
}

TEST_F(ScheduledSyncsTest, OnlyActiveProvisioningApplicationsWithASchedule) {
  AddApp("Manual", "manual");
  AddApp("Paused", "15m", "paused");
  AddApp("Quarantined", "15m", "quarantined");
  AddApp("Import only", "15m", "active", R"(["import_sync"])");
  std::string due = AddApp("Due", "15m");
  EXPECT_TRUE(Due(Start()).empty());
  EXPECT_EQ(Due(Start() + minutes(15)), std::vector<std::string>{due});
  EXPECT_EQ(Queued(Start() + minutes(15)), 3);
}

TEST_F(ScheduledSyncsTest, AFailedSyncIsTriedAgainAtTheNextInterval) {
  std::string app = AddApp("Flaky", "15m");
  int calls = 0;
  auto failing = [&](const std::string&) -> Result<int64_t> {
    ++calls;
    return Error(Code::kUnavailable, "target down");
  };
  ASSERT_TRUE(RunDueSyncs(*store_, Start(), failing).ok());
  EXPECT_EQ(calls, 0);  // first seen
  auto due = RunDueSyncs(*store_, Start() + minutes(15), failing);
  ASSERT_TRUE(due.ok()) << due.error().ToString();
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(due->empty());
  // Noted all the same: not retried on every tick, but at the next interval.
  ASSERT_TRUE(RunDueSyncs(*store_, Start() + minutes(16), failing).ok());
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(Due(Start() + minutes(30)), std::vector<std::string>{app});
}

TEST_F(ScheduledSyncsTest, AnotherStoreReaderCarriesOn) {
  // What a restarted node (or the next lock holder) sees: the last run from the store.
  std::string app = AddApp("Daily", "1d");
  EXPECT_TRUE(Due(Start()).empty());
  store_.reset();
  store_ = std::move(store::OpenStore("sqlite://" + (dir_ / "p.db").string())).value();
  EXPECT_TRUE(Due(Start() + minutes(1439)).empty());
  EXPECT_EQ(Due(Start() + minutes(1440)), std::vector<std::string>{app});
}

}  // namespace
}  // namespace provisio::provisioning
