# shellcheck shell=bash
# `./taskmesh deploy-test`: checks the Ansible and Terraform code, then deploys Taskmesh with the
# real playbooks onto this machine (hosts = per-host directories, ansible_connection=local,
# services under per-host supervisords), drives it through NGINX, re-runs site.yml expecting no
# change, upgrades every API node under load expecting no failed request, and tears it down.
# Sourced by ../../../taskmesh, which provides say, die, pick_jdk, needs_build, build, ensure_packages.

DEPLOY_ANSIBLE="$ROOT/deploy/ansible"
DEPLOY_TF_CHECK="$ROOT/deploy/terraform/check"
# Ports of this test (NGINX, API nodes, Redis, store), fixed: see docs/deploy.md.
DT_LB_PORT=28080
DT_API_PORTS=(28081 28082)
DT_REDIS_PORT=28379
DT_STORE_PORT=28390

dt_playbook() {
  # $1: log name, rest: ansible-playbook arguments. Prints each play and task as progress.
  local log="$DT_DIR/logs/$1.log"; shift
  (cd "$DEPLOY_ANSIBLE" && ANSIBLE_CONFIG="$DEPLOY_ANSIBLE/ansible.cfg" ANSIBLE_FORCE_COLOR=0 \
    ANSIBLE_LOCAL_TEMP="$DT_DIR/ansible-tmp" ANSIBLE_REMOTE_TEMP="$DT_DIR/ansible-tmp" \
    ansible-playbook -i "$DT_DIR/inventory.yml" "$@") >"$log" 2>&1 &
  DT_PLAYBOOK_PID=$!
  local last="" now
  while kill -0 "$DT_PLAYBOOK_PID" 2>/dev/null; do
    now="$(grep -E '^(PLAY|TASK) \[' "$log" | tail -n1 | sed -E 's/ \*+$//' || true)"
    if [[ -n "$now" && "$now" != "$last" ]]; then say "  $now"; last="$now"; fi
    sleep 1
  done
  local status=0
  wait "$DT_PLAYBOOK_PID" || status=$?
  DT_PLAYBOOK_PID=""
  ((status == 0)) || { tail -n 40 "$log" >&2; die "ansible-playbook failed; full log: $log"; }
}

# The PLAY RECAP's changed= of every host, as "host changed" lines.
dt_recap_changed() {
  sed -n '/^PLAY RECAP/,$p' "$DT_DIR/logs/$1.log" | awk '/ok=/ { for (i = 1; i <= NF; i++) if ($i ~ /^changed=/) { split($i, a, "="); print $1, a[2] } }'
}

