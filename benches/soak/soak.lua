-- wrk script for benches/soak.py: rotates through a mixed list of GET requests (SPARQL queries,
-- pages, feeds, records) and counts the answers by status.
--
-- The list file (env AGORA_SOAK_REQUESTS) has one request a line: "<Accept>\t<path?query>".
-- Each thread starts at a different offset so that the connections do not all send the same
-- request at once. At the end one JSON line (prefixed "AGORA_SOAK ") gives the request count,
-- the socket errors, the latency percentiles (microseconds) and the count per status.

local threads = {}
local requests = {}
local position = 1
statuses = {}

function setup(thread)
   thread:set("thread_index", #threads)
   table.insert(threads, thread)
end

function init(args)
   local file = assert(io.open(os.getenv("AGORA_SOAK_REQUESTS"), "r"))
   for line in file:lines() do
      local accept, path = line:match("^([^\t]*)\t(.*)$")
      if path then
         requests[#requests + 1] = wrk.format("GET", path, { ["Accept"] = accept })
      end
   end
   file:close()
   position = ((tonumber(thread_index) or 0) * 7919) % #requests + 1
end

function request()
   local r = requests[position]
   position = position % #requests + 1
   return r
end

function response(status, headers, body)
   local key = tostring(status)
   statuses[key] = (statuses[key] or 0) + 1
end

function done(summary, latency, requests_)
   local total = {}
   for _, thread in ipairs(threads) do
      local counts = thread:get("statuses") or {}
      for status, count in pairs(counts) do
         total[status] = (total[status] or 0) + count
      end
   end
   local parts = {}
   for status, count in pairs(total) do
      parts[#parts + 1] = string.format('"%s": %d', status, count)
   end
   local e = summary.errors
   io.write(string.format(
      'AGORA_SOAK {"requests": %d, "duration_us": %d, "bytes": %d, "connect_errors": %d, ' ..
      '"read_errors": %d, "write_errors": %d, "timeouts": %d, "p50_us": %d, "p90_us": %d, ' ..
      '"p99_us": %d, "max_us": %d, "statuses": {%s}}\n',
      summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.timeout,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
      table.concat(parts, ", ")))
end
