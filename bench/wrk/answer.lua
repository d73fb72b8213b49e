-- A duty answer POST (a workflow transition that is not a signature), for wrk.
-- bench/pages.ts writes the targets (one in-progress duty workflow per thread: the
-- page's address, the officer's cookie, the answer form's fields, the workflow's
-- version) to the Lua file named by BENCH_WRK_TARGETS. Each thread is one
-- connection, so its answers reach its workflow in order: a success (a redirect,
-- post/redirect/get) moves the version on by one; a refusal re-reads the version
-- from the page the server answered with, so one stale answer costs one request.
local targets = dofile(os.getenv("BENCH_WRK_TARGETS"))
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("index", counter)
end

local target
local version

function init(args)
  target = targets[((index - 1) % #targets) + 1]
  version = target.version
end

function request()
  return wrk.format("POST", target.path, {
    ["Cookie"] = target.cookie,
    ["Origin"] = target.origin,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, target.body .. "&expectedVersion=" .. version)
end

function response(status, headers, body)
  if status >= 300 and status < 400 then
    version = version + 1
  else
    local seen = body and string.match(body, 'name="expectedVersion" value="(%d+)"')
    if seen then version = tonumber(seen) end
  end
end
