#include "store/postgres/pg_store.h"

#include <libpq-fe.h>
#include <poll.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <chrono>

#include "store/postgres/pg_db.h"
#include "store/postgres/pg_migrations.h"

namespace provisio::store::postgres {
namespace {

// Advisory lock keys ("PRV" and a number), one per thing serialised across nodes.
constexpr std::string_view kMigrateLock = "SELECT pg_advisory_lock(5264470001)";
constexpr std::string_view kMigrateUnlock = "SELECT pg_advisory_unlock(5264470001)";
constexpr std::string_view kFeedLock = "SELECT pg_advisory_xact_lock(5264470002)";
constexpr std::string_view kAuditLock = "SELECT pg_advisory_xact_lock(5264470003)";

constexpr std::string_view kAfterCopy =
    "SELECT setval(pg_get_serial_sequence('changes', 'seq'), "
    "(SELECT coalesce(max(seq), 0) + 1 FROM changes), false); "
    "SELECT setval(pg_get_serial_sequence('provisioning_log', 'id'), "
    "(SELECT coalesce(max(id), 0) + 1 FROM provisioning_log), false)";

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
    .after_copy = kAfterCopy,
    .notify_work = "NOTIFY provisio_work",
};

}  // namespace

Result<std::unique_ptr<PgStore>> PgStore::Open(const std::string& url, const OpenOptions& options) {
  ASSIGN_OR_RETURN(auto writer, Connection::Open(url));
  auto store = std::unique_ptr<PgStore>(new PgStore(kDialect, std::move(writer)));
  store->url_ = url;
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

PgStore::~PgStore() {
  closing_ = true;
  if (listener_.joinable()) listener_.join();
}

void PgStore::StartListening() {
  if (listener_.joinable()) return;
  listener_ = std::thread([this] { Listen(); });
}

void PgStore::Listen() {
  while (!closing_) {
    PGconn* conn = PQconnectdb(url_.c_str());
    PGresult* r = PQstatus(conn) == CONNECTION_OK ? PQexec(conn, "LISTEN provisio_work") : nullptr;
    bool listening = r && PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    if (!listening) {
      spdlog::warn("store: cannot LISTEN for work (idle nodes poll instead): {}",
                   PQerrorMessage(conn));
    } else {
      WorkEnqueued();  // whatever arrived while we were not listening
    }
    while (listening && !closing_) {
      pollfd pfd{PQsocket(conn), POLLIN, 0};
      if (::poll(&pfd, 1, 250) < 0 && errno != EINTR) break;
      if (PQconsumeInput(conn) == 0) break;  // the connection dropped
      bool woke = false;
      while (PGnotify* n = PQnotifies(conn)) {
        PQfreemem(n);
        woke = true;
      }
      if (woke) WorkEnqueued();
    }
    PQfinish(conn);
    for (int i = 0; i < 20 && !closing_; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
}

}  // namespace provisio::store::postgres
