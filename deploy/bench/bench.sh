# shellcheck shell=bash
# `./taskmesh bench`: load scenarios against a local cluster and the embedded mode, written up as
# docs/benchmarks/<date>.md/.json/.png. Sourced by ../../taskmesh after deploy/local/cluster.sh,
# whose functions (cluster_up, cluster_drain, sctl, ...) it drives.

BENCH_SRC="$ROOT/deploy/bench"
# What the scenarios' clients accept, as a browser does (scenario.lua reads it too).
export BENCH_ACCEPT_ENCODING="${BENCH_ACCEPT_ENCODING:-gzip, deflate, br, zstd}"

bench_usage() {
  cat <<'EOF'
Usage: ./taskmesh bench [options]
  --duration S        seconds of measurement per run (default 30; a warm-up of S/5 precedes each)
  --connections C     wrk connections (default 64)
  --nodes 1,2,3       node counts to measure through NGINX (the cluster gets the largest)
  --scenarios R,V,M,W,L
                      R first page of a list, V today view, M 80% reads/15% updates/5% creates,
                      W creates, L write -> SSE event on another node
  --users N           seeded users with 5 lists x 50 tasks each (default 1000)
  --big-tasks N       tasks of the one large list (default 100000)
  --no-embedded       skip the embedded-mode measurement
  --no-profile        skip the profiling runs of node1 after R, M and W with 1 node (async-profiler,
                      fetched once from Maven Central, for CPU; JDK Flight Recorder for exceptions)
  --keep-cluster      leave the benchmark cluster running afterwards (a running one is reused)
  --out DIR           where the report goes (default docs/benchmarks)
  --smoke             a quick check that the harness works: small data, 2 nodes, 2 s per run
                      (about 20 s of load), report in a temporary directory; fails on any
                      error, a run without requests, or a missing report file
Ports: NGINX 38080, nodes 38081.., embedded 38089, Redis 38379, store 38017
(TASKMESH_BENCH_PORT_BASE, TASKMESH_BENCH_REDIS_PORT, TASKMESH_BENCH_STORE_PORT); the cluster
lives in .taskmesh-bench/ (TASKMESH_BENCH_DIR). TASKMESH_NODE_JAVA_OPTS applies to the nodes.
EOF
}

