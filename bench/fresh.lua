-- wrk script: each request asks for the next address of a file (one address a line, the
-- file and wrk's number of threads given after `--`). Thread i of n asks for addresses
-- i, i + n, i + 2n, ..., so no address is asked twice until the file has run out, which
-- the report counts as "repeats" (0 when every request asked for a new address).
local folder = debug.getinfo(1, "S").source:sub(2):match("^(.*/)") or "./"
dofile(folder .. "report.lua")

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    paths[#paths + 1] = line
  end
  count = #paths
  step = tonumber(args[2])
  asked = 0
end

function request()
  local index = id + asked * step
  asked = asked + 1
  return wrk.format(nil, paths[index % count + 1])
end

-- Requests each thread made beyond its share of the file (wrk may make a last request
-- that the run ends before answering; it is counted too).
function more_report()
  local repeats = 0
  for _, thread in ipairs(threads) do
    local count, step = thread:get("count"), thread:get("step")
    local share = math.ceil((count - thread:get("id")) / step)
    repeats = repeats + math.max(0, thread:get("asked") - share)
  end
  return string.format(',"repeats":%d', repeats)
end
