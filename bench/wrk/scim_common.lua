-- Shared by the /scim/v2 wrk scripts: token and ids come from the environment
-- (SCIM_TOKEN, SCIM_IDS = a file of user ids, one a line; SCIM_USERS = users loaded).
local M = {}
M.token = os.getenv("SCIM_TOKEN") or ""
M.users = tonumber(os.getenv("SCIM_USERS") or "1") or 1
M.headers = {
  ["Authorization"] = "Bearer " .. M.token,
  ["Content-Type"] = "application/scim+json",
}
function M.load_ids()
  local ids = {}
  local f = io.open(os.getenv("SCIM_IDS") or "", "r")
  if f then
    for line in f:lines() do ids[#ids + 1] = line end
    f:close()
  end
  return ids
end
return M
