"""wrk on loopback: a Lua script that rotates request lines (method, path, cookie, body) over
wrk's threads and reports rate, latencies and how often the lines wrapped (bench/run.py)."""

import json
import re
import subprocess
from pathlib import Path

WRK_SCRIPT = r"""
local threads = {}
local counter = 1
function setup(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end
function init(args)
  local file, nthreads = args[1], tonumber(args[2])
  reqs, idx, wrapped = {}, 0, 0
  local count = 0
  for _ in io.lines(file) do count = count + 1 end
  single = count < nthreads
  local i = 0
  for line in io.lines(file) do
    if (i % nthreads) == (id - 1) or single then
      local method, path, cookie, body = line:match("^(%S+)\t(%S+)\t([^\t]*)\t?(.*)$")
      local headers = {}
      if cookie ~= "" then headers["Cookie"] = cookie end
      if method == "POST" then headers["Content-Type"] = "application/x-www-form-urlencoded" end
      if body == "" then body = nil end
      table.insert(reqs, wrk.format(method, path, headers, body))
    end
    i = i + 1
  end
end
function request()
  idx = idx + 1
  if idx > #reqs then idx = 1; wrapped = wrapped + 1 end
  return reqs[idx]
end
function done(summary, latency, requests)
  local w = 0
  for _, t in ipairs(threads) do w = w + (t:get("wrapped") or 0) end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, ' ..
    '"status": %d, "timeout": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "wrapped": %d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), w))
end
"""


def wrk(
    work: Path,
    port: int,
    lines: list[tuple],
    seconds: float,
    connections: int = 8,
    threads: int = 2,
) -> dict:
    """Run wrk over request lines (method, path, cookie, body); returns rate and latencies."""
    script = work / "requests.lua"
    script.write_text(WRK_SCRIPT)
    requests_file = work / "requests.tsv"
    requests_file.write_text("".join("\t".join(line) + "\n" for line in lines))
    command = [
        "wrk",
        "-t",
        str(threads),
        "-c",
        str(connections),
        "-d",
        f"{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
        f"http://127.0.0.1:{port}",
        "--",
        str(requests_file),
        str(threads),
    ]
    output = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60).stdout
    match = re.search(r"WRKJSON (\{.*\})", output)
    if not match:
        raise RuntimeError("wrk gave no result:\n" + output)
    data = json.loads(match.group(1))
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    data["errors"] = sum(data[k] for k in ("connect", "read", "write", "status", "timeout"))
    return data
