#!/usr/bin/env bash
# vrrp-lab.sh: two balancer hosts sharing a virtual address with VRRP (keepalived), built on one machine out of
# network namespaces, and a measurement of how long clients go unserved when the active balancer fails.
#
# usage: vrrp-lab.sh check                     can this machine run the lab? (status 77 and the reason if not)
#        vrrp-lab.sh up DIR                    build the lab; DIR keeps its configuration, logs and state
#        vrrp-lab.sh failover DIR stop|link|kill
#                                              fail the active balancer lb1, measure, then bring lb1 back
#        vrrp-lab.sh down DIR                  stop everything the lab started and remove its namespaces
#        vrrp-lab.sh measure [DIR [ROUNDS]]    up, ROUNDS (default 3) of each failover, down (also on failure)
#
# The lab, all on one bridge and in the documentation network 192.0.2.0/24 (RFC 5737):
#
#     client 192.0.2.10 ---+                   +--- lb1 192.0.2.11  keepalived priority 150 + bin/pen :8080
#                          |    bridge br0     |
#   backend1 192.0.2.21 ---+  (namespace sw)   +--- lb2 192.0.2.12  keepalived priority 100 + bin/pen :8080
#   backend2 192.0.2.22 ---+                        virtual address 192.0.2.100 on the one that is MASTER
#
# The backends are nginx, answering every request with their name; the client is vrrp-client.py.
#
# Each host is a network namespace named PREFIX-client, PREFIX-lb1, ...; PREFIX (VRRP_PREFIX, else one made up
# for this run and kept in DIR/prefix) keeps two labs, or a lab and the leftovers of another, apart.
#
# The failovers (each while the client sends a request every 20 ms to 192.0.2.100:8080):
#   stop  lb1's keepalived is stopped cleanly (TERM): it sends a last advertisement with priority 0, and lb2
#         takes over after its skew time, (256 - 100) / 256 s.
#   link  lb1's link to the bridge goes down: lb2 takes over once it missed 3 advertisements, plus its skew.
#   kill  lb1's bin/pen is killed (KILL): the vrrp_script (vrrp-check.sh) fails twice, lb1 goes to FAULT and
#         gives the address away.
# Then lb1 comes back (keepalived started again, link up with its balancer started afresh, balancer started
# again) and takes the address back, its priority being higher.
# Each prints one line: the longest time the client went without a successful request (gap_ms), the time from
# the failure to lb2's keepalived entering MASTER (keepalived_ms, from its notify script), the requests that
# failed, and the backend that served the client before and after.
#
# Settings (environment):
#   VRRP_PEN            the balancer (default: this checkout's bin/pen; /usr/bin/pen, Debian's pen, to compare)
#   VRRP_PEN_SELECTION  the selection flags, the same on both balancers (default '--strategy maglev' for bin/pen,
#                       -h for another VRRP_PEN: either way both choose the same backend for a client). With
#                       maglev, lb2 is given the backends in the reverse order, which Maglev does not depend on.
#   VRRP_CHECK          what the vrrp_script asks: control (the control port, default) or admin (--admin)
#   VRRP_PREFIX         the namespaces' prefix (letters, digits and -, at most 20 characters)
#   VRRP_INTERVAL_MS    the client's interval between requests (default 20)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
PEN=${VRRP_PEN:-$HERE/../../bin/pen}
if [ -n "${VRRP_PEN:-}" ]; then
    PEN_SELECTION=${VRRP_PEN_SELECTION--h}
else
    PEN_SELECTION=${VRRP_PEN_SELECTION---strategy maglev}
fi
CHECK=${VRRP_CHECK:-control}
INTERVAL_MS=${VRRP_INTERVAL_MS:-20}
# A request without its answer within this time failed: longer than an answer takes here (a few ms), shorter
# than the 1 s a lost SYN waits before the kernel sends it again.
TIMEOUT_MS=500
KEEPALIVED=$(command -v keepalived || echo /usr/sbin/keepalived)
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

NET=192.0.2
VIP=$NET.100
PORT=8080
CONTROL=127.0.0.1:10080
ADMIN=127.0.0.1:9100
declare -A ADDRESS=([client]=$NET.10 [lb1]=$NET.11 [lb2]=$NET.12 [backend1]=$NET.21 [backend2]=$NET.22)
declare -A PRIORITY=([lb1]=150 [lb2]=100)
declare -A PEER=([lb1]=lb2 [lb2]=lb1)
BACKENDS=("${ADDRESS[backend1]}:80" "${ADDRESS[backend2]}:80")

