#include "store/postgres/pg_store.h"

#include <algorithm>

#include "store/postgres/pg_db.h"
#include "store/postgres/pg_migrations.h"

namespace provisio::store::postgres {
namespace {

// Advisory lock keys ("PRV" and a number), one per thing serialised across nodes.
constexpr std::string_view kMigrateLock = "SELECT pg_advisory_lock(5264470001)";
constexpr std::string_view kMigrateUnlock = "SELECT pg_advisory_unlock(5264470001)";
constexpr std::string_view kFeedLock = "SELECT pg_advisory_xact_lock(5264470002)";
constexpr std::string_view kAuditLock = "SELECT pg_advisory_xact_lock(5264470003)";

constexpr sql::Dialect kDialect{
    .name = "postgresql",
    .begin = "BEGIN ISOLATION LEVEL READ COMMITTED",
    .lock_rows = " FOR UPDATE",
    .skip_locked = " FOR UPDATE SKIP LOCKED",
    .serialize_feed = kFeedLock,
    .serialize_audit = kAuditLock,
    .migrate_lock = kMigrateLock,
    .migrate_unlock = kMigrateUnlock,
    .try_lock = "SELECT pg_try_advisory_lock(5264, hashtext(?))",
};

}  // namespace

Result<std::unique_ptr<PgStore>> PgStore::Open(const std::string& url, const OpenOptions& options) {
  ASSIGN_OR_RETURN(auto writer, Connection::Open(url));
  auto store = std::unique_ptr<PgStore>(new PgStore(kDialect, std::move(writer)));
  RETURN_IF_ERROR(store->Migrate(Migrations()));
  for (int i = 0; i < std::max(1, options.reader_connections); ++i) {
    ASSIGN_OR_RETURN(auto reader, Connection::Open(url));
    // Readers never write: a bug that tries fails loudly instead of writing outside a
    // transaction.
    RETURN_IF_ERROR(reader->Exec("SET default_transaction_read_only = on"));
    store->AddReader(std::move(reader));
  }
  return store;
}

}  // namespace provisio::store::postgres
