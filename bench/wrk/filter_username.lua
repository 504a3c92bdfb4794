-- GET /scim/v2/Users?filter=userName eq "bench-N" for random loaded users (case varied).
package.path = package.path .. ";" .. (os.getenv("SCIM_WRK_DIR") or ".") .. "/?.lua"
local c = require("scim_common")
-- Each wrk thread gets its own id (its Lua state is separate), for seeds and unique names.
local threads = 0
function setup(thread) threads = threads + 1; thread:set("tid", threads) end
function init(args) math.randomseed(os.time() * 100 + tid) end
function request()
  local n = math.random(0, c.users - 1)
  local prefix = (n % 2 == 0) and "bench-" or "BENCH-"
  return wrk.format("GET", "/scim/v2/Users?filter=userName%20eq%20%22" .. prefix .. n .. "%22",
                    c.headers)
end