say() { echo "vrrp-lab.sh: $*" >&2; }
die() { say "$*"; exit 1; }
# The machine cannot run the lab: status 77, which tells a test to skip (or to fail where it must run).
cannot() { say "cannot run the lab here: $*"; exit 77; }

usage() {
    echo "usage: vrrp-lab.sh check | up DIR | failover DIR stop|link|kill | down DIR | measure [DIR [ROUNDS]]" >&2
    exit 2
}

# What to undo when the script ends, however it ends: the client of a measurement, and the lab itself when
# TEARDOWN is "always" (measure) or "on-failure" (while up builds it).
CLIENT="" TEARDOWN=""
on_exit() {
    local status=$?
    if [ -n "$CLIENT" ]; then
        kill "$CLIENT" 2>/dev/null || true
    fi
    if [ "$TEARDOWN" = always ] || { [ "$TEARDOWN" = on-failure ] && [ "$status" != 0 ]; }; then
        down
    fi
}
trap on_exit EXIT

# await WHAT SECONDS COMMAND...: runs COMMAND every 50 ms until it succeeds; fails naming WHAT after SECONDS.
await() {
    local what=$1 deadline=$((SECONDS + $2))
    shift 2
    until "$@"; do
        [ "$SECONDS" -lt "$deadline" ] || die "timed out waiting for $what"
        sleep 0.05
    done
}

ns() { echo "$P-$1"; }
lab_namespaces() { ip netns list | awk -v p="$P-" 'index($1, p) == 1 { print $1 }'; }
in_ns() { local host=$1; shift; ip netns exec "$(ns "$host")" "$@"; }

# ---------------------------------------------------------------------------------------------------------------
# check

check() {
    [ "$(id -u)" = 0 ] || cannot "network namespaces need root (CAP_SYS_ADMIN and CAP_NET_ADMIN); run as root"
    command -v ip >/dev/null || cannot "ip (iproute2) is not installed"
    [ -x "$KEEPALIVED" ] || cannot "keepalived is not installed (Debian: apt-get install keepalived)"
    [ -x "$NGINX" ] || cannot "nginx is not installed (the backends; Debian: apt-get install nginx-light)"
    command -v python3 >/dev/null || cannot "python3 is not installed (the client uses it)"
    command -v curl >/dev/null || cannot "curl is not installed"
    [ -x "$PEN" ] || cannot "no balancer at $PEN (expected bin/pen, or VRRP_PEN naming one)"
    local probe
    probe="vrrp-probe-$$-$RANDOM"
    ip netns add "$probe" 2>/dev/null || cannot "ip netns add fails here (no network namespaces)"
    if ! ip -n "$probe" link add name br0 type bridge 2>/dev/null \
            || ! ip -n "$probe" link add name vrrp-a type veth peer name vrrp-b 2>/dev/null; then
        ip netns del "$probe"
        cannot "no bridge or veth devices in a network namespace (kernel modules bridge and veth)"
    fi
    ip netns del "$probe"
}

# ---------------------------------------------------------------------------------------------------------------
# up

# The lab's directory, prefix and settings: DIR/prefix holds the prefix from `up` on, DIR/settings the settings
# `up` was given, so that `failover` starts lb1's programs again as they were.
open_lab() {
    [ -n "${1:-}" ] || usage
    DIR=$(cd "$1" && pwd) || die "no directory $1 (expected the lab's directory)"
    [ -f "$DIR/prefix" ] || die "no lab in $DIR (expected DIR/prefix, written by 'up')"
    P=$(cat "$DIR/prefix")
    # shellcheck source=/dev/null
    . "$DIR/settings"
}

# A host: a namespace with eth0 (the far end of a veth pair whose near end is a port of the bridge).
add_host() {
    local host=$1
    ip netns add "$(ns "$host")"
    ip -n "$(ns sw)" link add name "$host" type veth peer name eth0 netns "$(ns "$host")"
    ip -n "$(ns sw)" link set "$host" master br0 up
    ip -n "$(ns "$host")" link set lo up
    ip -n "$(ns "$host")" addr add "${ADDRESS[$host]}/24" dev eth0
    ip -n "$(ns "$host")" link set eth0 up
}