cmd_bench() {
  local duration=30 connections=64 node_list=1,2,3 scenarios=R,V,M,W,L users=1000 big=100000
  local lists_per_user=5 tasks_per_list=50 embedded=1 profile=1 keep=0 smoke=0 out="$ROOT/docs/benchmarks"
  local command_line="./taskmesh bench $*"
  while (($#)); do
    case "$1" in
      --duration) duration="${2:?--duration needs seconds}"; shift 2 ;;
      --connections) connections="${2:?--connections needs a number}"; shift 2 ;;
      --nodes) node_list="${2:?--nodes needs a list like 1,2,3}"; shift 2 ;;
      --scenarios) scenarios="${2:?--scenarios needs a list like R,M}"; shift 2 ;;
      --users) users="${2:?--users needs a number}"; shift 2 ;;
      --big-tasks) big="${2:?--big-tasks needs a number}"; shift 2 ;;
      --no-embedded) embedded=0; shift ;;
      --no-profile) profile=0; shift ;;
      --keep-cluster) keep=1; shift ;;
      --out) out="${2:?--out needs a directory}"; shift 2 ;;
      --smoke) smoke=1; shift ;;
      -h | --help) bench_usage; return 0 ;;
      *) bench_usage; die "unknown option for 'bench': $1" ;;
    esac
  done
  if ((smoke)); then
    duration=2; connections=4; node_list=2; users=10; big=1000
    out="$(mktemp -d /tmp/taskmesh-bench-smoke.XXXXXX)"
    # NGINX's workers (user nobody when started as root) read the static ceiling file in there.
    chmod 755 "$out"
  fi
  [[ "$duration" =~ ^[1-9][0-9]*$ && "$connections" =~ ^[1-9][0-9]*$ && "$users" =~ ^[1-9][0-9]*$ \
    && "$big" =~ ^[1-9][0-9]*$ ]] || die "--duration, --connections, --users and --big-tasks take positive numbers"
  [[ "$node_list" =~ ^[1-9](,[1-9])*$ ]] || die "--nodes takes a list like 1,2,3"
  [[ "$scenarios" =~ ^[RVMWL](,[RVMWL])*$ ]] || die "--scenarios takes a list of R,V,M,W,L"

  BENCH_DIR="${TASKMESH_BENCH_DIR:-$ROOT/.taskmesh-bench}"
  ((smoke)) && BENCH_DIR="$out/cluster-home"
  export TASKMESH_CLUSTER_DIR="$BENCH_DIR/cluster"
  export TASKMESH_CLUSTER_PORT_BASE="${TASKMESH_BENCH_PORT_BASE:-38080}"
  export TASKMESH_CLUSTER_REDIS_PORT="${TASKMESH_BENCH_REDIS_PORT:-38379}"
  export TASKMESH_CLUSTER_STORE_PORT="${TASKMESH_BENCH_STORE_PORT:-38017}"
  # R is the cached read: entries outlive the whole run. With the default TTL (30 s) each of R's
  # 5,000 lists would expire every few seconds of its reads; versioned keys keep reads exact anyway.
  export TASKMESH_CACHE_TTL="${TASKMESH_CACHE_TTL:-10m}"
  # A busy machine (several builds at once) can take minutes to start the nodes.
  export TASKMESH_CLUSTER_START_TIMEOUT="${TASKMESH_CLUSTER_START_TIMEOUT:-600}"
  CLUSTER_DIR="$TASKMESH_CLUSTER_DIR"; CLUSTER_CONF="$CLUSTER_DIR/conf"; CLUSTER_LOGS="$CLUSTER_DIR/logs"
  SUPERVISOR_CONF="$CLUSTER_CONF/supervisord.conf"; CLUSTER_MARKER="$CLUSTER_DIR/.taskmesh-cluster"

  local max_nodes
  max_nodes="$(tr ',' '\n' <<<"$node_list" | sort -n | tail -n1)"
  ensure_packages wrk:wrk
  pick_jdk
  mkdir -p "$out" "$BENCH_DIR"
  local stamp work started_cluster=0
  stamp="$(date -u +%Y-%m-%d)"
  work="$BENCH_DIR/run-$(date -u +%H%M%S)"
  mkdir -p "$work"
  BENCH_RESULTS="$work/results.tsv"; BENCH_META="$work/meta.env"
  : >"$BENCH_RESULTS"
  {
    echo "command=$command_line"
    echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo '+changes')"
    echo "cpu=$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n1) x $(nproc)"
    echo "memory_mb=$(awk '/MemTotal/ {printf "%d", $2/1024}' /proc/meminfo)"
    echo "load_before=$(cut -d' ' -f1-3 /proc/loadavg)"
    echo "jdk=$("$JAVA_HOME/bin/java" -version 2>&1 | head -n1)"
    echo "wrk=$(wrk -v 2>&1 | head -n1 | cut -d' ' -f1-2)"
    echo "node_java_opts=$(cluster_node_java_opts)"
    echo "store_java_opts=$(cluster_store_java_opts)"
    echo "cache_ttl=$TASKMESH_CACHE_TTL"
    echo "duration=$duration"
    echo "connections=$connections"
    echo "data=$users users x $lists_per_user lists x $tasks_per_list tasks, one list of $big tasks, one of 100"
  } >"$work/meta.env"

  if supervisor_running; then
    say "bench: using the running benchmark cluster in $CLUSTER_DIR"
    load_cluster_env
    wait_cluster_ready
  else
    started_cluster=1
    # Set before starting, so that a start that fails half-way is stopped too.
    if ((smoke)); then
      trap 'say "bench: stopping the smoke cluster"; cluster_down --purge >/dev/null 2>&1 || true' EXIT
    elif ((!keep)); then
      trap bench_stop_cluster EXIT
    fi
    cluster_up --nodes "$max_nodes"
  fi
  load_cluster_env
  ((NODES >= max_nodes)) || die "the running benchmark cluster has $NODES nodes, $max_nodes needed; './taskmesh bench' after 'TASKMESH_CLUSTER_DIR=$CLUSTER_DIR ./taskmesh cluster down'"
  echo "store=$STORE_KIND" >>"$work/meta.env"

  ASYNC_PROFILER=""
  ((profile)) && bench_async_profiler
  local data="$CLUSTER_DIR/bench-data"
  mkdir -p "$data"
  say "bench: seeding the store directly (progress below)"
  local seed_status=0
  bench_seed "$data" "$users" "$lists_per_user" "$tasks_per_list" "$big" || seed_status=$?
  if ((seed_status == 3)); then
    # Every run starts from the seeded data, not from what earlier runs' creates added to it.
    say "bench: deleting the benchmark cluster's data and seeding it again (a few minutes)"
    cluster_down --purge >/dev/null
    if ((!started_cluster && !smoke && !keep)); then
      trap bench_stop_cluster EXIT
    fi
    started_cluster=1
    cluster_up --nodes "$NODES"
    load_cluster_env
    mkdir -p "$data"
    seed_status=0
    bench_seed "$data" "$users" "$lists_per_user" "$tasks_per_list" "$big" || seed_status=$?
  fi
  ((seed_status == 0)) || die "seeding failed; see the lines above"
  bench_check_seed "$data" "$tasks_per_list"
  bench_install_static "$data"

  bench_warm_up "$data" "$((smoke ? 3 : ${BENCH_WARM_UP_MAX:-240}))"

  local n s total scenario_count
  scenario_count="$(tr ',' '\n' <<<"$scenarios" | wc -l)"
  # The profiles run with the fewest nodes (1 by default; the smoke run's 2), all of node 1's own.
  local profiled=0 profile_nodes
  profile_nodes="$(tr ',' '\n' <<<"$node_list" | sort -n | head -n1)"
  ((profile)) && echo "profile_nodes=$profile_nodes" >>"$work/meta.env"
  ((profile)) && profiled="$(tr ',' '\n' <<<"$scenarios" | grep -c '^[RMW]$' || true)"
  total=$(( $(tr ',' '\n' <<<"$node_list" | wc -l) * scenario_count + 5 + embedded + profiled ))
  BENCH_STEP=0; BENCH_TOTAL="$total"
  local base="http://127.0.0.1:$PORT_BASE"
  for n in $(tr ',' '\n' <<<"$node_list" | sort -n); do
    bench_use_nodes "$n"
    for s in $(tr ',' ' ' <<<"$scenarios"); do
      if [[ "$s" == L ]]; then
        bench_live "$n" "$data" "$duration"
      else
        bench_wrk "$s" "$s" "$n" nginx "$base" "$connections" "$duration" "$data/lists.txt"
        if ((profile && n == profile_nodes)) && [[ "$s" == R || "$s" == M || "$s" == W ]]; then
          bench_profile "$s" "$work" "$base" "$connections" "$((duration < 20 ? duration : 20))" "$data/lists.txt"
        fi
      fi
    done
    if ((n == $(tr ',' '\n' <<<"$node_list" | sort -n | head -n1))); then
      # The ceilings, with the same connections: NGINX alone, and one node without NGINX.
      bench_wrk ceiling-static S "$n" nginx-static "$base" "$connections" "$duration" "$data/lists.txt" /bench-static/page.json
      bench_wrk ceiling-proxy S "$n" nginx-proxy "$base" "$connections" "$duration" "$data/lists.txt" /bench-proxy/page.json
      bench_wrk ceiling-direct R 1 node1-direct "http://127.0.0.1:$(node_port 1)" "$connections" "$duration" "$data/lists.txt"
    fi
  done
  # Data scale: the same first-page read for the list of 100 tasks and the list of 100,000.
  bench_wrk scale-100 R "$max_nodes" nginx "$base" 8 "$duration" "$data/small.txt"
  bench_wrk "scale-$big" R "$max_nodes" nginx "$base" 8 "$duration" "$data/big.txt"
  bench_lists_after_write "$work" "$base" "$data/big.txt"
  bench_use_nodes "$NODES"

  if ((profile)); then
    local p
    for p in "$work"/node1-*.jfr; do
      [[ -f "$p" ]] || continue
      "$JAVA_HOME/bin/jfr" view --width 140 hot-methods "$p" >"${p%.jfr}.hot.txt" 2>/dev/null \
        || "$JAVA_HOME/bin/jfr" summary "$p" >"${p%.jfr}.hot.txt"
      # Exceptions thrown on the hot path cost a stack walk each, whatever the machine's load.
      "$JAVA_HOME/bin/jfr" print --events jdk.JavaExceptionThrow "$p" | sed -n 's/^ *thrownClass = \([^ ]*\).*/\1/p' \
        | sort | uniq -c | sort -rn >"${p%.jfr}.exceptions.txt" || true
    done
  fi
  if ((embedded)); then
    # The cluster's JVMs would share the 2 cores with the embedded mode's start.
    if ((started_cluster && !keep && !smoke)); then
      say "bench: stopping the benchmark cluster before the embedded mode (data kept)"
      cluster_down >/dev/null 2>&1 || true
    fi
    # The smoke run keeps its cluster up, so the machine would never be quiet: no wait there.
    bench_embedded "$work" "$duration" "$connections" "$((smoke ? 0 : 60))"
  fi
  echo "load_after=$(cut -d' ' -f1-3 /proc/loadavg)" >>"$work/meta.env"

  say "bench: writing the report"
  "$JAVA_HOME/bin/java" -Djava.awt.headless=true "$BENCH_SRC/Report.java" "$work" "$out" "$stamp" \
    || die "the report could not be written; the raw results are in $work"
  if ((smoke)); then
    bench_smoke_check "$out/$stamp" "$scenarios"
  fi
  say "bench: report written to $out/$stamp.md (raw results in $work)"
}

