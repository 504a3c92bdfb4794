// Where the master key comes from, the same way for `serve` and `rotate-master-key`:
// PROVISIO_MASTER_KEY when set, else the 0600 file <data_dir>/master.key.
#pragma once

#include <filesystem>

#include "app/config.h"
#include "core/result.h"
#include "security/secret_box.h"

namespace provisio::app {

inline constexpr const char* kMasterKeyFileName = "master.key";

std::filesystem::path MasterKeyFile(const Config& config);

// The key from the environment, or from the key file, which `serve` creates on its first
// start (create_if_missing); key rotation never creates one (kNotFound).
Result<security::MasterKey> LoadMasterKey(const Config& config, bool create_if_missing);

}  // namespace provisio::app
