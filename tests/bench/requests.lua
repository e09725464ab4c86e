-- wrk script for the write benchmark: the requests come from a file writes.py made,
-- one a line (METHOD, path and JSON body, tab-separated). With N threads, thread k
-- sends lines k, k+N, k+2N...: every request is a write of its own. A thread that
-- reaches its last line starts again, and its repeats then show as non-2xx answers.
-- Without a file, it sends wrk's own request (the URL). Either way it prints how
-- many answers of each non-2xx status came, so a figure's failures have a name.
-- wrk -s requests.lua URL [-- FILE THREADS]
wrk.headers["Content-Type"] = "application/json"

local made = 0
local threads = {}

function setup(thread)
  thread:set("number", made)
  made = made + 1
  threads[#threads + 1] = thread
end

function init(args)
  requests = {}
  failed = {}
  at = 0
  if not args[1] then
    requests[1] = wrk.format()
    return
  end
  local every = tonumber(args[2])
  local i = 0
  for line in io.lines(args[1]) do
    if i % every == number then
      local method, path, body = line:match("^([^\t]*)\t([^\t]*)\t(.*)$")
      if body == "" then
        body = nil
      end
      requests[#requests + 1] = wrk.format(method, path, nil, body)
    end
    i = i + 1
  end
end

function request()
  at = at % #requests + 1
  return requests[at]
end

function response(status, headers, body)
  if status >= 300 then
    failed[status] = (failed[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("failed")) do
      total[status] = (total[status] or 0) + count
    end
  end
  for status, count in pairs(total) do
    io.write(string.format("answered %d: %d\n", status, count))
  end
end