# The EXIT trap of a run that started the benchmark cluster (not the smoke run's, which purges it).
bench_stop_cluster() {
  say "bench: stopping the benchmark cluster (data kept; --keep-cluster leaves it running)"
  cluster_down >/dev/null 2>&1 || true
}

# Seeds the running cluster's store (Seed.java); status 3: it holds the creates of earlier runs.
bench_seed() {
  "$JAVA_HOME/bin/java" -cp "$CLUSTER_DIR/app/lib/*" "$BENCH_SRC/Seed.java" "mongodb://127.0.0.1:$STORE_PORT" taskmesh \
    "$2" "$3" "$4" "$5" "$1" >&2
}

# Sets ASYNC_PROFILER to async-profiler's agent library, fetched once from Maven Central with the
# Maven wrapper; empty (JFR alone) when it cannot be had. It samples CPU time with native and kernel
# frames, which JFR's execution samples do not see.
bench_async_profiler() {
  local version=4.6 dir="$BENCH_DIR/tools" arch
  case "$(uname -m)" in x86_64) arch=linux-x64 ;; aarch64) arch=linux-arm64 ;; *) arch="" ;; esac
  ASYNC_PROFILER="$dir/$arch/libasyncProfiler.so"
  [[ -n "$arch" && -f "$ASYNC_PROFILER" ]] && return 0
  [[ -n "$arch" ]] && say "bench: fetching async-profiler $version from Maven Central (once, into $dir)"
  if [[ -n "$arch" ]] && mkdir -p "$dir" \
    && (cd "$ROOT" && ./mvnw -q -B -ntp dependency:copy -Dartifact="tools.profiler:async-profiler:$version" \
      -DoutputDirectory="$dir" >/dev/null 2>&1) \
    && (cd "$dir" && "$JAVA_HOME/bin/jar" xf "async-profiler-$version.jar" "$arch/libasyncProfiler.so") \
    && [[ -f "$ASYNC_PROFILER" ]]; then
    return 0
  fi
  say "bench: async-profiler is not available; the report shows JFR's profile only"
  ASYNC_PROFILER=""
}

# A fresh JVM compiles for minutes under load on 2 cores (C2 on the same cores as the requests; the
# throughput of M still doubled after the first minute), so every node serves mixed traffic, today
# views and reads directly, unmeasured, in rounds until its JIT has settled: fewer than
# BENCH_SETTLED_COMPILES (5) methods compiled per second in a round, or MAX seconds. The time each
# node took goes into the report.
bench_warm_up() {
  local data="$1" max="$2" settled="${BENCH_SETTLED_COMPILES:-5}" n pid url started before after rate round
  round=$((max < 16 ? max : 16))
  for ((n = 1; n <= NODES; n++)); do
    pid="$(sctl pid "node$n")"; url="http://127.0.0.1:$(node_port "$n")"; started=$SECONDS
    say "bench: warming up node$n until its JIT settles (< $settled compilations/s, at most $max s)"
    while :; do
      before="$(jit_compiles "$pid")"
      bench_load "$url" M "$data/lists.txt" $((round * 5 / 8 > 0 ? round * 5 / 8 : 1)) \
        && bench_load "$url" V "$data/lists.txt" $((round / 8 > 0 ? round / 8 : 1)) \
        && bench_load "$url" R "$data/lists.txt" $((round / 4 > 0 ? round / 4 : 1)) \
        || die "wrk failed while warming up node$n; run it by hand: wrk -d5s -s $BENCH_SRC/scenario.lua $url -- M $data/lists.txt"
      after="$(jit_compiles "$pid")"
      rate=$(( (after - before) / round ))
      say "bench:   node$n: $((SECONDS - started)) s, $rate compilations/s in the last round"
      ((rate < settled || SECONDS - started >= max)) && break
    done
    echo "warm_up_node$n=$((SECONDS - started)) s (last round: $rate compilations/s)" >>"$BENCH_META"
  done
}

