// The handlers of endpoints.cpp, one group per resource. Each is a plain function of a Call;
// Dispatch has authenticated and authorized the caller before any of them runs.
#pragma once

#include <boost/json/object.hpp>

#include "api/call.h"
#include "core/result.h"
#include "http/response.h"
#include "scim/schema.h"
#include "store/admin_store.h"

namespace provisio::api {

using HandlerResult = Result<http::Response>;

// security_settings_handlers.cpp
HandlerResult GetSecuritySettings(Call& call);
HandlerResult ReplaceSecuritySettings(Call& call);

// session_handlers.cpp
HandlerResult SignIn(Call& call);
HandlerResult WhoAmI(Call& call);
HandlerResult SignOut(Call& call);
HandlerResult ChangePassword(Call& call);

// admin_handlers.cpp
boost::json::object AdminJson(const store::AdminRecord& admin);
HandlerResult ListAdmins(Call& call);
HandlerResult CreateAdmin(Call& call);
HandlerResult GetAdmin(Call& call);
HandlerResult UpdateAdmin(Call& call);
HandlerResult DeleteAdmin(Call& call);

// token_handlers.cpp
HandlerResult ListApiTokens(Call& call);
HandlerResult CreateApiToken(Call& call);
HandlerResult GetApiToken(Call& call);
HandlerResult RevokeApiToken(Call& call);
HandlerResult ListScimTokens(Call& call);
HandlerResult CreateScimToken(Call& call);
HandlerResult GetScimToken(Call& call);
HandlerResult RevokeScimToken(Call& call);

// catalog_handlers.cpp
HandlerResult ListCatalog(Call& call);
HandlerResult GetTemplate(Call& call);

// connection_handlers.cpp
HandlerResult ListConnections(Call& call);
HandlerResult CreateConnection(Call& call);
HandlerResult GetConnection(Call& call);
HandlerResult UpdateConnection(Call& call);
HandlerResult DeleteConnection(Call& call);
HandlerResult TestConnection(Call& call);

// application_handlers.cpp
HandlerResult ListApplications(Call& call);
HandlerResult CreateApplication(Call& call);
HandlerResult GetApplication(Call& call);
HandlerResult UpdateApplication(Call& call);
HandlerResult DeleteApplication(Call& call);
HandlerResult GetMappings(Call& call);
HandlerResult ReplaceMappings(Call& call);

// mapping_preview_handlers.cpp
HandlerResult PreviewMappings(Call& call);  // evaluates mappings for one user; writes nothing

// assignment_handlers.cpp
HandlerResult ListAssignments(Call& call);
HandlerResult CreateAssignment(Call& call);
HandlerResult GetAssignment(Call& call);
HandlerResult UpdateAssignment(Call& call);
HandlerResult DeleteAssignment(Call& call);

// audit_handlers.cpp
HandlerResult ListAuditLog(Call& call);
HandlerResult VerifyAuditLog(Call& call);

// openapi.cpp
HandlerResult GetOpenApi(Call& call);
boost::json::object OpenApiDocument();

// provisioning_handlers.cpp
void WakeEngine(Call& call);  // new work was committed
HandlerResult SyncApplication(Call& call);
HandlerResult ProvisionUser(Call& call);
HandlerResult ListAccounts(Call& call);
HandlerResult ListDeadLetters(Call& call);
HandlerResult RetryDeadLetters(Call& call);
HandlerResult ListProvisioningLog(Call& call);
HandlerResult EngineStatus(Call& call);

// directory_handlers.cpp: the portal's users and groups for the console
const scim::SchemaRegistry& Registry();  // the portal's schemas, shared by every handler
HandlerResult ListUsers(Call& call);
HandlerResult ListGroups(Call& call);
HandlerResult GetPortalUser(Call& call);     // the user and its applications and accounts
HandlerResult CreatePortalUser(Call& call);  // a SCIM User body
HandlerResult PatchPortalUser(Call& call);   // a SCIM PatchOp body
HandlerResult GetPortalGroup(Call& call);    // the group and its members' names
HandlerResult CreatePortalGroup(Call& call);
HandlerResult PatchPortalGroup(Call& call);

// import_handlers.cpp: import runs and imported entitlements
HandlerResult StartImport(Call& call);
HandlerResult GetImport(Call& call);
HandlerResult ListImports(Call& call);
HandlerResult ListEntitlements(Call& call);

// held_handlers.cpp: records and changes import runs held for an admin
HandlerResult ListHeld(Call& call);
HandlerResult ListImportedAccounts(Call& call);
HandlerResult ApproveHeld(Call& call);
HandlerResult RejectHeld(Call& call);

}  // namespace provisio::api
