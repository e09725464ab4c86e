-- wrk script adding the 95th percentile of latency to wrk's own figures (which
-- print 50, 75, 90 and 99): "p95 <microseconds>", read by foundation.py's wrk().
function done(summary, latency, requests)
  io.write(string.format("p95 %d\n", latency:percentile(95)))
end