# A backend: nginx on port 80, answering every request with the backend's name. (Not a single-threaded server:
# one whose listen queue overflows drops connects, and pen rightly blacklists it and moves its clients.)
start_backend() {
    local host=$1
    mkdir -p "$DIR/$host/tmp"
    cat > "$DIR/$host/nginx.conf" <<EOF
worker_processes 1;
pid $DIR/$host/nginx.pid;
error_log $DIR/$host/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $DIR/$host/tmp;
    proxy_temp_path $DIR/$host/tmp;
    fastcgi_temp_path $DIR/$host/tmp;
    uwsgi_temp_path $DIR/$host/tmp;
    scgi_temp_path $DIR/$host/tmp;
    server {
        listen ${ADDRESS[$host]}:80 backlog=1024;
        default_type text/plain;
        location / { return 200 "$host\n"; }
    }
}
EOF
    setsid ip netns exec "$(ns "$host")" "$NGINX" -e "$DIR/$host/error.log" -c "$DIR/$host/nginx.conf" \
        -g 'daemon off;' </dev/null >"$DIR/$host/nginx.out" 2>&1 &
}

backend_serves() {
    [ "$(in_ns client curl -fsS --max-time 1 "http://${ADDRESS[$1]}/" 2>/dev/null)" = "$1" ]
}

# The balancer of host LB: in the background, listening on every address of the host (so also on the virtual
# address, whenever the host holds it), the backends in the same order on both hosts (with maglev, in the reverse
# order on lb2). Its control port (and admin
# listener) are on the host's loopback only, for the vrrp_script. As root pen opens its control port only with -u.
start_pen() {
    local lb=$1 admin=() backends=("${BACKENDS[@]}")
    [ "$CHECK" = admin ] && admin=(--admin "$ADMIN")
    if [[ "$lb" = lb2 && "$PEN_SELECTION" == *maglev* ]]; then
        backends=("${BACKENDS[1]}" "${BACKENDS[0]}")
    fi
    # shellcheck disable=SC2086 # the selection flags are words on purpose
    (cd "$DIR/$lb" && PEN_DEBUG_FILE="$DIR/$lb/pen-debug.log" in_ns "$lb" "$PEN" -u root -p "$DIR/$lb/pen.pid" \
        -C "$CONTROL" "${admin[@]}" $PEN_SELECTION "$PORT" "${backends[@]}" >"$DIR/$lb/pen.out" 2>&1) \
        || die "bin/pen did not start on $lb: $(cat "$DIR/$lb/pen.out")"
}

# keepalived.conf of host LB (shown in docs/SCALEOUT.md). Unicast advertisements to the peer, one a second;
# both hosts start as BACKUP and the higher priority wins; the vrrp_script takes the address from a host whose
# balancer does not answer. The notify script only records the times of the state changes, for the measurement.
write_keepalived_conf() {
    local lb=$1 check=$CONTROL
    [ "$CHECK" = admin ] && check=$ADMIN
    cat > "$DIR/$lb/notify.sh" <<EOF
#!/bin/sh
# keepalived calls this with: INSTANCE NAME STATE PRIORITY
echo "\$(date +%s.%N) \$3" >> "$DIR/$lb/states"
EOF
    chmod 755 "$DIR/$lb/notify.sh"
    cat > "$DIR/$lb/keepalived.conf" <<EOF
global_defs {
    router_id $lb
    script_user root
    enable_script_security
}

vrrp_script balancer_answers {
    script "$HERE/vrrp-check.sh $CHECK $check"
    interval 1
    timeout 2
    fall 2
    rise 2
}

vrrp_instance balancers {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority ${PRIORITY[$lb]}
    advert_int 1
    unicast_src_ip ${ADDRESS[$lb]}
    unicast_peer {
        ${ADDRESS[${PEER[$lb]}]}
    }
    virtual_ipaddress {
        $VIP/24 dev eth0
    }
    track_script {
        balancer_answers
    }
    notify $DIR/$lb/notify.sh
}
EOF
}

# keepalived in the foreground of its own session (so that its pid is known), VRRP only, logging to a file. Its
# pid files are the lab's, so that several keepalived run on one machine.
start_keepalived() {
    local lb=$1
    setsid ip netns exec "$(ns "$lb")" "$KEEPALIVED" --dont-fork --log-console --log-detail --vrrp \
        --use-file="$DIR/$lb/keepalived.conf" --pid="$DIR/$lb/keepalived.pid" --vrrp_pid="$DIR/$lb/vrrp.pid" \
        --checkers_pid="$DIR/$lb/checkers.pid" </dev/null >>"$DIR/$lb/keepalived.log" 2>&1 &
    echo $! > "$DIR/$lb/keepalived.main"
}

holds_vip() { ip -n "$(ns "$1")" -4 -o addr show dev eth0 | grep -qF " $VIP/"; }
last_state() { tail -n 1 "$DIR/$1/states" 2>/dev/null | cut -d' ' -f2; }

# The normal state: lb1 MASTER with the address, lb2 BACKUP without it, and the client served through it.
normal() {
    [ "$(last_state lb1)" = MASTER ] && [ "$(last_state lb2)" = BACKUP ] && holds_vip lb1 && ! holds_vip lb2 \
        && in_ns client curl -fsS --max-time 1 -o /dev/null "http://$VIP:$PORT/" 2>/dev/null
}

# The backends one balancer chooses for the client: 20 requests to the balancer's own address.
chosen_through() {
    local i
    for i in $(seq 20); do
        in_ns client curl -fsS --max-time 2 "http://${ADDRESS[$1]}:$PORT/" || echo "(failed)"
    done | sort -u | paste -sd, -
}

up() {
    [ -n "${1:-}" ] || usage
    check
    mkdir -p "$1"
    DIR=$(cd "$1" && pwd)
    [ ! -f "$DIR/prefix" ] || die "$DIR holds a lab already (run 'down $DIR' first)"
    P=${VRRP_PREFIX:-vrrp$$r$RANDOM}
    [[ $P =~ ^[A-Za-z0-9-]{1,20}$ ]] || die "prefix '$P' (expected letters, digits and -, at most 20 characters)"
    [ -z "$(lab_namespaces)" ] || die "namespaces named $P-* exist already (expected a prefix of its own)"
    case $CHECK in control|admin) ;; *) die "VRRP_CHECK '$CHECK' (expected control or admin)" ;; esac
    [[ $INTERVAL_MS =~ ^[1-9][0-9]{0,2}$ ]] || die "VRRP_INTERVAL_MS '$INTERVAL_MS' (expected 1 to 999)"
    echo "$P" > "$DIR/prefix"
    printf 'PEN=%q PEN_SELECTION=%q CHECK=%q INTERVAL_MS=%q\n' "$PEN" "$PEN_SELECTION" "$CHECK" "$INTERVAL_MS" \
        > "$DIR/settings"
    # Whatever goes wrong from here on, leave nothing behind.
    [ -n "$TEARDOWN" ] || TEARDOWN=on-failure

    # The switch: a namespace holding only the bridge; every host is one port.
    ip netns add "$(ns sw)"
    ip -n "$(ns sw)" link add name br0 type bridge
    ip -n "$(ns sw)" link set br0 up
    local host
    for host in client lb1 lb2 backend1 backend2; do
        add_host "$host"
        mkdir -p "$DIR/$host"
    done

    for host in backend1 backend2; do
        start_backend "$host"
    done
    await "the backends" 20 backend_serves backend1
    await "the backends" 20 backend_serves backend2

    # Both balancers at once: each JVM takes a second or two to start.
    start_pen lb1 &
    local first=$!
    start_pen lb2
    wait "$first"

    # Both balancers must choose the same backend for the client, or it changes backend when the address moves.
    local one two
    one=$(chosen_through lb1)
    two=$(chosen_through lb2)
    say "client ${ADDRESS[client]}: through lb1 to $one, through lb2 to $two"
    [[ $one != *,* && $one != "(failed)" && $one = "$two" ]] \
        || die "the balancers do not each send the client to one and the same backend (VRRP_PEN_SELECTION='$PEN_SELECTION'; expected a deterministic strategy such as -h)"

    for host in lb1 lb2; do
        write_keepalived_conf "$host"
        start_keepalived "$host"
    done
    await "lb1 to hold the virtual address $VIP" 30 normal
    [ "$TEARDOWN" != on-failure ] || TEARDOWN=""
    say "up: lab $P in $DIR; lb1 holds $VIP"
}

