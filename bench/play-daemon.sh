# play-daemon.sh, sourced by play-threads.sh and views-threads.sh: start_playing JAR PORT CORPUS EXT NAME
# starts a fresh daemon with the README's JVM options (plus $EXTRA) on CORPUS in a new data dir, waits for
# its start-up scan, queues the first 40 files with extension EXT (sorted paths, as play-cpu) and plays them
# to the null output. Sets D (the data dir, daemon.log in it) and PID.
README_OPTS="-Xms16m -Xmx256m -XX:+UseSerialGC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=0.1 -XX:TrimNativeHeapInterval=5000 -XX:-UsePerfData -XX:+ExitOnOutOfMemoryError -XX:+UnlockDiagnosticVMOptions -XX:AsyncDeflationInterval=10000"
start_playing() {
  local jar=$1 port=$2 corpus=$3 ext=$4 name=$5 files
  D=$(mktemp -d /tmp/$name.XXXX)
  java $README_OPTS ${EXTRA:-} -jar $jar --port $port --data-dir $D --music $corpus > $D/daemon.log 2>&1 &
  PID=$!
  for i in $(seq 600); do curl -s localhost:$port/health 2>/dev/null | grep -q '"ok"' && break; sleep 0.2; done
  while curl -s localhost:$port/api/v1/jobs | grep -q 'JOB_STATE_RUNNING\|JOB_STATE_QUEUED'; do sleep 0.2; done
  files=$(find $corpus -iname "*.$ext" ! -path '*/broken*' | LC_ALL=C sort | head -40 \
    | python3 -c 'import sys,json; print(json.dumps([l.rstrip("\n") for l in sys.stdin]))')
  curl -s -o /dev/null -X POST localhost:$port/api/v1/queue -H 'Content-Type: application/json' -d "{\"paths\":$files}"
  curl -s -o /dev/null -X POST localhost:$port/api/v1/player/play -H 'Content-Type: application/json' -d ''
}
