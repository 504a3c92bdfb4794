// The connector conformance suite: one set of tests every connector passes against its
// target (an emulator, slapd, Provisio's own /scim/v2). A target is a factory; instantiating
// the suite for it is one line:
//   INSTANTIATE_TEST_SUITE_P(ScimEmulator, ConnectorConformance, testing::Values(MyTarget()));
// Link provisio_connector_conformance (an object library) so the tests are registered.
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "connectors/connector.h"
#include "core/result.h"

namespace provisio::connectors {

struct TargetOptions {
  std::string faults{};          // emulator --faults SPEC; only asked of targets that inject faults
  size_t seed_users = 0;         // users the target holds before the test starts
  bool bad_credentials = false;  // open the connector with credentials the target rejects
};

struct ConnectorUnderTest {
  std::unique_ptr<Connector> connector;  // nullptr: the target failed to start
  std::shared_ptr<void> target;          // keeps the target (process, server) alive
  // Reads a group's member ids straight from the target, bypassing the connector.
  std::function<Result<std::vector<std::string>>(const std::string& group_id)> members;
};

struct ConnectorTarget {
  std::string name;
  bool injects_faults = false;
  std::function<ConnectorUnderTest(const TargetOptions&)> start;
};

inline std::ostream& operator<<(std::ostream& os, const ConnectorTarget& t) { return os << t.name; }

class ConnectorConformance : public testing::TestWithParam<ConnectorTarget> {
 protected:
  // Starts the target with `options`; the test fails (fatally) when it cannot.
  Connector& Start(const TargetOptions& options = {}) {
    cut_ = GetParam().start(options);
    if (cut_.connector == nullptr) {
      ADD_FAILURE() << GetParam().name << ": target did not start";
      throw std::runtime_error("target did not start");
    }
    return *cut_.connector;
  }
  ConnectorUnderTest cut_;
};

}  // namespace provisio::connectors