# Unmeasured load: bench_load URL SCENARIO DATA_FILE SECONDS.
bench_load() {
  wrk_scenario 16 "$4" "$1" "$2" "$3" >/dev/null
}

# wrk_scenario CONNECTIONS SECONDS URL SCENARIO DATA_FILE [STATIC_PATH]: one run of scenario.lua
# (requests time out after 10 s), wrk's output on stdout. A failed run is reported with wrk's status
# and output and made once more, so that one failure does not end an hour's benchmark (wrk used to
# die now and then at its start, from a race in scenario.lua's setup(), fixed since).
wrk_scenario() {
  local conns="$1" secs="$2" url="$3" out status attempt
  shift 3
  for attempt in 1 2; do
    status=0
    out="$(WRK_THREADS=2 wrk -t2 -c"$conns" -d"${secs}s" --timeout 10s -s "$BENCH_SRC/scenario.lua" "$url" -- "$@" 2>&1)" || status=$?
    ((status == 0)) && break
    ((attempt == 1)) && say "bench: wrk failed with status $status ($(tail -n 3 <<<"$out" | tr '\n' ' ')); running it once more"
  done
  printf '%s\n' "$out"
  return "$status"
}

# Methods the JIT of a JVM has compiled so far (both tiers).
jit_compiles() {
  "$JAVA_HOME/bin/jstat" -compiler "$1" | awk 'NR == 2 {print $1}'
}

# Reads one list's first page through NGINX and keeps its bytes for the static ceiling: as JSON,
# and as the node's gzip form, which the scenarios get (they send a browser's Accept-Encoding).
bench_check_seed() {
  local data="$1" per_list="$2" token list task status count encoding bytes gzip_bytes
  read -r token list task <"$data/lists.txt"
  status="$(curl -s -o "$data/page.json" -w '%{http_code}' -H "Authorization: Bearer $token" \
    "http://127.0.0.1:$PORT_BASE/api/v1/lists/$list/tasks")"
  [[ "$status" == 200 ]] || die "reading a seeded list through NGINX answered $status; the seed does not match the server's documents"
  count="$(grep -o '"id":"' "$data/page.json" | wc -l)"
  ((count >= (per_list < 50 ? per_list : 50))) \
    || die "a seeded list's first page has $count tasks, expected at least $per_list; the seed does not match"
  encoding="$(curl -s -o "$data/page.json.gz" -w '%header{content-encoding}' -H "Authorization: Bearer $token" \
    -H "Accept-Encoding: $BENCH_ACCEPT_ENCODING" "http://127.0.0.1:$PORT_BASE/api/v1/lists/$list/tasks")"
  [[ "$encoding" == gzip ]] && cmp -s <(gzip -dc "$data/page.json.gz") "$data/page.json" \
    || die "the first page read with 'Accept-Encoding: $BENCH_ACCEPT_ENCODING' came back with encoding '$encoding', not as the gzip form of the same JSON; see $CLUSTER_LOGS"
  bytes="$(wc -c <"$data/page.json")"; gzip_bytes="$(wc -c <"$data/page.json.gz")"
  { echo "page_bytes=$bytes $gzip_bytes"; echo "accept_encoding=$BENCH_ACCEPT_ENCODING"; } >>"$BENCH_META"
  say "bench: seed checked through the API (a first page of $count tasks, $bytes bytes, $gzip_bytes with gzip)"
}

# Adds to this cluster's rendered NGINX site only (not to deploy/nginx/taskmesh.conf) a location
# serving those bytes as a file, the HTTP ceiling of the same listener and workers, and one that
# proxies them from that location over an upstream with keep-alive, as /api/ is proxied to a
# node: the ceiling of any backend behind this NGINX.
bench_install_static() {
  local data="$1" end
  mkdir -p "$CLUSTER_DIR/bench-static"
  cp "$data/page.json" "$CLUSTER_DIR/bench-static/page.json"
  cp "$data/page.json.gz" "$CLUSTER_DIR/bench-static/page.json.gz"
  cat >"$CLUSTER_CONF/bench-upstream.conf" <<CONF
# Added by ./taskmesh bench (http level): the static file's own listener as an upstream.
upstream bench_static {
    server 127.0.0.1:$PORT_BASE;
    keepalive 32;
}
CONF
  cat >"$CLUSTER_CONF/bench-static.conf" <<CONF
# Added by ./taskmesh bench: the API's response bytes as a static file (the HTTP ceiling) ...
location = /bench-static/page.json {
    alias $CLUSTER_DIR/bench-static/page.json;
    default_type application/json;
    gzip_static on;   # page.json.gz, the node's own gzip bytes, to clients that accept gzip
}
# ... and the same bytes proxied as /api/ is (the ceiling of a backend behind this NGINX).
location = /bench-proxy/page.json {
    proxy_pass http://bench_static/bench-static/page.json;
    include $CLUSTER_CONF/proxy.conf;
}
CONF
  bench_site_additions
  end=$((SECONDS + 20))
  until cmp -s <(curl -s "http://127.0.0.1:$PORT_BASE/bench-static/page.json") "$data/page.json" \
    && cmp -s <(curl -s "http://127.0.0.1:$PORT_BASE/bench-proxy/page.json") "$data/page.json" \
    && cmp -s <(curl -s -H "Accept-Encoding: $BENCH_ACCEPT_ENCODING" "http://127.0.0.1:$PORT_BASE/bench-static/page.json") "$data/page.json.gz" \
    && cmp -s <(curl -s -H "Accept-Encoding: $BENCH_ACCEPT_ENCODING" "http://127.0.0.1:$PORT_BASE/bench-proxy/page.json") "$data/page.json.gz"; do
    ((SECONDS < end)) || die "NGINX does not serve /bench-static/page.json and /bench-proxy/page.json after a reload; see $CLUSTER_LOGS/nginx-error.log"
    sleep 0.2
  done
}

