#include "apps/key_rotation.h"

#include <sodium.h>

#include "apps/audit_checkpoint.h"
#include "apps/audit_log.h"

namespace provisio::apps {

namespace {
constexpr std::string_view kKeyCheckSetting = "master_key_check";
constexpr std::string_view kKeyCheckPlain = "provisio master key check";
}  // namespace

Result<RotationReport> ReencryptAllSecrets(store::Store& store, const Clock& clock,
                                           const security::SecretBox& old_box,
                                           const security::SecretBox& new_box) {
  RotationReport report;
  ASSIGN_OR_RETURN(auto tx, store.Begin());
  ASSIGN_OR_RETURN(auto connections, store.connections().List(tx.get()));
  for (store::ConnectionRow& c : connections) {
    ++report.connections;
    if (c.secrets.empty()) continue;
    auto plain = old_box.Open(c.secrets, c.id);
    if (!plain.ok()) {
      return Error(plain.error().code(),
                   "connection " + c.id + " ('" + c.name + "'): " + plain.error().message() +
                       "; nothing was changed",
                   {{"connection_id", c.id}});
    }
    auto sealed = new_box.Seal(*plain, c.id);
    sodium_memzero(plain->data(), plain->size());
    if (!sealed.ok()) return std::move(sealed).error();
    c.secrets = std::move(*sealed);
    RETURN_IF_ERROR(store.connections().Update(*tx, c));
    ++report.reencrypted;
  }
  const security::MacKey old_mac = AuditCheckpointKey(old_box);
  const security::MacKey new_mac = AuditCheckpointKey(new_box);
  // The row's checkpoint is checked under the old key and sealed under the new one.
  AuditEntry e;
  e.actor_kind = "system";
  e.actor_name = "provisio rotate-master-key";
  e.action = "master_key.rotate";
  e.object_type = "master_key";
  e.after =
      boost::json::object{{"connections", report.connections}, {"reencrypted", report.reencrypted}};
  RETURN_IF_ERROR(AppendAudit(store, *tx, clock, new_mac, e, &old_mac));
  // The check value every node opens at start follows the key.
  ASSIGN_OR_RETURN(std::string check, new_box.Seal(kKeyCheckPlain, kKeyCheckSetting));
  RETURN_IF_ERROR(store.PutSetting(*tx, kKeyCheckSetting, check));
  RETURN_IF_ERROR(tx->Commit());
  return report;
}

Status CheckMasterKey(store::Store& store, const security::SecretBox& box) {
  ASSIGN_OR_RETURN(auto sealed, store.GetSetting(kKeyCheckSetting));
  if (sealed) {
    if (box.Open(*sealed, kKeyCheckSetting).ok()) return Ok();
    return Error(Code::kInvalidArgument,
                 "this node's master key is not the key the database's secrets were sealed "
                 "with; give every node the same PROVISIO_MASTER_KEY (or master.key file)");
  }
  ASSIGN_OR_RETURN(std::string check, box.Seal(kKeyCheckPlain, kKeyCheckSetting));
  ASSIGN_OR_RETURN(auto tx, store.Begin());
  RETURN_IF_ERROR(store.PutSetting(*tx, kKeyCheckSetting, check));
  return tx->Commit();
}

Result<bool> StoreOpensWith(store::Store& store, const security::SecretBox& box) {
  ASSIGN_OR_RETURN(auto check, store.GetSetting(kKeyCheckSetting));
  if (check && !box.Open(*check, kKeyCheckSetting).ok()) return false;
  ASSIGN_OR_RETURN(auto connections, store.connections().List(nullptr));
  for (const store::ConnectionRow& c : connections) {
    if (c.secrets.empty()) continue;
    auto plain = box.Open(c.secrets, c.id);
    if (!plain.ok()) return false;
    sodium_memzero(plain->data(), plain->size());
  }
  ASSIGN_OR_RETURN(LoadedCheckpoint cp, LoadAuditCheckpoint(store, AuditCheckpointKey(box)));
  return cp.state != LoadedCheckpoint::State::kForged;
}

}  // namespace provisio::apps
