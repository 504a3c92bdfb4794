// `provisio rotate-master-key`: re-encrypts every stored secret under a new master key in
// one store transaction, then installs the new key file (the old one kept as
// master.key.before-rotation-<UTC time>). Runs only while no server uses the data folder.
#pragma once

#include <string>

#include "app/config.h"

namespace provisio::app {

struct RotateOptions {
  // A 0600 file holding the new key (standard base64 of 32 bytes); empty: generate one.
  std::string new_key_file;
};

// Returns the process exit code: 0 done, 1 failure (nothing changed unless it says so),
// 2 bad usage.
int RunRotateMasterKey(const Config& config, const RotateOptions& options);

}  // namespace provisio::app
