#include "store/sqlite/sqlite_store.h"

#include <algorithm>

#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_db.h"

namespace provisio::store::sqlite {
namespace {

// One writer per database file in this process (SqlStore's mutex), so nothing here needs
// row locks; IMMEDIATE takes the write lock at BEGIN, so a transaction never fails half-way
// on a lock another process holds: the busy timeout waits for it instead.
constexpr sql::Dialect kDialect{
    .name = "sqlite",
    .begin = "BEGIN IMMEDIATE",
    .lock_rows = "",
    .skip_locked = "",
    .serialize_feed = "",
    .serialize_audit = "",
    .migrate_lock = "",
    .migrate_unlock = "",
    .try_lock = "",
    .after_copy = "",
    .notify_work = "",
};

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path,
                                                       const OpenOptions& options) {
  ASSIGN_OR_RETURN(auto writer,
                   Connection::Open(path, Connection::Mode::kReadWrite, options.busy_timeout_ms));
  // WAL lets readers run beside the writer; NORMAL sync is durable across process crashes
  // and loses at most the last transactions on power loss, as SQLite documents for WAL.
  RETURN_IF_ERROR(
      writer->Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                   "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;"));
  auto store = std::unique_ptr<SqliteStore>(new SqliteStore(kDialect, std::move(writer)));
  RETURN_IF_ERROR(store->Migrate(Migrations()));
  for (int i = 0; i < std::max(1, options.reader_connections); ++i) {
    ASSIGN_OR_RETURN(auto reader,
                     Connection::Open(path, Connection::Mode::kReadOnly, options.busy_timeout_ms));
    RETURN_IF_ERROR(reader->Exec("PRAGMA foreign_keys=ON;"));
    store->AddReader(std::move(reader));
  }
  return store;
}

}  // namespace provisio::store::sqlite
