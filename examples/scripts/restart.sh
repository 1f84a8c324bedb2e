#!/usr/bin/env bash
# restart.sh PIDFILE PORT PEN_ARGUMENTS...
#
# Restarts (or upgrades) a running bin/pen without refusing or dropping a client: starts a new balancer with
# PEN_ARGUMENTS beside the one whose pid PIDFILE holds, waits until the new one listens on PORT too, then sends the
# old one TERM. The old one closes its listener and control port at once, lets its open connections finish for up
# to its --grace, and leaves the pid file to the new one.
#
# PEN_ARGUMENTS are the new balancer's whole command line, with --reuseport, --grace T and -p PIDFILE, as the old
# one was started (the old one needs --reuseport and --grace too). To upgrade, point PEN at the new build's
# bin/pen. The new one waits for the old one's control port (-C) and admin port (--admin) for its grace plus 5 s.
#
# Linux resets the connections still queued on a listener that closes, unless net.ipv4.tcp_migrate_req is 1
# (Linux 5.14 and later); this script sets it when it may (as root) and warns when it is off.
#
# Exit status: the new balancer's start status (0 when it serves; the old one is then stopping), or 1 on bad use.
set -euo pipefail

if [ $# -lt 3 ]; then
    echo "usage: restart.sh PIDFILE PORT PEN_ARGUMENTS..." >&2
    exit 1
fi
pidfile=$1 port=$2
shift 2
case $port in
    ''|*[!0-9]*) echo "restart.sh: port '$port' is not a number (expected the balancer's listen port)" >&2; exit 1 ;;
esac
pen=${PEN:-$(cd "$(dirname "$0")/../.." && pwd)/bin/pen}
if ! old=$(cat "$pidfile" 2>/dev/null) || ! kill -0 "$old" 2>/dev/null; then
    echo "restart.sh: no running balancer in $pidfile (expected the pid of the balancer to replace)" >&2
    exit 1
fi

migrate=/proc/sys/net/ipv4/tcp_migrate_req
if [ "$(cat "$migrate" 2>/dev/null || echo missing)" != 1 ]; then
    sysctl -qw net.ipv4.tcp_migrate_req=1 2>/dev/null || true
    if [ "$(cat "$migrate" 2>/dev/null || echo missing)" != 1 ]; then
        echo "restart.sh: warning: net.ipv4.tcp_migrate_req is not 1: clients queued on the old listener when it" \
            "closes are reset (as root: sysctl -w net.ipv4.tcp_migrate_req=1)" >&2
    fi
fi

listeners() {
    ss -Hltn "sport = :$port" | wc -l
}
before=$(listeners)

# The new balancer goes to the background once it serves; with -C it serves once the old one let go of the
# control port, so it is started in the background here and the old one stopped as soon as it listens.
"$pen" "$@" &
starter=$!
deadline=$((SECONDS + 60))
while [ "$(listeners)" -le "$before" ]; do
    if ! kill -0 "$starter" 2>/dev/null; then
        status=0
        wait "$starter" || status=$?
        if [ "$status" != 0 ]; then
            echo "restart.sh: the new balancer did not start (status $status); pid $old serves on" >&2
            exit "$status"
        fi
        break
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
        echo "restart.sh: the new balancer does not listen on port $port after 60 s; pid $old serves on" >&2
        kill -TERM "$starter" 2>/dev/null || true
        exit 1
    fi
    sleep 0.05
done

kill -TERM "$old"
status=0
wait "$starter" || status=$?
if [ "$status" = 0 ]; then
    echo "restart.sh: pid $(cat "$pidfile") serves port $port; pid $old is finishing its connections"
fi
exit "$status"
