# shellcheck shell=bash
# The local cluster: NGINX + Redis + N API nodes + one database process under supervisord.
# Sourced by ../../taskmesh, which provides say, die, pick_jdk, needs_build, build,
# prepare_fast_start and ensure_packages.

CLUSTER_DIR="${TASKMESH_CLUSTER_DIR:-$ROOT/.taskmesh-cluster}"
CLUSTER_CONF="$CLUSTER_DIR/conf"
CLUSTER_LOGS="$CLUSTER_DIR/logs"
SUPERVISOR_CONF="$CLUSTER_CONF/supervisord.conf"
CLUSTER_MARKER="$CLUSTER_DIR/.taskmesh-cluster"

sctl() { supervisorctl -c "$SUPERVISOR_CONF" "$@"; }

supervisor_running() {
  [[ -S "$CLUSTER_DIR/supervisor.sock" && -f "$SUPERVISOR_CONF" ]] && sctl pid >/dev/null 2>&1
}

# Reads the settings that `cluster up` recorded (node count, ports).
load_cluster_env() {
  [[ -f "$CLUSTER_DIR/cluster.env" ]] \
    || die "no cluster in $CLUSTER_DIR; start one with './taskmesh cluster up'"
  # shellcheck disable=SC1091
  source "$CLUSTER_DIR/cluster.env"
}

node_port() { echo $((PORT_BASE + $1)); }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

http_status() { curl -s -o /dev/null -w '%{http_code}' --max-time "${2:-2}" "$1" || true; }

