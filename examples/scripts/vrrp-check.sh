#!/usr/bin/env bash
# vrrp-check.sh control HOST:PORT
# vrrp-check.sh admin HOST:PORT
#
# keepalived's vrrp_script for a host running bin/pen: exits 0 while the balancer answers, 1 otherwise, so that
# keepalived gives the virtual address away from a host whose balancer is up but cannot serve (killed, hung, out
# of memory) and not only from a host that is down.
#
# - control: asks pen's control port (-C HOST:PORT) for `servers` and expects at least one server line
#   (`0 addr ... port ...`) within 1 s. The exchange is done by bash itself (/dev/tcp), not by bin/penctl, which
#   starts a JVM at every call; Debian's penctl would do as well: `penctl HOST:PORT servers`.
# - admin: asks the admin listener (--admin HOST:PORT) for /status.json within 1 s and expects its "servers".
#
# A balancer that is killed refuses the connection at once; one that is stopped or hung accepts it in the kernel
# and answers nothing, which the 1 s limit turns into a failure (give keepalived's `timeout` more than that).
set -euo pipefail

if [ $# -ne 2 ] || [[ $2 != *:* ]]; then
    echo "usage: vrrp-check.sh control|admin HOST:PORT" >&2
    exit 2
fi
kind=$1 host=${2%:*} port=${2##*:}
case $port in
    ''|*[!0-9]*) echo "vrrp-check.sh: port '$port' is not a number (expected HOST:PORT)" >&2; exit 2 ;;
esac

case $kind in
    control)
        # One command per connection: pen answers and closes. A refused connection fails the redirection.
        { exec 3<>"/dev/tcp/$host/$port"; } 2>/dev/null || exit 1
        printf 'servers\n' >&3
        IFS= read -r -t 1 line <&3 || exit 1
        exec 3<&-
        [[ $line =~ ^[0-9]+\ addr\ .*\ port\ [0-9]+ ]]
        ;;
    admin)
        curl -fsS --max-time 1 "http://$host:$port/status.json" | grep -q '"servers"'
        ;;
    *)
        echo "vrrp-check.sh: unknown check '$kind' (expected control or admin)" >&2
        exit 2
        ;;
esac
