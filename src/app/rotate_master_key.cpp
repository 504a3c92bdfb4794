#include "app/rotate_master_key.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <iostream>

#include "app/data_dir_lock.h"
#include "app/master_key.h"
#include "apps/key_rotation.h"
#include "store/store.h"

namespace provisio::app {
namespace {

namespace fs = std::filesystem;

// The key a rotation has staged but not yet installed: the database may already use it.
constexpr const char* kStagedFileName = "master.key.new";

std::string UtcStamp() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

int Fail(const std::string& message, int code = 1) {
  std::cerr << "provisio rotate-master-key: " << message << "\n";
  return code;
}

void SyncDir(const fs::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

// Copies the key file `from` to `to` (created O_EXCL, 0600, fsynced), zeroing the buffer.
Status CopyKeyFile(const fs::path& from, const fs::path& to) {
  int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) return Error::Internal("cannot read " + from.string() + ": " + std::strerror(errno));
  char buf[4096];
  ssize_t n = ::read(in, buf, sizeof buf);
  ::close(in);
  if (n < 0) return Error::Internal("cannot read " + from.string());
  int out = ::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (out < 0) {
    sodium_memzero(buf, sizeof buf);
    return Error::Internal("cannot create " + to.string() + ": " + std::strerror(errno));
  }
  bool ok = ::fchmod(out, 0600) == 0 && ::write(out, buf, static_cast<size_t>(n)) == n &&
            ::fsync(out) == 0;
  sodium_memzero(buf, sizeof buf);
  ok = ::close(out) == 0 && ok;
  if (!ok) {
    ::unlink(to.c_str());
    return Error::Internal("cannot write " + to.string());
  }
  return Ok();
}

// True when both boxes hold the same key (compared through a derived tag, never the key).
bool SameKey(const security::SecretBox& a, const security::SecretBox& b) {
  return a.DeriveMacKey(0, "samekey?").Sign("probe") == b.DeriveMacKey(0, "samekey?").Sign("probe");
}

// Makes `staged` the master key file.
Status Install(const fs::path& staged, const fs::path& key_file) {
  if (::rename(staged.c_str(), key_file.c_str()) != 0) {
    return Error::Internal("cannot move " + staged.string() + " to " + key_file.string() + ": " +
                           std::strerror(errno));
  }
  SyncDir(key_file.parent_path());
  return Ok();
}

}  // namespace

int RunRotateMasterKey(const Config& config, const RotateOptions& options) {
  const fs::path data_dir = config.data_dir;
  std::error_code ec;
  if (!fs::is_directory(data_dir, ec)) return Fail("no data folder " + data_dir.string());
  auto lock = DataDirLock::Exclusive(data_dir);
  if (!lock.ok()) return Fail(lock.error().message());

  const bool from_env = !config.master_key_base64.empty();
  const fs::path key_file = MasterKeyFile(config);
  const fs::path staged = data_dir / kStagedFileName;
  auto old_key = LoadMasterKey(config, /*create_if_missing=*/false);
  if (!old_key.ok()) return Fail("current master key: " + old_key.error().message());
  security::SecretBox old_box(std::move(old_key).value());

  auto opened = store::OpenStore(config.DatabaseUrl());
  if (!opened.ok()) return Fail("store: " + opened.error().message());
  store::Store& store = **opened;

  // A staged key left by an interrupted run: installed if the database already uses it,
  // removed otherwise (that run never committed).
  if (!from_env && fs::exists(staged, ec)) {
    auto staged_key = security::MasterKey::LoadOrCreate(staged);
    if (!staged_key.ok()) return Fail(staged_key.error().message());
    security::SecretBox staged_box(std::move(staged_key).value());
    auto new_fits = apps::StoreOpensWith(store, staged_box);
    auto old_fits = apps::StoreOpensWith(store, old_box);
    if (!new_fits.ok() || !old_fits.ok()) return Fail("cannot read the store");
    if (*new_fits && !*old_fits) {
      auto st = Install(staged, key_file);
      if (!st.ok()) return Fail(st.error().message());
      std::cout << "completed an interrupted rotation: " << key_file.string()
                << " now holds the key the database uses\n";
      return 0;
    }
    fs::remove(staged, ec);
  }

  // The new key. Written to a file before the database changes, so it is never only in
  // memory once secrets depend on it.
  fs::path new_key_path;
  if (!options.new_key_file.empty()) {
    if (!fs::exists(options.new_key_file, ec)) {
      return Fail("--new-key-file " + options.new_key_file + " does not exist", 2);
    }
    new_key_path = options.new_key_file;
  } else {
    new_key_path = from_env ? data_dir / ("master.key.rotated-" + UtcStamp()) : staged;
  }
  auto new_key = security::MasterKey::LoadOrCreate(new_key_path);  // creates when generating
  if (!new_key.ok()) return Fail("new master key: " + new_key.error().message(), 2);
  security::SecretBox new_box(std::move(new_key).value());
  if (SameKey(old_box, new_box)) {
    if (options.new_key_file.empty()) fs::remove(new_key_path, ec);
    return Fail("the new key is the key in use; give another one", 2);
  }
  if (!from_env && !options.new_key_file.empty()) {
    auto st = CopyKeyFile(new_key_path, staged);
    if (!st.ok()) return Fail(st.error().message());
  }
  // The old key file stays, under a name that says what it is.
  fs::path backup;
  if (!from_env) {
    // Two rotations within one second must not collide: number the later backups.
    const std::string stem = "master.key.before-rotation-" + UtcStamp();
    backup = data_dir / stem;
    for (int n = 2; fs::exists(backup, ec) && n < 100; ++n) {
      backup = data_dir / (stem + "-" + std::to_string(n));
    }
    if (::link(key_file.c_str(), backup.c_str()) != 0) {
      fs::remove(staged, ec);
      return Fail("cannot keep the old key as " + backup.string() + ": " + std::strerror(errno));
    }
    SyncDir(data_dir);
  }

  SystemClock clock;
  auto report = apps::ReencryptAllSecrets(store, clock, old_box, new_box);
  if (!report.ok()) {
    if (!from_env) {
      fs::remove(staged, ec);
      fs::remove(backup, ec);
    } else if (options.new_key_file.empty()) {
      fs::remove(new_key_path, ec);
    }
    return Fail(report.error().message());
  }
  std::cout << "re-encrypted the secrets of " << report->reencrypted << " of "
            << report->connections << " connection(s) under the new master key\n";
  if (from_env) {
    std::cout << "the key comes from PROVISIO_MASTER_KEY: set it to the contents of "
              << new_key_path.string() << " before starting the server again\n";
    return 0;
  }
  if (auto st = Install(staged, key_file); !st.ok()) {
    return Fail(st.error().message() + "; the database now uses the key in " + staged.string() +
                ": run rotate-master-key again to install it");
  }
  std::cout << "the new key is in " << key_file.string() << "; the previous one is kept in "
            << backup.string() << "\n";
  return 0;
}

}  // namespace provisio::app
