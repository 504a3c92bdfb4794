#pragma once

#include "store/admin_store.h"

namespace provisio::store::sqlite {

class SqliteStore;

class SqliteAdminStore final : public AdminStore {
 public:
  explicit SqliteAdminStore(SqliteStore& store) : store_(store) {}
  Status Insert(Transaction& tx, const AdminRecord& admin) override;
  Status Update(Transaction& tx, const AdminRecord& admin) override;
  Status Delete(Transaction& tx, std::string_view id) override;
  Result<std::optional<AdminRecord>> FindById(std::string_view id) override;
  Result<std::optional<AdminRecord>> FindByEmail(std::string_view email) override;
  Result<std::vector<AdminRecord>> List() override;
  Result<int64_t> Count() override;

 private:
  SqliteStore& store_;
};

}  // namespace provisio::store::sqlite