dt_static_checks() {
  say "ansible-lint (production profile) over the playbooks and roles..."
  (cd "$DEPLOY_ANSIBLE" && ANSIBLE_CONFIG="$DEPLOY_ANSIBLE/ansible.cfg" ansible-lint -p --nocolor site.yml upgrade.yml) \
    || die "ansible-lint found problems (above); fix them in deploy/ansible/"
  local playbook out
  for playbook in "$DEPLOY_ANSIBLE"/*.yml; do
    out="$(cd "$DEPLOY_ANSIBLE" && ANSIBLE_CONFIG="$DEPLOY_ANSIBLE/ansible.cfg" \
      ansible-playbook -i inventories/production --syntax-check "$playbook" 2>&1)" \
      || { echo "$out" >&2; die "ansible-playbook --syntax-check failed for $playbook"; }
  done
  say "ansible-lint and --syntax-check passed"
  say "Terraform files: parse with @cdktf/hcl2json, layout as terraform fmt..."
  (cd "$DEPLOY_TF_CHECK" && npm ci --silent --no-audit --no-fund >/dev/null && node check.mjs ../gcp) \
    || die "the Terraform check failed (above); see deploy/terraform/check/check.mjs"
}

dt_write_inventory() {
  local redis_password="$1" n hosts=""
  for n in "${!DT_API_PORTS[@]}"; do
    hosts+="        api$((n + 1)): {taskmesh_root: $DT_DIR/hosts/api$((n + 1)), api_port: ${DT_API_PORTS[$n]}}"$'\n'
  done
  cat >"$DT_DIR/inventory.yml" <<YAML
# Written by ./taskmesh deploy-test (throw-away values; deleted with this directory).
all:
  vars:
    ansible_connection: local
    ansible_host: 127.0.0.1
    ansible_python_interpreter: /usr/bin/python3
    taskmesh_service_manager: supervisor
    common_hardening: false
    # The test installs these packages itself (ensure_packages); five "hosts" running apt on one
    # machine would only queue on its dpkg lock and change the package marks of a shared machine.
    taskmesh_install_packages: false
    taskmesh_jar: $DT_JAR
    taskmesh_redis_password: "$redis_password"
    api_create_user: false
    api_user: root
    api_java: $JAVA_HOME/bin/java
    api_java_opts: -Xms64m -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1
    api_mongodb_uri: mongodb://127.0.0.1:$DT_STORE_PORT
    api_environment: {TASKMESH_LOG_FORMAT: text}
    api_ready_timeout_s: 240
    embedded_store_java: $JAVA_HOME/bin/java
  children:
    embedded_store:
      hosts:
        store1: {taskmesh_root: $DT_DIR/hosts/store1, embedded_store_port: $DT_STORE_PORT}
    redis:
      hosts:
        redis1: {taskmesh_root: $DT_DIR/hosts/redis1, redis_port: $DT_REDIS_PORT, redis_maxmemory: 64mb}
    api:
      hosts:
$hosts    lb:
      hosts:
        lb1: {taskmesh_root: $DT_DIR/hosts/lb1, lb_listen_address: 127.0.0.1, lb_listen_port: $DT_LB_PORT}
YAML
}

# Stops the supervisords this test started (each stops its programs first), by their pid files.
dt_teardown() {
  local pidfile pid end
  if [[ -n "${DT_PLAYBOOK_PID:-}" ]]; then kill "$DT_PLAYBOOK_PID" 2>/dev/null; wait "$DT_PLAYBOOK_PID" 2>/dev/null; fi
  for pidfile in "$DT_DIR"/hosts/*/run/supervisor/supervisord.pid; do
    [[ -f "$pidfile" ]] || continue
    pid="$(cat "$pidfile")"
    kill -0 "$pid" 2>/dev/null || continue
    supervisorctl -c "${pidfile%/run/supervisor/supervisord.pid}/etc/supervisor/supervisord.conf" shutdown >/dev/null 2>&1 \
      || kill -TERM "$pid"
    end=$((SECONDS + 90))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < end)); do sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && { say "supervisord $pid did not stop in 90 s; killing it"; kill -KILL "$pid"; }
  done
  [[ -n "${DT_LOAD_PID:-}" ]] && kill "$DT_LOAD_PID" 2>/dev/null
  return 0
}

dt_on_exit() {
  local status=$?
  dt_teardown
  if ((status == 0)); then
    rm -rf "$DT_DIR"
  else
    say "deploy test FAILED; logs kept in $DT_DIR/logs (ansible runs) and $DT_DIR/hosts/*/var/log/taskmesh (services)"
  fi
}

