#include "apps/audit_checkpoint.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace provisio::apps {
namespace {

constexpr uint64_t kCheckpointSubkeyId = 1;
constexpr char kCheckpointContext[9] = "pvaudcp1";
constexpr size_t kMaxAnomalies = 20;  // the first ones matter; bound the setting's size

std::string Signed(const AuditCheckpoint& c) {
  // A JSON array fixes the order and escapes every part, so no two checkpoints share a form.
  boost::json::array parts = {"provisio-audit-checkpoint-v1", c.last_id, c.last_hash, c.since_id,
                              c.anomalies};
  return boost::json::serialize(parts);
}

Status Save(store::Store& store, store::Transaction& tx, const security::MacKey& key,
            const AuditCheckpoint& c) {
  boost::json::object o{{"v", 1},
                        {"last_id", c.last_id},
                        {"last_hash", c.last_hash},
                        {"since_id", c.since_id},
                        {"anomalies", c.anomalies},
                        {"mac", key.Sign(Signed(c))}};
  return store.PutSetting(tx, kAuditCheckpointKey, boost::json::serialize(o));
}

void AddAnomaly(AuditCheckpoint& c, boost::json::object anomaly) {
  if (c.anomalies.size() < kMaxAnomalies) c.anomalies.emplace_back(std::move(anomaly));
}

}  // namespace

security::MacKey AuditCheckpointKey(const security::SecretBox& box) {
  return box.DeriveMacKey(kCheckpointSubkeyId, kCheckpointContext);
}

Result<LoadedCheckpoint> LoadAuditCheckpoint(store::Store& store, const security::MacKey& key) {
  LoadedCheckpoint out;
  ASSIGN_OR_RETURN(auto text, store.GetSetting(kAuditCheckpointKey));
  if (!text) return out;
  out.state = LoadedCheckpoint::State::kForged;
  boost::system::error_code ec;
  auto v = boost::json::parse(*text, ec);
  if (ec || !v.is_object()) return out;
  const auto& o = v.get_object();
  const auto* last_id = o.if_contains("last_id");
  const auto* last_hash = o.if_contains("last_hash");
  const auto* since_id = o.if_contains("since_id");
  const auto* anomalies = o.if_contains("anomalies");
  const auto* mac = o.if_contains("mac");
  if (!last_id || !last_id->is_int64() || !last_hash || !last_hash->is_string() || !since_id ||
      !since_id->is_int64() || !anomalies || !anomalies->is_array() || !mac || !mac->is_string()) {
    return out;
  }
  AuditCheckpoint c;
  c.last_id = last_id->get_int64();
  c.last_hash = std::string(last_hash->get_string());
  c.since_id = since_id->get_int64();
  c.anomalies = anomalies->get_array();
  if (!key.Verify(Signed(c), mac->get_string())) return out;
  out.state = LoadedCheckpoint::State::kValid;
  out.checkpoint = std::move(c);
  return out;
}

Status AdvanceAuditCheckpoint(store::Store& store, store::Transaction& tx,
                              const security::MacKey& committed_key, const security::MacKey& key,
                              const store::AuditRow& appended) {
  // Both reads see what is committed: this transaction holds the write lock, so that is the
  // state before it began, whatever it has appended so far.
  ASSIGN_OR_RETURN(LoadedCheckpoint loaded, LoadAuditCheckpoint(store, committed_key));
  store::AuditQuery newest_query;
  newest_query.limit = 1;
  ASSIGN_OR_RETURN(auto newest, store.audit().Query(newest_query));
  const int64_t committed_last = newest.empty() ? 0 : newest.front().id;

  AuditCheckpoint next;
  using State = LoadedCheckpoint::State;
  if (loaded.state == State::kValid) {
    const AuditCheckpoint& c = loaded.checkpoint;
    next.since_id = c.since_id;
    next.anomalies = c.anomalies;
    if (committed_last < c.last_id) {
      AddAnomaly(next, {{"kind", "truncated"},
                        {"expected_last_id", c.last_id},
                        {"found_last_id", committed_last},
                        {"noticed_at_id", appended.id}});
    } else if (committed_last > c.last_id) {
      AddAnomaly(next, {{"kind", "unsealed_rows"},
                        {"from_id", c.last_id + 1},
                        {"to_id", committed_last},
                        {"noticed_at_id", appended.id}});
    } else if (committed_last > 0 && newest.front().hash != c.last_hash) {
      AddAnomaly(next, {{"kind", "rewritten"}, {"id", c.last_id}, {"noticed_at_id", appended.id}});
    }
  } else {
    // No checkpoint yet (a new log, or rows written before checkpoints existed), or one that
    // does not verify: coverage starts after what is committed.
    next.since_id = committed_last + 1;
    if (loaded.state == State::kForged) {
      AddAnomaly(next, {{"kind", "checkpoint_forged"}, {"noticed_at_id", appended.id}});
    }
  }
  next.last_id = appended.id;
  next.last_hash = appended.hash;
  return Save(store, tx, key, next);
}

}  // namespace provisio::apps
