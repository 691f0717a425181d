-- wrk script: at the end of a run, one line of JSON with what the benchmark reports.
-- Latencies are in microseconds; non-2xx answers and socket errors are counted apart.
-- A script that loads this one may define `more_report()`, returning more fields.
done = function(summary, latency, requests)
  local errors = summary.errors
  local more = more_report and more_report() or ""
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"p50_us":%d,"p95_us":%d,"p99_us":%d,"max_us":%d,' ..
    '"non_2xx":%d,"socket_errors":%d%s}\n',
    summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    errors.status, errors.connect + errors.read + errors.write + errors.timeout, more))
end
