-- GET /scim/v2/Users/{id} for random ids of loaded users.
package.path = package.path .. ";" .. (os.getenv("SCIM_WRK_DIR") or ".") .. "/?.lua"
local c = require("scim_common")
-- Each wrk thread gets its own id (its Lua state is separate), for seeds and unique names.
local threads = 0
function setup(thread) threads = threads + 1; thread:set("tid", threads) end
local ids
function init(args) ids = c.load_ids(); math.randomseed(os.time() * 100 + tid) end
function request()
  return wrk.format("GET", "/scim/v2/Users/" .. ids[math.random(#ids)], c.headers)
end
