-- reverse_auth_phone_check of a random id in [FIRST_ID, LAST_ID]: with old, finished ids this reads the
-- database on every request, which is where the number of stored rows can show.
local token = os.getenv("BENCH_TOKEN")
local first = tonumber(os.getenv("FIRST_ID"))
local last = tonumber(os.getenv("LAST_ID"))
local threads = 0
seed = 0

function setup(thread)
  threads = threads + 1
  thread:set("seed", threads)
end

function init(args)
  -- Each thread its own sequence, else every thread would ask for the same ids in the same order.
  math.randomseed(os.time() * 1000 + seed)
end

function request()
  return wrk.format("GET", "/api/v1/authcalls/" .. token .. "/reverse_auth_phone_check/" .. math.random(first, last))
end
