#include "app/data_dir_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace provisio::app {

Result<DataDirLock> DataDirLock::Take(const std::filesystem::path& data_dir, bool exclusive) {
  const std::filesystem::path path = data_dir / kFileName;
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Error::Internal("cannot open " + path.string() + ": " + std::strerror(errno));
  }
  if (::flock(fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0) {
    const int err = errno;
    ::close(fd);
    if (err == EWOULDBLOCK) {
      return Error(Code::kUnavailable,
                   exclusive ? "a provisio server is running on " + data_dir.string() +
                                   " (it holds " + path.string() + "); stop it first"
                             : "a master key rotation is running on " + data_dir.string() +
                                   " (it holds " + path.string() + "); wait for it to finish");
    }
    return Error::Internal("cannot lock " + path.string() + ": " + std::strerror(err));
  }
  return DataDirLock(fd);
}

Result<DataDirLock> DataDirLock::Shared(const std::filesystem::path& data_dir) {
  return Take(data_dir, false);
}

Result<DataDirLock> DataDirLock::Exclusive(const std::filesystem::path& data_dir) {
  return Take(data_dir, true);
}

DataDirLock::DataDirLock(DataDirLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

DataDirLock::~DataDirLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the last descriptor releases the flock
}

}  // namespace provisio::app