# Puts the benchmark's additions into the rendered site (a drain or undrain renders it afresh) and
# reloads NGINX when they were missing.
bench_site_additions() {
  local site="$CLUSTER_CONF/taskmesh.conf"
  grep -q bench-static.conf "$site" && return 0
  sed -i -e "0,/^upstream taskmesh_api {/s||include $CLUSTER_CONF/bench-upstream.conf;\nupstream taskmesh_api {|" \
    -e "0,/server_name _;/s||server_name _;\n    include $CLUSTER_CONF/bench-static.conf;|" "$site"
  reload_nginx
}

# Leaves nodes 1..N in the NGINX upstream and drains the others (they keep running, idle).
bench_use_nodes() {
  local want="$1" n
  for ((n = 1; n <= NODES; n++)); do
    if ((n <= want)); then
      grep -qx "$n" "$CLUSTER_DIR/drained" && cluster_undrain "$n" >/dev/null
    else
      grep -qx "$n" "$CLUSTER_DIR/drained" || cluster_drain "$n" >/dev/null
    fi
  done
  bench_site_additions
  say "bench: $want of $NODES nodes in the NGINX upstream"
}

# CPU time (user + system) of the processes, in clock ticks.
cpu_ticks() {
  local pid total=0 t
  for pid in "$@"; do
    t="$(awk '{sub(/^.*\) /, ""); print $12 + $13}' "/proc/$pid/stat" 2>/dev/null || echo 0)"
    total=$((total + t))
  done
  echo "$total"
}

node_pids() {
  local n
  for ((n = 1; n <= NODES; n++)); do sctl pid "node$n"; done
}

# The processes measured beside the nodes, as "NGINX_PIDS;REDIS_PID;STORE_PID": looked up before a
# run, so that no supervisorctl runs between its two snapshots.
measured_pids() {
  echo "$(nginx_pids);$(sctl pid redis);$(sctl pid store)"
}

# CPU time so far, in clock ticks: the nodes given after the measured_pids line, NGINX, Redis, the
# store, and the whole machine (every core's busy time: wrk, and whatever else ran, included).
cpu_snapshot() {
  local nginx redis store
  IFS=';' read -r nginx redis store <<<"$1"
  shift
  read -r -a nginx <<<"$nginx"
  echo "$(cpu_ticks "$@") $(cpu_ticks "${nginx[@]}") $(cpu_ticks "$redis") $(cpu_ticks "$store") $(machine_ticks)"
}

machine_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }

# The CPU time between two snapshots, field by field, in microseconds.
cpu_spent_us() {
  local hz a b i out=""
  hz="$(getconf CLK_TCK)"
  read -r -a a <<<"$1"; read -r -a b <<<"$2"
  for i in "${!a[@]}"; do out="$out${out:+ }$(( (b[i] - a[i]) * 1000000 / hz ))"; done
  echo "$out"
}

nginx_pids() {
  local master
  master="$(sctl pid nginx)"
  echo "$master" $(pgrep -P "$master" 2>/dev/null)
}

rss_mb() { awk '/VmRSS/ {printf "%d", $2/1024}' "/proc/$1/status" 2>/dev/null || echo 0; }

