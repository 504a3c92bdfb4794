// An advisory lock on <data_dir>/provisio.lock: `serve` holds it shared (several servers may
// share a data folder), offline maintenance (`rotate-master-key`) holds it exclusive, so the
// two never run at once. Released when the object goes away or the process dies.
#pragma once

#include <filesystem>

#include "core/result.h"

namespace provisio::app {

class DataDirLock {
 public:
  // kUnavailable when the other kind is held by another process.
  static Result<DataDirLock> Shared(const std::filesystem::path& data_dir);
  static Result<DataDirLock> Exclusive(const std::filesystem::path& data_dir);

  DataDirLock(DataDirLock&& other) noexcept;
  DataDirLock& operator=(DataDirLock&&) = delete;
  DataDirLock(const DataDirLock&) = delete;
  DataDirLock& operator=(const DataDirLock&) = delete;
  ~DataDirLock();

  static constexpr const char* kFileName = "provisio.lock";

 private:
  explicit DataDirLock(int fd) : fd_(fd) {}
  static Result<DataDirLock> Take(const std::filesystem::path& data_dir, bool exclusive);
  int fd_ = -1;
};

}  // namespace provisio::app
