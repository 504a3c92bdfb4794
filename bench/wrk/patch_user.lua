-- PATCH /scim/v2/Users/{id}: replace displayName (a new value each time, so it writes).
package.path = package.path .. ";" .. (os.getenv("SCIM_WRK_DIR") or ".") .. "/?.lua"
local c = require("scim_common")
-- Each wrk thread gets its own id (its Lua state is separate), for seeds and unique names.
local threads = 0
function setup(thread) threads = threads + 1; thread:set("tid", threads) end
local ids
local counter = 0
local tag
function init(args) ids = c.load_ids(); math.randomseed(os.time() * 100 + tid); tag = tid .. "-" .. os.time() end
function request()
  counter = counter + 1
  local body = '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":' ..
      '[{"op":"Replace","path":"displayName","value":"p' .. tag .. '-' .. counter .. '"}]}'
  return wrk.format("PATCH", "/scim/v2/Users/" .. ids[math.random(#ids)], c.headers, body)
end
