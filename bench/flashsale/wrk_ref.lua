-- wrk script for the reference endpoint: a bare POST.
request = function()
  return wrk.format("POST", "/ref", {}, "")
end

done = function(summary, latency, requests)
  io.write(string.format("WRK requests=%d duration_us=%d p50_us=%d p99_us=%d errors=%d non2xx=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
