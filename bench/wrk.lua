-- wrk script of the load bench (bench/run.py): each request's path is drawn at random from a file
-- of paths, one a line (the script's first argument); at the end the figures are printed as one
-- JSON line, prefixed with "BENCH-JSON ".

local paths = {}

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then
      paths[#paths + 1] = line
    end
  end
  if #paths == 0 then
    error("no paths in " .. args[1])
  end
  -- Each thread has its own Lua state: seed each differently (a table's address differs).
  local address = tostring({}):match("0x(%x+)") or "0"
  math.randomseed(os.time() + tonumber(address:sub(-8), 16))
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH-JSON {"requests": %d, "duration_us": %d, "bytes": %d, '
      .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, '
      .. '"latency_us": {"p50": %d, "p90": %d, "p99": %d, "max": %d, "mean": %.1f}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean
  ))
end
