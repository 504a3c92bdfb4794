// The store conformance suite: one set of tests every backend must pass (Dex's shape).
// A backend's test file instantiates it with a factory that opens a fresh, empty store:
//   INSTANTIATE_TEST_SUITE_P(Sqlite, StoreConformance, testing::Values(MakeSqlite));
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>

#include "store/store.h"

namespace provisio::store {

struct BackendFactory {
  std::string name;
  // Opens a fresh, empty, migrated store. May be called more than once per test to
  // open a second handle on the same database (`reopen` = true).
  std::function<std::unique_ptr<Store>(bool reopen)> open;
};

inline std::ostream& operator<<(std::ostream& os, const BackendFactory& f) { return os << f.name; }

// Runs fn(tx) in a transaction of `store` and commits it when fn succeeds.
template <typename F>
Status InTx(Store& store, F&& fn) {
  ASSIGN_OR_RETURN(auto tx, store.Begin());
  RETURN_IF_ERROR(fn(*tx));
  return tx->Commit();
}

// A point in time `s` seconds after the epoch, for tests that move time by hand.
inline TimePoint T(int64_t s) { return FromMicros(s * 1'000'000); }

class StoreConformance : public testing::TestWithParam<BackendFactory> {
 protected:
  void SetUp() override {
    store_ = GetParam().open(false);
    ASSERT_NE(store_, nullptr);
  }
  std::unique_ptr<Store> Reopen() {
    store_.reset();
    return GetParam().open(true);
  }
  std::unique_ptr<Store> store_;
};

}  // namespace provisio::store
