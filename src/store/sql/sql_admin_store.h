#pragma once

#include "store/admin_store.h"

namespace provisio::store::sql {

class SqlStore;

class SqlAdminStore final : public AdminStore {
 public:
  explicit SqlAdminStore(SqlStore& store) : store_(store) {}
  Status Insert(Transaction& tx, const AdminRecord& admin) override;
  Status Update(Transaction& tx, const AdminRecord& admin) override;
  Status Delete(Transaction& tx, std::string_view id) override;
  Result<std::optional<AdminRecord>> FindById(std::string_view id) override;
  Result<std::optional<AdminRecord>> FindByEmail(std::string_view email) override;
  Result<std::vector<AdminRecord>> List() override;
  Result<int64_t> Count() override;

 private:
  SqlStore& store_;
};

}  // namespace provisio::store::sql