# ---------------------------------------------------------------------------------------------------------------
# failover

# Successful requests of the client log FILE that started after time T (seconds since the epoch).
served_after() {
    awk -v t="$2" '$3 == "ok" && $1 > t { n++ } END { print n + 0 }' "$1"
}

lb2_master_after() {
    awk -v t="$1" '$2 == "MASTER" && $1 > t { print $1; exit }' "$DIR/lb2/states" 2>/dev/null
}

failover() {
    local mode=${1:-}
    case $mode in stop|link|kill) ;; *) usage ;; esac
    await "the lab's normal state (lb1 MASTER)" 30 normal

    # The client, sending a request every INTERVAL_MS; stopped however this ends. (Not through in_ns: a function
    # in the background is a subshell of its own, whose pid is not the client's.)
    local log
    log="$DIR/client-$mode-$(date +%s%N).log"
    : > "$log"
    ip netns exec "$(ns client)" python3 "$HERE/vrrp-client.py" "$VIP" "$PORT" "$INTERVAL_MS" "$TIMEOUT_MS" \
        </dev/null >"$log" 2>"$log.err" &
    CLIENT=$!
    await "the client's first requests to be served" 20 eval '[ "$(served_after "$log" 0)" -ge 20 ]'

    # The failure, and its time.
    local failed_at=$EPOCHREALTIME
    case $mode in
        stop) kill -TERM "$(cat "$DIR/lb1/keepalived.pid")" ;;
        link) ip -n "$(ns sw)" link set lb1 down ;;
        kill) kill -KILL "$(cat "$DIR/lb1/pen.pid")" ;;
    esac

    # lb2 takes over; the client is served again for a while (25 requests after lb2 became MASTER).
    await "lb2 to become MASTER" 30 eval '[ -n "$(lb2_master_after "$failed_at")" ]'
    local master_at
    master_at=$(lb2_master_after "$failed_at")
    await "the client to be served through lb2" 30 eval '[ "$(served_after "$log" "$master_at")" -ge 25 ]'
    kill "$CLIENT"
    wait "$CLIENT" 2>/dev/null || true
    CLIENT=""

    # The longest time between the starts of two successful requests, and who served before and after it.
    sort -n "$log" | awk -v failed="$failed_at" -v master="$master_at" -v mode="$mode" '
        $3 == "fail" { failures++ }
        $3 != "ok" { next }
        { seen[$4] = 1 }
        previous != "" && $1 - previous > gap { gap = $1 - previous; before = previous_backend; after = $4 }
        { previous = $1; previous_backend = $4 }
        END {
            for (b in seen) backends = backends (backends == "" ? "" : ",") b
            printf "failover=%s gap_ms=%d keepalived_ms=%d failed=%d before=%s after=%s backends=%s\n",
                mode, gap * 1000 + 0.5, (master - failed) * 1000 + 0.5, failures, before, after, backends
        }'

    # lb1 back as it was; it takes the address back (its priority is higher). After a link failure its balancer
    # is started afresh, before the link comes back: a connection it had accepted just before the cut failed to
    # reach the backends, so it blacklisted them and remembered the client with the last one it tried, and would
    # send the client elsewhere than lb2 does (docs/SCALEOUT.md). Without its balancer lb1 stays in FAULT.
    case $mode in
        stop) start_keepalived lb1 ;;
        link)
            kill -TERM "$(cat "$DIR/lb1/pen.pid")"
            await "lb1's balancer to stop" 20 eval '[ ! -f "$DIR/lb1/pen.pid" ]'
            ip -n "$(ns sw)" link set lb1 up
            start_pen lb1
            ;;
        kill) start_pen lb1 ;;
    esac
    await "lb1 to take the virtual address back" 30 normal
}

