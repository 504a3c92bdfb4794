#include "app/master_key.h"

namespace provisio::app {

std::filesystem::path MasterKeyFile(const Config& config) {
  return std::filesystem::path(config.data_dir) / kMasterKeyFileName;
}

Result<security::MasterKey> LoadMasterKey(const Config& config, bool create_if_missing) {
  if (!config.master_key_base64.empty()) {
    auto key = security::MasterKey::FromBase64(config.master_key_base64);
    if (!key.ok()) {
      return Error(Code::kInvalidArgument, "PROVISIO_MASTER_KEY: " + key.error().message());
    }
    return key;
  }
  const std::filesystem::path file = MasterKeyFile(config);
  std::error_code ec;
  if (!create_if_missing && !std::filesystem::exists(file, ec)) {
    return Error::NotFound("no master key: PROVISIO_MASTER_KEY is not set and " + file.string() +
                           " does not exist");
  }
  return security::MasterKey::LoadOrCreate(file);
}

}  // namespace provisio::app
