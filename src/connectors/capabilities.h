// What a connector can do, declared as a value the engine reads before it asks for anything:
// the engine never calls an operation a connector lacks, and never probes types to find out.
#pragma once

#include <cstddef>

namespace provisio::connectors {

struct Capabilities {
  // Users.
  bool create_users = false;
  bool update_users = false;  // ReplaceUser / PatchUser (PatchUser may fall back to a replace)
  bool patch_users = false;   // the target applies partial updates natively
  bool disable_users = false;
  bool delete_users = false;
  bool list_users = false;
  bool filter_users = false;  // FindUser is answered by the target, not by listing everything
  // Groups and membership.
  bool groups = false;      // Connector::groups() is non-null
  bool membership = false;  // AddMembers / RemoveMembers
  // Roles, profiles, licences.
  bool entitlements = false;  // Connector::entitlements() is non-null
  // Many creates/updates per request.
  bool batch = false;    // Connector::batch() is non-null
  size_t max_batch = 0;  // writes per request (the connector splits larger batches)
  // ApplyBatch also disables and deletes (BatchWrite::Kind::kDisable, kDelete) the way
  // DisableUser and DeleteUser would, with no read first.
  bool batch_deprovision = false;
  // Wire features the connector uses when present.
  bool bulk = false;           // SCIM /Bulk is offered (and, with batch, used)
  bool etag = false;           // versions are sent as If-Match
  size_t max_page_size = 100;  // the largest page ListUsers asks for
};

}  // namespace provisio::connectors