# ---------------------------------------------------------------------------------------------------------------
# down

# Every process in the lab's namespaces gets TERM (keepalived gives the address up, pen closes), then KILL after
# 10 s; then the namespaces go. Only the lab's namespaces are touched, found by their prefix.
down() {
    local namespaces n pids deadline
    namespaces=$(lab_namespaces)
    pids=$(for n in $namespaces; do ip netns pids "$n"; done)
    if [ -n "$pids" ]; then
        # shellcheck disable=SC2086
        kill -TERM $pids 2>/dev/null || true
        deadline=$((SECONDS + 10))
        while [ -n "$(for n in $namespaces; do ip netns pids "$n"; done)" ] && [ "$SECONDS" -lt "$deadline" ]; do
            sleep 0.05
        done
        pids=$(for n in $namespaces; do ip netns pids "$n"; done)
        # shellcheck disable=SC2086
        [ -z "$pids" ] || kill -KILL $pids 2>/dev/null || true
    fi
    for n in $namespaces; do
        ip netns del "$n"
    done
    rm -f "$DIR/prefix" "$DIR/settings"
    say "down: lab $P removed"
}

# ---------------------------------------------------------------------------------------------------------------
# measure

measure() {
    local dir=${1:-} rounds=${2:-3} round mode
    [[ $rounds =~ ^[1-9][0-9]?$ ]] || die "rounds '$rounds' (expected a number from 1 to 99)"
    [ -n "$dir" ] || dir=$(mktemp -d "${TMPDIR:-/tmp}/vrrp-lab.XXXXXX")
    TEARDOWN=always
    up "$dir"
    for round in $(seq "$rounds"); do
        for mode in stop link kill; do
            failover "$mode"
        done
    done
    say "logs in $DIR"
}

case ${1:-} in
    check) check ;;
    up) up "${2:-}" ;;
    failover) open_lab "${2:-}"; failover "${3:-}" ;;
    down) open_lab "${2:-}"; down ;;
    measure) measure "${2:-}" "${3:-}" ;;
    *) usage ;;
esac
