-- wrk script for benches/sparql_mix.py: rotates through a list of prepared GET requests.
--
-- The list file (env SPARQL_MIX_REQUESTS) has one request a line: "<Accept>\t<path?query>".
-- Each thread starts at a different offset so that the connections do not all send the same
-- query at once. A 200 whose body does not end as a complete SPARQL JSON document ("}") or
-- N-Triples document (".") is counted as truncated: oxigraph serve answers a query that runs
-- past its time limit with a 200 whose body stops mid-way ("The SPARQL operation has been
-- cancelled"), which wrk alone would count as a success. At the end one JSON line (prefixed
-- "SPARQL_MIX ") gives the counts and the latency percentiles (microseconds).

local threads = {}
local requests = {}
local position = 1
truncated = 0

function setup(thread)
   thread:set("thread_index", #threads)
   table.insert(threads, thread)
end

function init(args)
   local file = assert(io.open(os.getenv("SPARQL_MIX_REQUESTS"), "r"))
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
   if status == 200 and body then
      local last = body:sub(-64):match("(%S)%s*$")
      if last and last ~= "}" and last ~= "." then
         truncated = truncated + 1
      end
   end
end

function done(summary, latency, requests_)
   local cut = 0
   for _, thread in ipairs(threads) do
      cut = cut + (tonumber(thread:get("truncated")) or 0)
   end
   local e = summary.errors
   io.write(string.format(
      'SPARQL_MIX {"requests": %d, "duration_us": %d, "bytes": %d, "status_errors": %d, ' ..
      '"truncated": %d, "connect_errors": %d, "read_errors": %d, "write_errors": %d, ' ..
      '"timeouts": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
      summary.requests, summary.duration, summary.bytes, e.status, cut, e.connect, e.read,
      e.write, e.timeout, latency:percentile(50), latency:percentile(90),
      latency:percentile(99), latency.max, latency.mean))
end
