-- The baseline: GET /healthz on the same server, same connections.
function request() return wrk.format("GET", "/healthz") end