cmd_deploy_test() {
  local start=$SECONDS
  say "deploy test: lint and syntax checks, Terraform check, then a real Ansible deployment on this"
  say "machine (NGINX :$DT_LB_PORT, API nodes :${DT_API_PORTS[*]}, Redis :$DT_REDIS_PORT, store :$DT_STORE_PORT; about 25 minutes on a busy 2-core machine)"
  ensure_packages ansible-playbook:ansible ansible-lint:ansible-lint nginx:nginx redis-server:redis-server \
    supervisord:supervisor curl:curl unzip:unzip node:nodejs npm:npm
  pick_jdk
  if needs_build; then build; fi
  dt_static_checks

  local port busy=()
  for port in "$DT_LB_PORT" "${DT_API_PORTS[@]}" "$DT_REDIS_PORT" "$DT_STORE_PORT"; do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && busy+=("$port")
  done
  ((${#busy[@]} == 0)) || die "ports in use: ${busy[*]}; stop what listens there (a previous deploy test? see /tmp/taskmesh-deploy-test.*)"

  DT_DIR="$(mktemp -d /tmp/taskmesh-deploy-test.XXXXXX)"
  chmod 755 "$DT_DIR"   # the redis user must reach its directories below
  mkdir -p "$DT_DIR/logs" "$DT_DIR/ansible-tmp" "$DT_DIR/jar"
  trap dt_on_exit EXIT
  # The nodes run a copy, so a rebuild meanwhile changes nothing under them.
  DT_JAR="$DT_DIR/jar/taskmesh-server.jar"
  cp "$JAR" "$DT_JAR"
  dt_write_inventory "$(openssl rand -hex 24)"

  say "site.yml, first run: store, Redis, ${#DT_API_PORTS[@]} API nodes, NGINX (logs: $DT_DIR/logs/site-1.log)"
  dt_playbook site-1 site.yml
  say "smoke test through NGINX: sign up, a list, three tasks"
  python3 "$DEPLOY_ANSIBLE/test/traffic.py" smoke "http://127.0.0.1:$DT_LB_PORT" >"$DT_DIR/logs/smoke.log" 2>&1 \
    || { cat "$DT_DIR/logs/smoke.log" >&2; die "smoke test failed"; }
  say "smoke test passed: $(tail -n1 "$DT_DIR/logs/smoke.log")"

  say "site.yml, second run: must change nothing"
  dt_playbook site-2 site.yml
  local changed
  changed="$(dt_recap_changed site-2 | awk '$2 != 0')"
  [[ -z "$(dt_recap_changed site-2)" ]] && die "no PLAY RECAP in $DT_DIR/logs/site-2.log"
  [[ -z "$changed" ]] || { grep -E '^changed:' -B3 "$DT_DIR/logs/site-2.log" >&2 || true
    die "the second site.yml run changed something: $changed (tasks above; log $DT_DIR/logs/site-2.log)"; }
  say "second run: changed=0 on every host"

  say "upgrade.yml under load: every API node gets a new jar, one at a time"
  local new_jar="$DT_DIR/jar/taskmesh-server-next.jar" n pids_before pids_after
  cp "$DT_JAR" "$new_jar"
  # A different checksum than the deployed jar, with the same classes: one more entry.
  python3 - "$new_jar" <<'PY'
import sys, time, zipfile
with zipfile.ZipFile(sys.argv[1], "a") as jar:
    jar.writestr("META-INF/taskmesh-deploy-test.txt", "next release %f\n" % time.time())
PY
  pids_before="$(dt_api_pids)"
  local stop_file="$DT_DIR/load.stop"
  python3 "$DEPLOY_ANSIBLE/test/traffic.py" load "http://127.0.0.1:$DT_LB_PORT" "$stop_file" >"$DT_DIR/logs/load.log" 2>&1 &
  DT_LOAD_PID=$!
  dt_playbook upgrade upgrade.yml -e "taskmesh_jar=$new_jar"
  touch "$stop_file"
  local load_status=0
  wait "$DT_LOAD_PID" || load_status=$?
  DT_LOAD_PID=""
  pids_after="$(dt_api_pids)"
  say "load during the upgrade: $(tail -n1 "$DT_DIR/logs/load.log")"
  ((load_status == 0)) || die "requests failed during the upgrade, or the load stopped (max 1800 s) before it ended (above; log $DT_DIR/logs/load.log, NGINX log in $DT_DIR/hosts/lb1/srv/nginx/logs)"
  local want
  want="$(sha256sum <"$new_jar" | cut -d' ' -f1)"
  for n in "${!DT_API_PORTS[@]}"; do
    [[ "$(sha256sum <"$DT_DIR/hosts/api$((n + 1))/opt/taskmesh/taskmesh-server.jar" | cut -d' ' -f1)" == "$want" ]] \
      || die "api$((n + 1)) does not have the new jar after upgrade.yml"
  done
  [[ -n "$(comm -12 <(echo "$pids_before" | sort) <(echo "$pids_after" | sort))" ]] \
    && die "an API node kept its process across the upgrade (pids before: $pids_before; after: $pids_after)"
  say "upgrade passed: every node runs the new jar (new processes), no request failed"
  say "tearing down (the supervisords this test started)..."
  dt_teardown
  say "deploy test passed in $((SECONDS - start)) s"
}

# The pid of every API node's JVM, one per line.
dt_api_pids() {
  local n
  for n in "${!DT_API_PORTS[@]}"; do
    supervisorctl -c "$DT_DIR/hosts/api$((n + 1))/etc/supervisor/supervisord.conf" pid taskmesh-api
  done
}
