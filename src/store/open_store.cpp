#include <filesystem>

#include "store/postgres/pg_store.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"

namespace provisio::store {

Result<std::unique_ptr<Store>> OpenStore(std::string_view url, const OpenOptions& options) {
  constexpr std::string_view kSqlite = "sqlite://";
  if (url.starts_with(kSqlite)) {
    std::filesystem::path path(url.substr(kSqlite.size()));
    if (path.empty())
      return Error::InvalidArgument("database URL names no file: " + std::string(url));
    std::error_code ec;
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) {
      return Error::InvalidArgument("cannot create the folder for " + path.string() + ": " +
                                    ec.message());
    }
    ASSIGN_OR_RETURN(auto store, sqlite::SqliteStore::Open(path.string(), options));
    return std::unique_ptr<Store>(std::move(store));
  }
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    ASSIGN_OR_RETURN(auto store, postgres::PgStore::Open(std::string(url), options));
    return std::unique_ptr<Store>(std::move(store));
  }
  return Error::InvalidArgument("unsupported database URL '" + std::string(url) +
                                "': expected sqlite://PATH or postgresql://...");
}

}  // namespace provisio::store
