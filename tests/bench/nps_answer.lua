-- wrk script for the feedback benchmark: every request POSTs an NPS answer through a
-- campaign's public link, so each one is a new response, checked, stored and counted.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

local scores = {10, 9, 9, 8, 7, 6, 10, 9, 3, 8}
local sent = 0

function request()
  sent = sent + 1
  local body = string.format('{"answers": {"rekomendasi": %d}}', scores[sent % 10 + 1])
  return wrk.format(nil, nil, nil, body)
end
