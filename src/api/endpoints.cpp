#include "api/endpoints.h"

#include "api/handlers.h"

namespace provisio::api {
namespace {

using A = security::Action;

// Every endpoint of /api/v1, once. Registration, authorization, the OpenAPI document and the
// RBAC matrix test all read this table.
const Endpoint kEndpoints[] = {
    // Sessions and the caller
    {"POST", "/api/v1/session", std::nullopt, SignIn, "session",
     "Sign in: session cookie and CSRF token", 200, "SignIn"},
    {"GET", "/api/v1/session", A::kSessionSelf, WhoAmI, "session", "Who am I", 200, ""},
    {"DELETE", "/api/v1/session", A::kSessionSelf, SignOut, "session", "Sign out", 204, ""},
    {"POST", "/api/v1/session/password", A::kSessionSelf, ChangePassword, "session",
     "Change one's own password", 204, "PasswordChange"},
    // Administrators
    {"GET", "/api/v1/admins", A::kAdminsRead, ListAdmins, "admins", "List administrators", 200, ""},
    {"POST", "/api/v1/admins", A::kAdminsManage, CreateAdmin, "admins", "Create an administrator",
     201, "Admin"},
    {"GET", "/api/v1/admins/{id}", A::kAdminsRead, GetAdmin, "admins", "Read an administrator", 200,
     ""},
    {"PATCH", "/api/v1/admins/{id}", A::kAdminsManage, UpdateAdmin, "admins",
     "Change role, email, password or disable", 200, "Admin"},
    {"DELETE", "/api/v1/admins/{id}", A::kAdminsManage, DeleteAdmin, "admins",
     "Delete an administrator", 204, ""},
    // API tokens
    {"GET", "/api/v1/api-tokens", A::kApiTokensRead, ListApiTokens, "api-tokens",
     "List API tokens (an Admin sees its own)", 200, ""},
    {"POST", "/api/v1/api-tokens", A::kApiTokensCreate, CreateApiToken, "api-tokens",
     "Issue an API token (shown once)", 201, "Token"},
    {"GET", "/api/v1/api-tokens/{id}", A::kApiTokensRead, GetApiToken, "api-tokens",
     "Read an API token's metadata", 200, ""},
    {"DELETE", "/api/v1/api-tokens/{id}", A::kApiTokensRevokeOwn, RevokeApiToken, "api-tokens",
     "Revoke an API token", 204, ""},
    // SCIM tokens
    {"GET", "/api/v1/scim-tokens", A::kScimTokensRead, ListScimTokens, "scim-tokens",
     "List SCIM tokens", 200, ""},
    {"POST", "/api/v1/scim-tokens", A::kScimTokensManage, CreateScimToken, "scim-tokens",
     "Issue a SCIM token (shown once)", 201, "Token"},
    {"GET", "/api/v1/scim-tokens/{id}", A::kScimTokensRead, GetScimToken, "scim-tokens",
     "Read a SCIM token's metadata", 200, ""},
    {"DELETE", "/api/v1/scim-tokens/{id}", A::kScimTokensManage, RevokeScimToken, "scim-tokens",
     "Revoke a SCIM token", 204, ""},
    // Catalog
    {"GET", "/api/v1/catalog", A::kCatalogRead, ListCatalog, "catalog",
     "List application templates", 200, ""},
    {"GET", "/api/v1/catalog/{id}", A::kCatalogRead, GetTemplate, "catalog",
     "Read an application template", 200, ""},
    // Connections
    {"GET", "/api/v1/connections", A::kConnectionsRead, ListConnections, "connections",
     "List connections", 200, ""},
    {"POST", "/api/v1/connections", A::kConnectionsManage, CreateConnection, "connections",
     "Create a connection", 201, "Connection"},
    {"GET", "/api/v1/connections/{id}", A::kConnectionsRead, GetConnection, "connections",
     "Read a connection (secrets shown as set or not)", 200, ""},
    {"PATCH", "/api/v1/connections/{id}", A::kConnectionsManage, UpdateConnection, "connections",
     "Change a connection; omitted secrets are kept", 200, "Connection"},
    {"DELETE", "/api/v1/connections/{id}", A::kConnectionsManage, DeleteConnection, "connections",
     "Delete a connection (?force=true when in use)", 204, ""},
    {"POST", "/api/v1/connections/{id}/test", A::kConnectionsTest, TestConnection, "connections",
     "Check the connection against its target", 200, ""},
    // Applications
    {"GET", "/api/v1/applications", A::kApplicationsRead, ListApplications, "applications",
     "List applications", 200, ""},
    {"POST", "/api/v1/applications", A::kApplicationsManage, CreateApplication, "applications",
     "Create an application from a template", 201, "Application"},
    {"GET", "/api/v1/applications/{id}", A::kApplicationsRead, GetApplication, "applications",
     "Read an application", 200, ""},
    {"PATCH", "/api/v1/applications/{id}", A::kApplicationsManage, UpdateApplication,
     "applications", "Change an application or its state", 200, "Application"},
    {"DELETE", "/api/v1/applications/{id}", A::kApplicationsManage, DeleteApplication,
     "applications", "Delete an application and its assignments", 204, ""},
    {"GET", "/api/v1/applications/{id}/mappings", A::kApplicationsRead, GetMappings, "applications",
     "Read attribute mappings", 200, ""},
    {"PUT", "/api/v1/applications/{id}/mappings", A::kApplicationsManage, ReplaceMappings,
     "applications", "Replace attribute mappings", 200, "Mappings"},
    // Read permission: it evaluates and returns, changing nothing (no audit row).
    {"POST", "/api/v1/applications/{id}/mappings/preview", A::kApplicationsRead, PreviewMappings,
     "applications",
     "Evaluate the mappings (saved, or an unsaved list) for one user; never calls the target", 200,
     "MappingPreview"},
    // Assignments
    {"GET", "/api/v1/applications/{id}/assignments", A::kApplicationsRead, ListAssignments,
     "assignments", "List assignments", 200, ""},
    {"POST", "/api/v1/applications/{id}/assignments", A::kAssignmentsManage, CreateAssignment,
     "assignments", "Assign a user or a group", 201, "Assignment"},
    {"GET", "/api/v1/applications/{id}/assignments/{assignment_id}", A::kApplicationsRead,
     GetAssignment, "assignments", "Read an assignment", 200, ""},
    {"PATCH", "/api/v1/applications/{id}/assignments/{assignment_id}", A::kAssignmentsManage,
     UpdateAssignment, "assignments", "Change an assignment's entitlements", 200, "Assignment"},
    {"DELETE", "/api/v1/applications/{id}/assignments/{assignment_id}", A::kAssignmentsManage,
     DeleteAssignment, "assignments", "Unassign", 204, ""},
    // Audit log
    {"POST", "/api/v1/applications/{id}/sync", A::kApplicationsManage, SyncApplication,
     "provisioning", "Sync now: {mode: incremental|full, dry_run}", 200, "Sync"},
    {"POST", "/api/v1/applications/{id}/provision", A::kApplicationsManage, ProvisionUser,
     "provisioning", "Provision one user now and return each step", 200, "Provision"},
    {"GET", "/api/v1/applications/{id}/accounts", A::kApplicationsRead, ListAccounts,
     "provisioning", "Accounts in the target and their state (?after=&limit=)", 200, ""},
    {"GET", "/api/v1/applications/{id}/dead-letters", A::kApplicationsRead, ListDeadLetters,
     "provisioning", "Users and groups whose changes gave up after max_attempts (?after=&limit=)",
     200, ""},
    {"POST", "/api/v1/applications/{id}/dead-letters/retry", A::kApplicationsManage,
     RetryDeadLetters, "provisioning", "Queue every dead letter again: {revived}", 200, ""},
    {"GET", "/api/v1/provisioning-log", A::kApplicationsRead, ListProvisioningLog, "provisioning",
     "Provisioning log, newest first "
     "(?application_id=&user_id=&group_id=&status=&action=&before=&limit=)",
     200, ""},
    {"GET", "/api/v1/status", A::kApplicationsRead, EngineStatus, "provisioning",
     "Engine state: queue depth, in flight, per application", 200, ""},
    // Import runs and imported entitlements
    {"POST", "/api/v1/applications/{id}/imports", A::kApplicationsManage, StartImport, "imports",
     "Start an import run: {dry_run, mode: full|incremental, matching, unmatched, gone, groups}",
     202, ""},
    {"GET", "/api/v1/applications/{id}/imports", A::kApplicationsRead, ListImports, "imports",
     "An application's import runs, newest first", 200, ""},
    {"GET", "/api/v1/imports/{run_id}", A::kApplicationsRead, GetImport, "imports",
     "An import run: state, counts, errors", 200, ""},
    {"GET", "/api/v1/applications/{id}/entitlements", A::kApplicationsRead, ListEntitlements,
     "imports", "Entitlements imported from the application (roles, profiles, groups)", 200, ""},
    {"GET", "/api/v1/applications/{id}/imported-accounts", A::kApplicationsRead,
     ListImportedAccounts, "imports",
     "Imported accounts with their entitlements in the source (?after=&limit=&entitlement=)", 200,
     ""},
    {"GET", "/api/v1/applications/{id}/held", A::kApplicationsRead, ListHeld, "imports",
     "Records and attribute changes imports held for review (?after=&limit=)", 200, ""},
    {"POST", "/api/v1/applications/{id}/held/{source_id}/approve", A::kApplicationsManage,
     ApproveHeld, "imports",
     "Approve a held record (create, or link to a user) or a held attribute change (apply)", 200,
     "HeldApproval"},
    {"POST", "/api/v1/applications/{id}/held/{source_id}/reject", A::kApplicationsManage,
     RejectHeld, "imports",
     "Reject a held record or change: the portal stays as it is and the decision is remembered",
     200, ""},

    // The portal directory for the console. Writes take /scim/v2's bodies and are allowed to
    // the roles /scim/v2 lets write (Super Admin, Admin): assignments.manage is that set.
    {"GET", "/api/v1/users", A::kApplicationsRead, ListUsers, "directory",
     "List portal users (?filter=<SCIM filter>&startIndex=&count=)", 200, ""},
    {"POST", "/api/v1/users", A::kAssignmentsManage, CreatePortalUser, "directory",
     "Create a portal user (a SCIM User)", 201, "ScimResource"},
    {"GET", "/api/v1/users/{id}", A::kApplicationsRead, GetPortalUser, "directory",
     "A portal user, its assignments and its account in each application", 200, ""},
    {"PATCH", "/api/v1/users/{id}", A::kAssignmentsManage, PatchPortalUser, "directory",
     "Change or disable a portal user (a SCIM PatchOp)", 200, "ScimPatch"},
    {"GET", "/api/v1/groups", A::kApplicationsRead, ListGroups, "directory",
     "List portal groups (?filter=<SCIM filter>&startIndex=&count=)", 200, ""},
    {"POST", "/api/v1/groups", A::kAssignmentsManage, CreatePortalGroup, "directory",
     "Create a portal group (a SCIM Group)", 201, "ScimResource"},
    {"GET", "/api/v1/groups/{id}", A::kApplicationsRead, GetPortalGroup, "directory",
     "A portal group and its members", 200, ""},
    {"PATCH", "/api/v1/groups/{id}", A::kAssignmentsManage, PatchPortalGroup, "directory",
     "Rename a group or change its members (a SCIM PatchOp)", 200, "ScimPatch"},
    {"GET", "/api/v1/audit-log", A::kAuditRead, ListAuditLog, "audit-log",
     "Read the audit log, newest first (?actor=&object=&before=&limit=)", 200, ""},
    {"GET", "/api/v1/audit-log/verify", A::kAuditRead, VerifyAuditLog, "audit-log",
     "Verify the audit log's hash chain", 200, ""},
    // Portal-wide security settings
    {"GET", "/api/v1/security-settings", A::kSecuritySettingsRead, GetSecuritySettings,
     "security-settings", "Read the session, lockout and password settings in force", 200, ""},
    {"PUT", "/api/v1/security-settings", A::kSecuritySettingsManage, ReplaceSecuritySettings,
     "security-settings", "Replace the security settings (every field; applied at once)", 200,
     "SecuritySettings"},
    // This document
    {"GET", "/api/v1/openapi.json", std::nullopt, GetOpenApi, "meta",
     "The OpenAPI description of this API", 200, ""},
};

}  // namespace

std::span<const Endpoint> Endpoints() { return kEndpoints; }

void RegisterApiRoutes(http::Router& router, const ApiDeps& deps) {
  auto ctx = std::make_shared<ApiContext>(deps);
  http::RouteOptions options;
  options.max_body_bytes = 256 * 1024;
  for (const Endpoint& e : kEndpoints) {
    router.Add(
        e.method, e.pattern,
        [ctx, &e](http::Request& request) { return Dispatch(e, *ctx, request); }, options);
  }
}

}  // namespace provisio::api
