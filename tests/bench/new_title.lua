-- wrk script for the foundation benchmark's write: every request POSTs a title of
-- its own (numbered by thread and by request), so each one is a real insert, with
-- its search index and its outbox event, and none is a repeat of the one before.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

function init(args)
  sent = 0
end

function request()
  sent = sent + 1
  local body = string.format(
    '{"title": "Judul uji beban %d-%d", "authors": ["Penulis Uji"], "year": 2024}',
    thread_number, sent
  )
  return wrk.format(nil, nil, nil, body)
end