# Sums over every node: cache hits, cache misses (of cached responses: not of token owners,
# read="token"), store commands; -1 when a node exposes none.
# Names are matched loosely (taskmesh_cache_* with "hit"/"miss" in the name or a label, and the
# MongoDB driver's command timer or a taskmesh store command counter), so the harness reads
# whatever the cache layer exposes.
prom_sums() {
  local n
  for ((n = 1; n <= NODES; n++)); do
    curl -s --max-time 5 "http://127.0.0.1:$(node_port "$n")/actuator/prometheus"
  done | awk '
    /^#/ { next }
    /^taskmesh_cache_/ && /read="token"/ { next }
    /^taskmesh_cache_/ && /(_count|_total)[{ ]/ || /^taskmesh_cache_[a-z_]*(hit|miss)[a-z_]*[{ ]/ {
      v = $NF + 0
      if ($0 ~ /miss/) { miss += v; cache = 1 } else if ($0 ~ /hit/) { hit += v; cache = 1 }
    }
    /^mongodb_driver_commands_seconds_count[{ ]/ || /^taskmesh_(mongo|store)_commands?_(total|count)[{ ]/ {
      mongo += $NF; store = 1
    }
    END { printf "%s %s %s\n", cache ? hit : -1, cache ? miss : -1, store ? mongo : -1 }'
}

bench_progress() {
  BENCH_STEP=$((BENCH_STEP + 1))
  say "bench [$BENCH_STEP/$BENCH_TOTAL]: $*"
}

# bench_wrk NAME SCENARIO NODES TARGET URL CONNECTIONS SECONDS DATA_FILE [STATIC_PATH]
bench_wrk() {
  local name="$1" scenario="$2" nodes="$3" target="$4" url="$5" conns="$6" secs="$7" file="$8"
  local static="${9:-}" warm pids others t0 t1 p0 p1 line out
  warm=$((secs / 5 > 1 ? secs / 5 : 1))
  bench_progress "$name through $target, $nodes node(s), $conns connections, ${warm} s warm-up + $secs s"
  # R measures cached reads: its warm-up reads the lists in order (P), a round more while it has not
  # reached every list, so that the pages the writes of the runs before invalidated are cached again
  # (random reads left some of them to the measurement: 87 % hits with 3 nodes).
  local warm_scenario="$scenario" rounds=1 round reads=0 got lines
  [[ "$scenario" == R ]] && warm_scenario=P rounds=3
  lines="$(wc -l <"$file")"
  for ((round = 1; round <= rounds && reads < lines; round++)); do
    out="$(wrk_scenario "$conns" "$warm" "$url" "$warm_scenario" "$file" "$static")" \
      || die "wrk failed during the warm-up of $name: $out; run it by hand: wrk -d5s -s $BENCH_SRC/scenario.lua $url -- $warm_scenario $file"
    got="$(sed -n 's/^BENCH requests=\([0-9]*\).*/\1/p' <<<"$out")"
    reads=$((reads + ${got:-0}))
  done
  mapfile -t pids < <(node_pids)
  others="$(measured_pids)"
  p0="$(prom_sums)"; t0="$(cpu_snapshot "$others" "${pids[@]}")"
  out="$(wrk_scenario "$conns" "$secs" "$url" "$scenario" "$file" "$static")" \
    || die "wrk failed during $name: $out"
  t1="$(cpu_snapshot "$others" "${pids[@]}")"; p1="$(prom_sums)"
  line="$(grep '^BENCH ' <<<"$out")" || die "wrk printed no result for $name: $out"
  bench_record "$name" "$scenario" "$nodes" "$target" "$conns" "$line" "$(cpu_spent_us "$t0" "$t1")" "$p0" "$p1" "${pids[@]}"
}

# bench_profile SCENARIO WORK_DIR URL CONNECTIONS SECONDS DATA_FILE: the scenario again, right
# after its measured run (so warm), with node 1 profiled: its figures stay out of the results, since
# the profilers' own work (JFR's stack traces of parked threads and sampled allocations took 12-17 %
# of node 1's CPU with settings=profile) would count against the nodes. async-profiler samples CPU;
# JFR records only exceptions and execution samples (for `jfr view hot-methods`).
bench_profile() {
  local scenario="$1" work="$2" url="$3" conns="$4" secs="$5" file="$6" pid out requests
  local jfr="$work/node1-$scenario.jfr"
  bench_progress "profile of node1 during $scenario, $conns connections, $secs s (not in the results)"
  pid="$(sctl pid node1)"
  "$JAVA_HOME/bin/jcmd" "$pid" JFR.start name=bench settings=none +jdk.ExecutionSample#enabled=true \
    +jdk.ExecutionSample#period=10ms +jdk.JavaExceptionThrow#enabled=true >/dev/null
  [[ -n "$ASYNC_PROFILER" ]] \
    && "$JAVA_HOME/bin/jcmd" "$pid" "JVMTI.agent_load $ASYNC_PROFILER \"start,event=cpu,interval=1ms\"" >/dev/null
  out="$(wrk_scenario "$conns" "$secs" "$url" "$scenario" "$file")" \
    || die "wrk failed while profiling $scenario: $out"
  "$JAVA_HOME/bin/jcmd" "$pid" JFR.stop name=bench filename="$jfr" >/dev/null
  [[ -n "$ASYNC_PROFILER" ]] \
    && "$JAVA_HOME/bin/jcmd" "$pid" "JVMTI.agent_load $ASYNC_PROFILER \"stop,file=${jfr%.jfr}.collapsed,collapsed\"" >/dev/null
  requests="$(sed -n 's/^BENCH requests=\([0-9]*\).*/\1/p' <<<"$out")"
  # All the nodes' requests: node 1 takes all of them with 1 node (the report divides by the nodes).
  echo "profile_${scenario}_requests=${requests:-0}" >>"$work/meta.env"
}

# Scenario L: a write on node 1 and its event read on node 2 (on node 1 when it is alone).
bench_live() {
  local nodes="$1" data="$2" secs="$3" token list task reader pids others t0 t1 out line p0 p1
  read -r token list task <"$data/small.txt"
  reader=$((nodes >= 2 ? 2 : 1))
  bench_progress "L (write on node1, event on node$reader), 20 writes/s for $secs s"
  mapfile -t pids < <(node_pids)
  others="$(measured_pids)"
  p0="$(prom_sums)"; t0="$(cpu_snapshot "$others" "${pids[@]}")"
  out="$("$JAVA_HOME/bin/java" "$BENCH_SRC/Live.java" "http://127.0.0.1:$(node_port 1)" \
    "http://127.0.0.1:$(node_port "$reader")" "$token" "$list" "$task" "$secs" 20 2>&1)" \
    || die "the live scenario failed: $out"
  t1="$(cpu_snapshot "$others" "${pids[@]}")"; p1="$(prom_sums)"
  line="$(grep '^BENCH ' <<<"$out")" || die "the live scenario printed no result: $out"
  bench_record L L "$nodes" "node1->node$reader" 1 "$line" "$(cpu_spent_us "$t0" "$t1")" "$p0" "$p1" "${pids[@]}"
}

# Appends one row to results.tsv and prints a one-line summary.
bench_record() {
  local name="$1" scenario="$2" nodes="$3" target="$4" conns="$5" line="$6" cpu="$7" p0="$8" p1="$9"
  shift 9
  local requests duration errors p50 p90 p99 max rss="" pid i=0 node_us nginx_us redis_us store_us machine_us
  read -r node_us nginx_us redis_us store_us machine_us <<<"$cpu"
  requests="$(sed -n 's/.*requests=\([0-9]*\).*/\1/p' <<<"$line")"
  duration="$(sed -n 's/.*duration_us=\([0-9]*\).*/\1/p' <<<"$line")"
  errors="$(sed -n 's/.* errors=\([0-9]*\).*/\1/p' <<<"$line")"
  p50="$(sed -n 's/.*p50=\([0-9]*\).*/\1/p' <<<"$line")"
  p90="$(sed -n 's/.*p90=\([0-9]*\).*/\1/p' <<<"$line")"
  p99="$(sed -n 's/.*p99=\([0-9]*\).*/\1/p' <<<"$line")"
  max="$(sed -n 's/.*max=\([0-9]*\).*/\1/p' <<<"$line")"
  for pid in "$@"; do i=$((i + 1)); rss="$rss${rss:+,}node$i:$(rss_mb "$pid")"; done
  read -r h0 m0 c0 <<<"$p0"; read -r h1 m1 c1 <<<"$p1"
  # Columns: see Report.java.
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
    "$name" "$scenario" "$nodes" "$target" "$conns" "$requests" "$duration" "$errors" "$p50" "$p90" "$p99" "$max" \
    "$node_us" "$nginx_us" "$rss" "$h0" "$h1" "$m0" "$m1" "$c0" "$c1" "$redis_us" "$store_us" "$machine_us" >>"$BENCH_RESULTS"
  say "bench:   $(awk -v r="$requests" -v d="$duration" 'BEGIN {printf "%.0f req/s", (d > 0 ? r * 1e6 / d : 0)}'), p50 $((p50 / 1000)).$(( (p50 % 1000) / 100 )) ms, p99 $((p99 / 1000)) ms, errors $errors, CPU of the nodes $(( requests > 0 ? node_us / requests : 0 )) us/request, of the machine $(( requests > 0 ? machine_us / requests : 0 ))"
}

# The large list's owner opens the overview of their lists (GET /lists, with each list's counts)
# right after a change to that list, so the cached overview is gone: 5 times, the median recorded.
bench_lists_after_write() {
  local work="$1" base="$2" token list task times=() i t
  read -r token list task <"$3"
  for i in 1 2 3 4 5; do
    curl -s -o /dev/null --max-time 60 -X PATCH "$base/api/v1/lists/$list/tasks/$task" -H "Authorization: Bearer $token" \
      -H 'Content-Type: application/json' -d "{\"title\":\"changed $i\"}"
    t="$(curl -s -o /dev/null -w '%{http_code} %{time_total}' --max-time 60 "$base/api/v1/lists" -H "Authorization: Bearer $token")"
    [[ "$t" == 200\ * ]] || die "GET /lists of the large list's owner answered '$t'"
    times+=("$(awk -v s="${t#* }" 'BEGIN {printf "%d", s * 1000}')")
  done
  t="$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)"
  { echo "big_lists_after_write_ms=$t"; echo "big_lists_after_write_all_ms=${times[*]}"; } >>"$work/meta.env"
  say "bench:   lists of the large list's owner after a write: ${t} ms (median of ${times[*]})"
}

# Embedded mode: one process with the embedded store, started as `./taskmesh run` starts it.
bench_embedded() {
  local work="$1" secs="$2" conns="$3" quiet_max="$4" port=$((PORT_BASE + 9)) dir pid ms starts=() token list idle loaded=0 i
  bench_progress "embedded mode: start to first request (3 starts), then R with $conns connections for $secs s"
  port_in_use "$port" && die "port $port (embedded mode) is in use; set TASKMESH_BENCH_PORT_BASE"
  dir="$(mktemp -d "$BENCH_DIR/embedded.XXXXXX")"
  prepare_fast_start
  # A stopped cluster's processes (the store writing its file, JVMs exiting) would share the cores
  # with the start: wait until the machine is quiet (at most $quiet_max s).
  echo "embedded_cpu_busy_before=$(wait_until_quiet 15 "$quiet_max")%" >>"$work/meta.env"
  # One start on 2 cores is noisy: three, each on a new data directory; the median is reported and
  # the last one stays up for the load.
  for i in 1 2 3; do
    rm -rf "$dir/data"
    embedded_start "$dir" "$port"
    starts+=("$EMBEDDED_START_MS")
    ((i == 3)) || { kill "$EMBEDDED_PID"; wait "$EMBEDDED_PID" 2>/dev/null || true; }
  done
  pid="$EMBEDDED_PID"
  ms="$(printf '%s\n' "${starts[@]}" | sort -n | sed -n 2p)"
  # One user through the API (sign-up, token, a list of 50 tasks).
  curl -s -o /dev/null -X POST "http://127.0.0.1:$port/api/v1/auth/signup" -H 'Content-Type: application/json' \
    -d '{"email":"bench@example.com","password":"bench password"}'
  token="$(curl -s -X POST "http://127.0.0.1:$port/api/v1/auth/tokens" -H 'Content-Type: application/json' \
    -d '{"email":"bench@example.com","password":"bench password","name":"bench"}' | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')"
  list="$(curl -s -X POST "http://127.0.0.1:$port/api/v1/lists" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' -d '{"name":"Bench"}' | sed -n 's/.*"id":"\([0-9a-f]\{24\}\)".*/\1/p')"
  [[ -n "$token" && -n "$list" ]] || { kill "$pid"; die "could not create the embedded mode's user and list; see $dir/server.log"; }
  for ((i = 1; i <= 50; i++)); do
    curl -s -o /dev/null -X POST "http://127.0.0.1:$port/api/v1/lists/$list/tasks" -H "Authorization: Bearer $token" \
      -H 'Content-Type: application/json' -d "{\"title\":\"Task $i\"}"
  done
  echo "$token $list 000000000000000000000000" >"$dir/lists.txt"
  idle="$(rss_mb "$pid")"
  wrk_scenario "$conns" "$((secs / 5 > 1 ? secs / 5 : 1))" "http://127.0.0.1:$port" R "$dir/lists.txt" >/dev/null
  # RSS sampled each second of the run; the largest is reported.
  ( while kill -0 "$pid" 2>/dev/null; do rss_mb "$pid"; echo; sleep 1; done ) >"$dir/rss.txt" &
  local sampler=$!
  local t_0 t_1 out line
  t_0="$(cpu_ticks "$pid") 0 0 0 $(machine_ticks)"
  out="$(wrk_scenario "$conns" "$secs" "http://127.0.0.1:$port" R "$dir/lists.txt")"
  t_1="$(cpu_ticks "$pid") 0 0 0 $(machine_ticks)"
  kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true
  loaded="$(sort -n "$dir/rss.txt" | tail -n1)"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  line="$(grep '^BENCH ' <<<"$out")" || die "wrk printed no result for the embedded mode: $out"
  {
    echo "embedded_start_ms=$ms"
    echo "embedded_starts_ms=${starts[*]}"
    echo "embedded_rss_idle_mb=$idle"
    echo "embedded_rss_load_mb=$loaded"
  } >>"$work/meta.env"
  bench_record embedded R 1 embedded "$conns" "$line" "$(cpu_spent_us "$t_0" "$t_1")" "-1 -1 -1" "-1 -1 -1" "$pid"
  say "bench:   embedded start to first request ${ms} ms (median of ${starts[*]}), RSS idle ${idle} MB, under load ${loaded} MB"
  rm -rf "$dir"
}

# Waits until less than $1 % of the CPU was busy over the last second, or $2 seconds; prints the last reading.
wait_until_quiet() {
  local limit="$1" end=$((SECONDS + $2)) busy
  while :; do
    busy="$(cpu_busy_percent)"
    ((busy < limit || SECONDS >= end)) && break
  done
  echo "$busy"
}

# The share of CPU time, all cores, that was not idle during one second (from /proc/stat).
cpu_busy_percent() {
  local a b
  a="$(awk '/^cpu / {print $2+$3+$4+$7+$8, $5+$6}' /proc/stat)"
  sleep 1
  b="$(awk '/^cpu / {print $2+$3+$4+$7+$8, $5+$6}' /proc/stat)"
  awk -v a="$a" -v b="$b" 'BEGIN {split(a, x, " "); split(b, y, " "); busy = y[1] - x[1]; idle = y[2] - x[2];
    printf "%d", (busy + idle > 0 ? 100 * busy / (busy + idle) : 0)}'
}

# Starts the embedded mode on port $2 with its data in $1/data and waits for its first answer; sets
# EMBEDDED_PID and EMBEDDED_START_MS (from the start of the JVM to that answer).
embedded_start() {
  local dir="$1" port="$2" t0 limit="${TASKMESH_CLUSTER_START_TIMEOUT:-240}" end
  t0="$(date +%s%N)"
  # shellcheck disable=SC2086,SC2046
  TASKMESH_PORT="$port" TASKMESH_DATA_DIR="$dir/data" TASKMESH_REDIS_URL="" TASKMESH_MONGODB_URI="" \
    "$JAVA_HOME/bin/java" $(embedded_start_options "$APP_DIR") ${TASKMESH_JAVA_OPTS:-} -jar "$APP_DIR/taskmesh-server.jar" >"$dir/server.log" 2>&1 &
  EMBEDDED_PID=$!
  end=$((SECONDS + limit))
  # Polled without starting a process: a curl every 20 ms costs more than a core here and slowed
  # the start it measured. `read -t` on a pipe that never has data is the pause; the port
  # accepting is the probe; then one request for the answer.
  local pause probe
  exec {pause}<> <(:)
  until { exec {probe}<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; do
    kill -0 "$EMBEDDED_PID" 2>/dev/null || die "the embedded server exited; see $dir/server.log"
    ((SECONDS < end)) || { kill "$EMBEDDED_PID"; die "the embedded server did not answer within $limit s; see $dir/server.log (a busy machine: raise TASKMESH_CLUSTER_START_TIMEOUT)"; }
    read -r -t 0.02 -u "$pause" || true
  done
  exec {probe}>&- {pause}>&-
  [[ "$(http_status "http://127.0.0.1:$port/api/v1/me" 30)" == 401 ]] \
    || { kill "$EMBEDDED_PID"; die "the embedded server's first answer was not 401; see $dir/server.log"; }
  EMBEDDED_START_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
}

# The smoke run fails when the harness stops measuring: no requests, any error, missing files.
bench_smoke_check() {
  local report="$1" scenarios="$2" f bad=0
  for f in "$report.md" "$report.json" "$report-throughput.png" "$report-latency.png"; do
    [[ -s "$f" ]] || { say "bench smoke: $f was not written"; bad=1; }
  done
  awk -F'\t' '$6 <= 0 {print "bench smoke: " $1 " (" $3 " nodes) made no requests"; bad = 1}
              $8 > 0 {print "bench smoke: " $1 " (" $3 " nodes) had " $8 " errors"; bad = 1}
              END {exit bad}' "$BENCH_RESULTS" >&2 || bad=1
  # The embedded mode started from the training start's archive (see prepare_fast_start).
  [[ -f "$APP_DIR/taskmesh.aot" || -f "$APP_DIR/taskmesh.jsa" ]] \
    || { say "bench smoke: the training start wrote no archive; see $APP_DIR/training.log"; bad=1; }
  local s
  for s in $(tr ',' ' ' <<<"$scenarios"); do
    awk -F'\t' -v s="$s" '$2 == s {found = 1} END {exit !found}' "$BENCH_RESULTS" \
      || { say "bench smoke: scenario $s has no result"; bad=1; }
    if [[ "$s" == R || "$s" == M || "$s" == W ]]; then
      grep -q "^profile_${s}_requests=[1-9]" "$BENCH_META" && [[ -s "$(dirname "$BENCH_RESULTS")/node1-$s.jfr" ]] \
        || { say "bench smoke: the profiling run of $s recorded nothing"; bad=1; }
    fi
  done
  ((bad == 0)) || die "the benchmark smoke run failed (see above; raw results in $BENCH_RESULTS)"
  say "bench smoke: passed ($(wc -l <"$BENCH_RESULTS") runs, no errors, report files written)"
}
