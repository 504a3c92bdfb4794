-- POST /scim/v2/Users with a new userName each time.
package.path = package.path .. ";" .. (os.getenv("SCIM_WRK_DIR") or ".") .. "/?.lua"
local c = require("scim_common")
-- Each wrk thread gets its own id (its Lua state is separate), for seeds and unique names.
local threads = 0
function setup(thread) threads = threads + 1; thread:set("tid", threads) end
local counter = 0
local tag
function init(args) math.randomseed(os.time() * 100 + tid); tag = tid .. "-" .. os.time() end
function request()
  counter = counter + 1
  local name = "wrk-" .. tag .. "-" .. counter
  local body = '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"' .. name ..
      '","name":{"givenName":"W","familyName":"' .. counter .. '"},"emails":[{"value":"' .. name ..
      '@bench.example","type":"work","primary":true}],"active":true}'
  return wrk.format("POST", "/scim/v2/Users", c.headers, body)
end
