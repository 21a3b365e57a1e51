#!/usr/bin/env bash
# A private PostgreSQL server for the test suites and the benchmark: its own cluster folder, a free
# loopback port, its socket in the cluster folder, run as a non-root user (PostgreSQL refuses root:
# as root it runs as "postgres").
#
#   eval "$(scripts/pg-test-server.sh start)"   starts it (reusing the cluster of an earlier run) and
#                                               prints the export of TRIBUTARY_TEST_PG_URL
#   scripts/pg-test-server.sh stop               stops it (the cluster folder stays for the next run)
#   scripts/pg-test-server.sh url                prints the URL of the running server
#   scripts/pg-test-server.sh destroy            stops it and removes the cluster folder
#
# The folder is TRIBUTARY_PG_DIR, by default one per checkout under ${TMPDIR:-/tmp}. The URL names
# the superuser "tributary" with its password and the database "postgres":
#   postgresql://tributary:tributary-test@127.0.0.1:PORT/postgres
# Tests create and drop their own databases in it.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
checkout_id="$(printf '%s' "$repo" | sha1sum | cut -c1-8)"
dir="${TRIBUTARY_PG_DIR:-${TMPDIR:-/tmp}/tributary-pg-$checkout_id}"
data="$dir/data"
user=tributary
password=tributary-test

bindir=""
for candidate in /usr/lib/postgresql/*/bin; do
    [[ -x "$candidate/initdb" ]] && bindir="$candidate"
done
if [[ -z "$bindir" ]]; then
    echo "pg-test-server: PostgreSQL is not installed (apt-get install postgresql, or scripts/setup.sh --test)" >&2
    exit 1
fi

# Runs a command as the cluster's owner: ourselves, or "postgres" when we are root.
as_owner() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

running() {
    [[ -f "$data/postmaster.pid" ]] && as_owner "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1
}

print_url() {
    local port
    port="$(cat "$dir/port")"
    echo "export TRIBUTARY_TEST_PG_URL=postgresql://$user:$password@127.0.0.1:$port/postgres"
}

start() {
    if running; then
        print_url
        return
    fi
    mkdir -p "$dir"
    if [[ $(id -u) -eq 0 ]]; then
        chown postgres: "$dir"
        chmod 700 "$dir"
    fi
    if [[ ! -f "$data/PG_VERSION" ]]; then
        local pwfile="$dir/pwfile"
        echo "$password" >"$pwfile"
        [[ $(id -u) -eq 0 ]] && chown postgres: "$pwfile"
        as_owner "$bindir/initdb" -D "$data" -U "$user" --pwfile="$pwfile" -A scram-sha-256 -E UTF8 \
            --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
            cat "$dir/initdb.log" >&2
            exit 1
        }
        rm -f "$pwfile"
    fi
    local attempt port
    for attempt in $(seq 1 20); do
        port=$((20000 + RANDOM % 40000))
        port_in_use "$port" && continue
        if as_owner "$bindir/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 30 \
            -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories='$dir' -c max_connections=50" \
            start >/dev/null 2>&1; then
            echo "$port" >"$dir/port"
            print_url
            return
        fi
    done
    echo "pg-test-server: the server did not start; see $dir/server.log:" >&2
    tail -n 20 "$dir/server.log" >&2 || true
    exit 1
}

stop() {
    if running; then
        as_owner "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null
    fi
}

case "${1:-}" in
start) start ;;
stop) stop ;;
url)
    running || {
        echo "pg-test-server: not running" >&2
        exit 1
    }
    print_url
    ;;
destroy)
    stop
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start|stop|url|destroy" >&2
    exit 2
    ;;
esac
