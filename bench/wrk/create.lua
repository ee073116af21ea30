-- reverse_auth_phone_get with a different phone on every request: per-phone limits and leases never
-- refuse one, so each request is a real, durable creation. BENCH_TOKEN and PHONE_BASE come from the environment;
-- each wrk thread takes its own range so two threads never reuse a phone.
local token = os.getenv("BENCH_TOKEN")
local base = tonumber(os.getenv("PHONE_BASE") or "9160000000")
local counter = 0
offset = 0
local threads = 0

function setup(thread)
  thread:set("offset", threads * 1000000)
  threads = threads + 1
end

function request()
  counter = counter + 1
  local phone = string.format("8%d", base + offset + counter)
  return wrk.format("GET", "/api/v1/authcalls/" .. token .. "/reverse_auth_phone_get?phone=" .. phone)
end

-- Non-2xx answers (429, 503...) are counted by wrk as errors: bench/run requires none.
