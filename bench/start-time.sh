#!/bin/bash
# Usage: bench/start-time.sh JAR PORT DATADIR -> "wall_ms cpu_ms" at the first 200 from /health
# Starts the daemon jar, polls GET /health every 20 ms, and at the first 200 prints the wall time
# since the start and the process CPU time (user + system, from /proc), both in ms; then stops it.
jar=$1; port=$2; data=$3
t0=$(date +%s%N)
java -jar "$jar" --port "$port" --data-dir "$data" > /dev/null 2>&1 &
pid=$!
until [ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$port/health)" = 200 ]; do sleep 0.02; done
t1=$(date +%s%N)
read -r -a st < /proc/$pid/stat
tck=$(getconf CLK_TCK)
kill $pid; wait $pid 2>/dev/null
echo $(( (t1 - t0) / 1000000 )) $(( (st[13] + st[14]) * 1000 / tck ))
