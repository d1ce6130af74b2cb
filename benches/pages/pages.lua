-- wrk script for benches/pages.py: rotates through a list of page paths and counts answers that
-- are not a whole HTML page.
--
-- The list file (env AGORA_PAGES_REQUESTS) has one path a line. Each thread starts at a
-- different offset so that the connections do not all ask for the same page at once. A 200 whose
-- body does not end with "</html>" counts as unfinished. At the end one JSON line (prefixed
-- "AGORA_PAGES ") gives the counts and the latency percentiles (microseconds).

local threads = {}
local requests = {}
local position = 1
unfinished = 0

function setup(thread)
   thread:set("thread_index", #threads)
   table.insert(threads, thread)
end

function init(args)
   local file = assert(io.open(os.getenv("AGORA_PAGES_REQUESTS"), "r"))
   for line in file:lines() do
      if #line > 0 then
         requests[#requests + 1] = wrk.format("GET", line, { ["Accept"] = "text/html" })
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
      if not body:sub(-32):match("</html>%s*$") then
         unfinished = unfinished + 1
      end
   end
end

function done(summary, latency, requests_)
   local cut = 0
   for _, thread in ipairs(threads) do
      cut = cut + (tonumber(thread:get("unfinished")) or 0)
   end
   local e = summary.errors
   io.write(string.format(
      'AGORA_PAGES {"requests": %d, "duration_us": %d, "bytes": %d, "status_errors": %d, ' ..
      '"unfinished": %d, "connect_errors": %d, "read_errors": %d, "write_errors": %d, ' ..
      '"timeouts": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
      summary.requests, summary.duration, summary.bytes, e.status, cut, e.connect, e.read,
      e.write, e.timeout, latency:percentile(50), latency:percentile(90),
      latency:percentile(99), latency.max, latency.mean))
end