node_ready() { [[ "$(http_status "http://127.0.0.1:$(node_port "$1")/actuator/health/readiness")" == 200 ]]; }

nginx_ready() { [[ "$(http_status "http://127.0.0.1:$PORT_BASE/nginx-health")" == 200 ]]; }

# Writes the upstream servers, marking drained nodes `down`, and the site with a new generation.
render_nginx() {
  local n generation
  generation=$(( $(cat "$CLUSTER_DIR/generation" 2>/dev/null || echo 0) + 1 ))
  {
    echo "# Rendered by ./taskmesh cluster; drained nodes are marked down."
    for ((n = 1; n <= NODES; n++)); do
      if grep -qx "$n" "$CLUSTER_DIR/drained" 2>/dev/null; then
        echo "server 127.0.0.1:$(node_port "$n") max_fails=2 fail_timeout=5s down;  # node$n drained"
      else
        echo "server 127.0.0.1:$(node_port "$n") max_fails=2 fail_timeout=5s;  # node$n"
      fi
    done
  } >"$CLUSTER_CONF/upstream.conf"
  sed -e "s|@LISTEN@|127.0.0.1:$PORT_BASE|g" -e "s|@UI_ROOT@|$CLUSTER_DIR/www|g" \
      -e "s|@UPSTREAM_CONF@|$CLUSTER_CONF/upstream.conf|g" -e "s|@CONF_DIR@|$CLUSTER_CONF|g" \
      -e "s|@GENERATION@|$generation|g" \
      "$ROOT/deploy/nginx/taskmesh.conf" >"$CLUSTER_CONF/taskmesh.conf"
  echo "$generation" >"$CLUSTER_DIR/generation"
}

nginx_test_config() {
  nginx -t -q -e "$CLUSTER_LOGS/nginx-error.log" -p "$CLUSTER_DIR/nginx/" -c "$CLUSTER_CONF/nginx.conf" \
    || die "the rendered NGINX configuration is invalid (see above and $CLUSTER_CONF/)"
}

# Reloads NGINX and waits until fresh connections are served by workers of the new configuration.
reload_nginx() {
  nginx_test_config
  sctl signal HUP nginx >/dev/null || die "could not signal NGINX; see './taskmesh cluster status'"
  local want end seen=0
  want="$(cat "$CLUSTER_DIR/generation")"
  end=$((SECONDS + 20))
  while ((seen < 3)); do
    if [[ "$(curl -s --max-time 2 "http://127.0.0.1:$PORT_BASE/nginx-generation")" == "$want" ]]; then
      seen=$((seen + 1))
    else
      seen=0
      ((SECONDS < end)) || die "NGINX did not load the new configuration within 20 s; see $CLUSTER_LOGS/nginx-error.log"
      sleep 0.1
    fi
  done
}

# Waits until every node answers readiness and NGINX its health; prints progress.
wait_cluster_ready() {
  local limit="${TASKMESH_CLUSTER_START_TIMEOUT:-240}" start=$SECONDS next_report=0 n ready failed
  while true; do
    ready=0
    for ((n = 1; n <= NODES; n++)); do node_ready "$n" && ready=$((ready + 1)); done
    if ((ready == NODES)) && nginx_ready; then
      say "all $NODES nodes ready and NGINX answering ($((SECONDS - start)) s)"
      return 0
    fi
    # FATAL: supervisord gave up after startretries (a node may exit once while the store starts).
    failed="$(sctl status 2>/dev/null | awk '$2 == "FATAL" {print $1}' | tr '\n' ' ')"
    if [[ -n "$failed" ]]; then
      say "these programs failed to start and supervisord gave up: $failed"
      die "see './taskmesh cluster logs <program>' (logs in $CLUSTER_LOGS), then './taskmesh cluster down'"
    fi
    if ((SECONDS - start >= limit)); then
      sctl status >&2 || true
      die "not ready after $limit s ($ready of $NODES nodes ready); see './taskmesh cluster logs', or raise TASKMESH_CLUSTER_START_TIMEOUT"
    fi
    if ((SECONDS >= next_report)); then
      say "waiting for readiness: $ready of $NODES nodes ready, NGINX $(nginx_ready && echo up || echo not yet) ($((SECONDS - start)) s)"
      next_report=$((SECONDS + 5))
    fi
    sleep 0.5
  done
}

# The UI NGINX serves: TASKMESH_CLUSTER_UI_DIR, else static/ of the jar, else a page that says so.
install_ui() {
  local www="$CLUSTER_DIR/www" tmp="$CLUSTER_DIR/www.tmp"
  rm -rf "$tmp" && mkdir -p "$tmp"
  if [[ -n "${TASKMESH_CLUSTER_UI_DIR:-}" ]]; then
    [[ -f "$TASKMESH_CLUSTER_UI_DIR/index.html" ]] || die "TASKMESH_CLUSTER_UI_DIR has no index.html"
    cp -r "$TASKMESH_CLUSTER_UI_DIR/." "$tmp/"
  elif unzip -q "$JAR" 'BOOT-INF/lib/taskmesh-web-*.jar' -d "$tmp/jar" 2>/dev/null \
      && unzip -q "$tmp"/jar/BOOT-INF/lib/taskmesh-web-*.jar 'static/*' -d "$tmp/jar" 2>/dev/null \
      && [[ -f "$tmp/jar/static/index.html" ]]; then
    # The web module's jar inside the server jar holds the built UI under static/.
    mv "$tmp/jar/static/"* "$tmp/" && rm -rf "$tmp/jar"
  else
    rm -rf "$tmp/jar"
    cat >"$tmp/index.html" <<'HTML'
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Taskmesh</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto">
<h1>Taskmesh</h1>
<p>The API is running behind NGINX, but the web UI is not built into this server.</p>
<p>See the <a href="/api/docs">API documentation</a>.</p>
</body></html>
HTML
  fi
  rm -rf "$www" && mv "$tmp" "$www"
}

render_supervisor() {
  local java="$JAVA_HOME/bin/java" app="$CLUSTER_DIR/app/taskmesh-server.jar" cds n store_cmd
  cds="$(fast_start_options "$CLUSTER_DIR/app")"
  if [[ "$STORE_KIND" == mongod ]]; then
    store_cmd="$(command -v mongod) --dbpath $CLUSTER_DIR/data/mongodb --port $STORE_PORT --bind_ip 127.0.0.1"
  else
    store_cmd="$java $STORE_JAVA_OPTS $cds -jar $app store --port $STORE_PORT --data-dir $CLUSTER_DIR/data/store"
  fi
  local common="autostart=true
autorestart=true
redirect_stderr=true
stdout_logfile_maxbytes=20MB
stdout_logfile_backups=3
stopasgroup=true
killasgroup=true"
  {
    cat <<CONF
; Rendered by ./taskmesh cluster up; this cluster's own supervisord (not the system one).
[unix_http_server]
file=$CLUSTER_DIR/supervisor.sock
chmod=0700

[supervisord]
logfile=$CLUSTER_LOGS/supervisord.log
pidfile=$CLUSTER_DIR/supervisord.pid
childlogdir=$CLUSTER_LOGS
directory=$CLUSTER_DIR
nodaemon=false

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://$CLUSTER_DIR/supervisor.sock

[program:redis]
command=$(command -v redis-server) --port $REDIS_PORT --bind 127.0.0.1 --save "" --appendonly yes --dir $CLUSTER_DIR/data/redis
priority=100
startsecs=1
stopwaitsecs=20
stdout_logfile=$CLUSTER_LOGS/redis.log
$common

[program:store]
command=$store_cmd
priority=100
startsecs=2
stopwaitsecs=30
stdout_logfile=$CLUSTER_LOGS/store.log
$common
CONF
    for ((n = 1; n <= NODES; n++)); do
      cat <<CONF

[program:node$n]
command=$java $NODE_JAVA_OPTS $cds -jar $app
environment=TASKMESH_PORT="$(node_port "$n")",TASKMESH_MONGODB_URI="$MONGODB_URI",TASKMESH_REDIS_URL="redis://127.0.0.1:$REDIS_PORT",TASKMESH_DATA_DIR="$CLUSTER_DIR/data/node$n",TASKMESH_LOG_FORMAT="$LOG_FORMAT"
directory=$CLUSTER_DIR
priority=300
startsecs=3
startretries=10
stopsignal=TERM
stopwaitsecs=45
stdout_logfile=$CLUSTER_LOGS/node$n.log
$common
CONF
    done
    cat <<CONF

[program:nginx]
command=$(command -v nginx) -e $CLUSTER_LOGS/nginx-error.log -p $CLUSTER_DIR/nginx/ -c $CLUSTER_CONF/nginx.conf
priority=400
startsecs=1
stopsignal=QUIT
stopwaitsecs=20
stdout_logfile=$CLUSTER_LOGS/nginx.log
$common
CONF
  } >"$SUPERVISOR_CONF"
}

# The nodes' JVM options (TASKMESH_NODE_JAVA_OPTS overrides them). G1, as in production: with the
# serial collector the nodes' old generation filled with evicted local cache copies and each full
# collection stopped a node for 0.5-1.4 s (docs/benchmarks/fixes.md).
cluster_node_java_opts() {
  echo "${TASKMESH_NODE_JAVA_OPTS:--Xms64m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError}"
}

# The embedded store's JVM options (TASKMESH_STORE_JAVA_OPTS overrides them). It keeps its indexes in
# memory: about 250 MB live for the benchmark's 350,100 tasks (docs/benchmarks/fixes.md rows 6, 32),
# where a 256 MB heap spent most of its time in full collections.
cluster_store_java_opts() {
  echo "${TASKMESH_STORE_JAVA_OPTS:--Xmx1g -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError}"
}

cluster_up() {
  local nodes="${TASKMESH_CLUSTER_NODES:-3}"
  while (($#)); do
    case "$1" in
      --nodes) [[ $# -ge 2 ]] || die "--nodes needs a number"; nodes="$2"; shift 2 ;;
      --nodes=*) nodes="${1#--nodes=}"; shift ;;
      *) die "unknown option for 'cluster up': $1 (see './taskmesh help')" ;;
    esac
  done
  [[ "$nodes" =~ ^[1-9][0-9]?$ ]] || die "--nodes must be a number from 1 to 99, not '$nodes'"

  if supervisor_running; then
    load_cluster_env
    say "the cluster in $CLUSTER_DIR is already running with $NODES nodes ('./taskmesh cluster down' first to change it)"
    wait_cluster_ready
    cluster_summary
    return 0
  fi

  ensure_packages nginx:nginx redis-server:redis-server supervisord:supervisor curl:curl unzip:unzip
  pick_jdk
  if needs_build; then build; fi
  prepare_fast_start

  NODES="$nodes"
  PORT_BASE="${TASKMESH_CLUSTER_PORT_BASE:-8080}"
  REDIS_PORT="${TASKMESH_CLUSTER_REDIS_PORT:-6379}"
  STORE_PORT="${TASKMESH_CLUSTER_STORE_PORT:-27017}"
  NODE_JAVA_OPTS="$(cluster_node_java_opts)"
  STORE_JAVA_OPTS="$(cluster_store_java_opts)"
  LOG_FORMAT="${TASKMESH_LOG_FORMAT:-text}"
  STORE_KIND=embedded
  case "${TASKMESH_CLUSTER_STORE:-auto}" in
    auto) command -v mongod >/dev/null 2>&1 && STORE_KIND=mongod ;;
    mongod) command -v mongod >/dev/null 2>&1 || die "TASKMESH_CLUSTER_STORE=mongod but no mongod on the PATH"
      STORE_KIND=mongod ;;
    embedded) ;;
    *) die "TASKMESH_CLUSTER_STORE must be auto, mongod or embedded" ;;
  esac
  MONGODB_URI="mongodb://127.0.0.1:$STORE_PORT"

  local port n busy=()
  for port in "$PORT_BASE" "$REDIS_PORT" "$STORE_PORT"; do port_in_use "$port" && busy+=("$port"); done
  for ((n = 1; n <= NODES; n++)); do port_in_use "$(node_port "$n")" && busy+=("$(node_port "$n")"); done
  ((${#busy[@]} == 0)) || die "ports already in use on 127.0.0.1: ${busy[*]}; stop what listens there, or choose others with TASKMESH_CLUSTER_PORT_BASE (NGINX, nodes follow), TASKMESH_CLUSTER_REDIS_PORT, TASKMESH_CLUSTER_STORE_PORT"

  say "preparing $CLUSTER_DIR (NGINX :$PORT_BASE, nodes :$((PORT_BASE + 1))-:$((PORT_BASE + NODES)), Redis :$REDIS_PORT, $STORE_KIND store :$STORE_PORT)"
  mkdir -p "$CLUSTER_CONF" "$CLUSTER_LOGS" "$CLUSTER_DIR/nginx" "$CLUSTER_DIR/data/redis" \
    "$CLUSTER_DIR/data/store" "$CLUSTER_DIR/data/mongodb"
  touch "$CLUSTER_MARKER" "$CLUSTER_DIR/drained"
  for ((n = 1; n <= NODES; n++)); do mkdir -p "$CLUSTER_DIR/data/node$n"; done
  # The nodes run a copy of the app, so rebuilding meanwhile does not pull files from under them.
  # -a keeps the files' times: the JVM refuses a start-up archive whose jars look changed.
  rm -rf "$CLUSTER_DIR/app" && cp -a "$APP_DIR" "$CLUSTER_DIR/app"
  install_ui
  cat >"$CLUSTER_DIR/cluster.env" <<ENV
NODES=$NODES
PORT_BASE=$PORT_BASE
REDIS_PORT=$REDIS_PORT
STORE_PORT=$STORE_PORT
STORE_KIND=$STORE_KIND
ENV
  : >"$CLUSTER_DIR/drained"
  sed "s|@RUN_DIR@|$CLUSTER_DIR|g" "$ROOT/deploy/local/nginx.conf" >"$CLUSTER_CONF/nginx.conf"
  cp "$ROOT/deploy/nginx/proxy.conf" "$ROOT/deploy/nginx/security-headers.conf" "$CLUSTER_CONF/"
  render_nginx
  nginx_test_config
  render_supervisor

  say "starting supervisord with redis, store, node1..node$NODES and nginx"
  supervisord -c "$SUPERVISOR_CONF" || die "supervisord did not start; see $CLUSTER_LOGS/supervisord.log"
  wait_cluster_ready
  cluster_summary
}

cluster_summary() {
  local n
  cat >&2 <<SUMMARY

  Taskmesh local cluster ($CLUSTER_DIR)
    web UI and API   http://127.0.0.1:$PORT_BASE/   (NGINX; API docs at /api/docs)
$(for ((n = 1; n <= NODES; n++)); do printf '    node%-2s           http://127.0.0.1:%s/\n' "$n" "$(node_port "$n")"; done)
    Redis            redis://127.0.0.1:$REDIS_PORT
    database         mongodb://127.0.0.1:$STORE_PORT ($STORE_KIND)
    logs             $CLUSTER_LOGS  ('./taskmesh cluster logs [program]')

  Next: './taskmesh cluster status', './taskmesh cluster restart-node 2', './taskmesh cluster down'.

SUMMARY
}

cluster_status() {
  load_cluster_env
  supervisor_running || die "the cluster in $CLUSTER_DIR is not running; start it with './taskmesh cluster up'"
  local n bad=0 state
  sctl status || bad=1
  echo
  for ((n = 1; n <= NODES; n++)); do
    if node_ready "$n"; then state=ready; else state="NOT READY"; bad=1; fi
    grep -qx "$n" "$CLUSTER_DIR/drained" && state="$state, drained (NGINX sends it nothing)"
    printf 'node%-3s http://127.0.0.1:%s  %s\n' "$n" "$(node_port "$n")" "$state"
  done
  if nginx_ready; then state=up; else state="NOT ANSWERING"; bad=1; fi
  printf 'nginx   http://127.0.0.1:%s  %s\n' "$PORT_BASE" "$state"
  return "$bad"
}

cluster_down() {
  local purge=0
  while (($#)); do
    case "$1" in
      --purge) purge=1; shift ;;
      *) die "unknown option for 'cluster down': $1" ;;
    esac
  done
  if supervisor_running; then
    local pid end
    pid="$(sctl pid)"
    say "stopping nginx, the nodes, the store and redis (graceful; up to a minute)..."
    sctl shutdown >/dev/null || die "supervisorctl shutdown failed; see $CLUSTER_LOGS/supervisord.log"
    end=$((SECONDS + 120))
    while kill -0 "$pid" 2>/dev/null; do
      ((SECONDS < end)) || die "supervisord (pid $pid) still running after 120 s; see $CLUSTER_LOGS/supervisord.log"
      sleep 0.2
    done
    say "cluster stopped"
  else
    say "no cluster running in $CLUSTER_DIR"
  fi
  if ((purge)); then
    if [[ -f "$CLUSTER_MARKER" ]]; then
      rm -rf "$CLUSTER_DIR"
      say "deleted $CLUSTER_DIR (data, logs, configuration)"
    elif [[ -e "$CLUSTER_DIR" ]]; then
      die "$CLUSTER_DIR does not look like a cluster directory (no .taskmesh-cluster); not deleting it"
    fi
  elif [[ -d "$CLUSTER_DIR/data" ]]; then
    say "data kept in $CLUSTER_DIR/data ('./taskmesh cluster down --purge' deletes it)"
  fi
  return 0
}

cluster_logs() {
  load_cluster_env
  local follow=1 program=""
  while (($#)); do
    case "$1" in
      --no-follow) follow=0; shift ;;
      *) program="$1"; shift ;;
    esac
  done
  local files=()
  if [[ -n "$program" ]]; then
    if [[ "$program" == nginx ]]; then
      files=("$CLUSTER_LOGS/nginx-error.log" "$CLUSTER_LOGS/nginx-access.log")
    else
      files=("$CLUSTER_LOGS/$program.log")
    fi
    [[ -f "${files[0]}" ]] || die "no log for '$program'; programs: redis store node1..node$NODES nginx"
  else
    mapfile -t files < <(ls "$CLUSTER_LOGS"/*.log)
  fi
  if ((follow)); then tail -n 30 -F "${files[@]}"; else tail -n 100 "${files[@]}"; fi
}

check_node_arg() {
  [[ "${1:-}" =~ ^[0-9]+$ && "$1" -ge 1 && "$1" -le "$NODES" ]] \
    || die "name a node from 1 to $NODES (e.g. './taskmesh cluster drain 2')"
}

cluster_drain() {
  load_cluster_env
  check_node_arg "${1:-}"
  supervisor_running || die "the cluster is not running"
  if ! grep -qx "$1" "$CLUSTER_DIR/drained"; then echo "$1" >>"$CLUSTER_DIR/drained"; fi
  render_nginx
  reload_nginx
  say "node$1 drained: NGINX sends it no new requests"
}

cluster_undrain() {
  load_cluster_env
  check_node_arg "${1:-}"
  supervisor_running || die "the cluster is not running"
  local rest
  rest="$(grep -vx "$1" "$CLUSTER_DIR/drained" || true)"
  printf '%s' "${rest:+$rest$'\n'}" >"$CLUSTER_DIR/drained"
  render_nginx
  reload_nginx
  say "node$1 back in the NGINX upstream"
}

cluster_restart_node() {
  load_cluster_env
  check_node_arg "${1:-}"
  local n="$1" end
  cluster_drain "$n"
  say "stopping node$n (graceful: requests in flight finish)..."
  sctl stop "node$n" >/dev/null || die "could not stop node$n; see './taskmesh cluster logs node$n'"
  say "starting node$n..."
  sctl start "node$n" >/dev/null || die "node$n did not start; see './taskmesh cluster logs node$n' (it stays drained)"
  end=$((SECONDS + ${TASKMESH_CLUSTER_START_TIMEOUT:-240}))
  until node_ready "$n"; do
    ((SECONDS < end)) || die "node$n not ready in time; it stays drained; see './taskmesh cluster logs node$n'"
    sleep 0.3
  done
  say "node$n ready"
  cluster_undrain "$n"
}

# Restarts every node in turn (each drained first), so the cluster keeps answering.
cluster_rolling_restart() {
  load_cluster_env
  local n
  for ((n = 1; n <= NODES; n++)); do
    say "rolling restart: node$n of $NODES"
    cluster_restart_node "$n"
  done
  say "rolling restart done: every node restarted"
}

cmd_cluster() {
  local sub="${1:-help}"
  (($#)) && shift
  case "$sub" in
    up) cluster_up "$@" ;;
    status) cluster_status ;;
    down) cluster_down "$@" ;;
    logs) cluster_logs "$@" ;;
    drain) cluster_drain "$@" ;;
    undrain) cluster_undrain "$@" ;;
    restart-node) cluster_restart_node "$@" ;;
    rolling-restart) cluster_rolling_restart ;;
    help | -h | --help) usage ;;
    *) usage; die "unknown cluster command: $sub" ;;
  esac
}
