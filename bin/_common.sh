# Shared by the scripts in bin/: runs one of the programs' main classes on the JVM with the flags every launcher
# uses. In an installed distribution (bin/ beside lib/, which holds every jar) nothing is built and nothing is
# written beside the scripts; in a source checkout each module's jars are built on first use (or when its sources
# changed).
# Usage (from a script): . "$(dirname "$0")/_common.sh"; pen_run MODULE MAIN_CLASS "$@"
# A script that must do more than exec the JVM calls pen_command MODULE MAIN_CLASS and runs "${PEN_CMD[@]}".
# Setting PEN_CDS_TRAINING to a main class of the module turns on class-data sharing (see pen_cds_flags), and
# PEN_BALANCER=1 the balancer's memory settings (see pen_balancer_flags).
# pen_options reads a command line as getopt does; pen_background starts a program in the background and waits
# until it is serving.

PEN_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# True in an installed distribution, false in a source checkout.
pen_installed() {
    [ -d "$PEN_HOME/lib" ] && [ ! -f "$PEN_HOME/pom.xml" ]
}

# The project's version as the parent pom names it (source checkout).
pen_version() {
    sed -n '/<artifactId>pen-parent<\/artifactId>/{n;s/.*<version>\(.*\)<\/version>.*/\1/p;q;}' "$PEN_HOME/pom.xml"
}

# The jar of MODULE.
pen_jar() {
    if pen_installed; then
        local jars=("$PEN_HOME/lib/$1"-[0-9]*.jar)
        echo "${jars[0]}"
    else
        echo "$PEN_HOME/$1/target/$1-$(pen_version).jar"
    fi
}

pen_build() {
    pen_installed && return 0
    local module=$1 jar stamp="$PEN_HOME/$1/target/.built"
    jar=$(pen_jar "$module")
    # Rebuild only when the jar is missing or main sources or poms changed since the last build by a script
    # or since Maven last packaged the jar, whichever is later: a test run after "mvn package" builds nothing.
    local since=$stamp
    { [ -f "$stamp" ] && [ ! "$jar" -nt "$stamp" ]; } || since=$jar
    if [ ! -f "$jar" ] || [ ! -d "$PEN_HOME/$module/target/lib" ] \
        || [ -n "$(find "$PEN_HOME"/pen-api/src/main "$PEN_HOME"/pen-netty/src/main "$PEN_HOME/$module/src/main" \
                   "$PEN_HOME"/pom.xml "$PEN_HOME"/*/pom.xml -newer "$since" -print -quit 2>/dev/null)" ]; then
        echo "building $module (first use or sources changed)..." >&2
        (cd "$PEN_HOME" && mvn -B -q -DskipTests -pl "$module" -am package >&2) || {
            echo "build of $module failed; run 'mvn -B -pl $module -am package' in $PEN_HOME for details" >&2
            exit 1
        }
        touch "$stamp"
    fi
}

pen_java() {
    local java=java
    [ -n "${JAVA_HOME:-}" ] && java="$JAVA_HOME/bin/java"
    echo "$java"
}

# The folder that keeps what a JVM learns about MODULE on its first start (pen_cds_flags, pen_balancer_flags):
# MODULE/target/cds/ in a source checkout; in an installed distribution, whose folder may be read-only, the user's
# cache folder (${XDG_CACHE_HOME:-$HOME/.cache}/pen/), named after the install folder and its jars (names, sizes,
# times) so that an installation replaced in place gets one of its own: the unpacked jars keep the build's
# reproducible time, never newer. Empty when there is nowhere to keep it.
pen_cache_dir() {
    local module=$1
    if pen_installed; then
        [ -n "${XDG_CACHE_HOME:-}" ] || [ -n "${HOME:-}" ] || return 0
        echo "${XDG_CACHE_HOME:-$HOME/.cache}/pen/$({ printf '%s\n' "$PEN_HOME"; ls -l "$PEN_HOME/lib"; } \
            | cksum | cut -d' ' -f1)-$module"
    else
        echo "$PEN_HOME/$module/target/cds"
    fi
}

# Class-data sharing: an archive of the classes a program loads at start-up, mapped into memory instead of
# loaded and verified one by one, takes a good part off the JVM's start-up. The archive is made once per JVM and
# module by a short training run of the class named in PEN_CDS_TRAINING, kept in DIR (pen_cache_dir), and made again
# when the module's jar is newer (in a source checkout) or the jars change (installed). Anything going wrong only
# means starting without it; PEN_CDS=off turns it off.
pen_cds_flags() {
    local module=$1 java=$2 cp=$3 dir=$4 training=${PEN_CDS_TRAINING:-}
    [ -n "$training" ] && [ "${PEN_CDS:-on}" != off ] && [ -n "$dir" ] || return 0
    local jar real id jsa tmp
    jar=$(pen_jar "$module")
    real=$(readlink -f "$(command -v "$java")" 2>/dev/null) || return 0
    id=${real//[^A-Za-z0-9._-]/_}
    jsa="$dir/$id.jsa"
    if [ ! -f "$jsa" ] || [ "$jar" -nt "$jsa" ]; then
        mkdir -p "$dir" 2>/dev/null || return 0
        tmp="$jsa.$$.tmp"
        if "$java" -XX:ArchiveClassesAtExit="$tmp" -Xlog:cds=off -Xlog:cds+dynamic=off \
                --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -cp "$cp" "$training" >/dev/null 2>&1 \
                && [ -s "$tmp" ]; then
            mv -f "$tmp" "$jsa"
        else
            rm -f "$tmp"
        fi
    fi
    [ -f "$jsa" ] && echo "-XX:SharedArchiveFile=$jsa -Xlog:cds=off -Xlog:cds+dynamic=off"
}

# The balancer's memory settings (bin/pen sets PEN_BALANCER=1; docs/PERFORMANCE.md, "Footprint", has the figures):
# - a heap that starts at 8 MiB and grows with what the balancer holds (the JVM would start it at 1/64 of the
#   machine's memory and touch all of its young generation within seconds), up to 512 MiB: about 3 KiB a connection,
#   so 20,000 connections take some 60 MiB; a larger farm raises it with PEN_JAVA_OPTS=-Xmx...;
# - a young generation of at most 8 MiB: the relay allocates a few hundred bytes a request, so young collections stay
#   rare and short, and their space is not worth keeping resident;
# - the C heap given back to the system every 2 s (-XX:TrimNativeHeapInterval): the JIT compiler's working memory,
#   up to about 20 MiB while it compiles, otherwise stays with the process. The flag came with later updates of
#   JDK 17 and 21: it is passed only when the JVM's library names it, so an older JVM still starts.
pen_balancer_flags() {
    local java=$1 dir=$2 real lib cache
    echo "-Xms8m -Xmx512m -XX:MaxNewSize=8m"
    real=$(readlink -f "$(command -v "$java")" 2>/dev/null) || return 0
    # Reading libjvm.so takes some 25 ms, a tenth of the start-up: the answer is kept beside the class-data archive
    # (pen_cds_flags), named after the JVM's path and made again when its library changes.
    lib="${real%/*/*}/lib/server/libjvm.so"
    cache="$dir/${real//[^A-Za-z0-9._-]/_}.trim"
    if [ -n "$dir" ] && [ -f "$cache" ] && [ ! "$lib" -nt "$cache" ]; then
        cat "$cache"
        return 0
    fi
    local flags=""
    if grep -qF TrimNativeHeapInterval "$lib" 2>/dev/null; then
        flags="-XX:+UnlockExperimentalVMOptions -XX:TrimNativeHeapInterval=2000"
    fi
    [ -n "$dir" ] && mkdir -p "$dir" 2>/dev/null && printf '%s\n' "$flags" > "$cache" 2>/dev/null
    [ -n "$flags" ] && echo "$flags"
    return 0
}

# Sets PEN_CMD to the command that runs MAIN_CLASS of MODULE (building it first if needed).
pen_command() {
    local module=$1 main=$2
    pen_build "$module"
    local cp
    if pen_installed; then
        cp="$PEN_HOME/lib/*"
    else
        cp="$(pen_jar "$module"):$PEN_HOME/$module/target/lib/*"
    fi
    local java dir cds memory=""
    java=$(pen_java)
    dir=$(pen_cache_dir "$module")
    cds=$(pen_cds_flags "$module" "$java" "$cp" "$dir")
    [ -n "${PEN_BALANCER:-}" ] && memory=$(pen_balancer_flags "$java" "$dir")
    # shellcheck disable=SC2206 # the flags are words on purpose
    # Netty's leak detector samples buffers by wrapping them, which costs the relay on every read; tests turn
    # it on at its strictest, a running balancer does without. A JVM out of memory exits (status 3) rather than
    # carry on with threads that died half-way. PEN_JAVA_OPTS comes last, so it can override.
    PEN_CMD=("$java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Xshare:auto -XX:+ExitOnOutOfMemoryError $cds
        $memory -Dio.netty.leakDetection.level=disabled ${PEN_JAVA_OPTS:-}
        -cp "$cp" "$main")
}

pen_run() {
    local module=$1 main=$2
    shift 2
    pen_command "$module" "$main"
    exec "${PEN_CMD[@]}" "$@"
}

# pen_options OPTSTRING ARGS...: reads ARGS as glibc's getopt does (options after operands too, "--" ends them)
# and sets PEN_OPT_x for each letter x found: its argument, or 1 for a flag. Long options (--name, --name=value) are
# skipped; the value of one given in the next word is taken for an operand, so it must not look like an option
# (or be written --name=value). Bad options are left to the program, which reports them.
pen_options() {
    local optstring=":$1" OPTIND=1 OPTARG opt n
    shift
    n=$#
    unset "${!PEN_OPT_@}"
    while ((OPTIND <= n)); do
        case ${!OPTIND} in
            --) return ;;
            --?*) OPTIND=$((OPTIND + 1)); continue ;;
        esac
        if getopts "$optstring" opt; then
            case $opt in
                [A-Za-z]) printf -v "PEN_OPT_$opt" '%s' "${OPTARG:-1}" ;;
            esac
        else
            OPTIND=$((OPTIND + 1))
        fi
    done
}

# pen_background OWNER COMMAND...: goes to the background the way a daemon forks, for a JVM that cannot. COMMAND
# runs in a new session (setsid), stdin from /dev/null, working directory unchanged, its output captured, with
# PEN_READY_FILE naming a file it writes once it is serving (its arguments good, its sockets bound). Waits until the
# file is written or COMMAND exits, then prints what COMMAND printed so far (stdout and stderr). Returns 0 when it is
# serving, leaving it running; else its exit status, leaving nothing running. OWNER (user:group, or empty) owns the
# directory of the ready file, for a COMMAND that runs as another user.
pen_background() {
    local owner=$1 start pid
    shift
    start=$(mktemp -d "${TMPDIR:-/tmp}/pen-start.XXXXXX") || return 1
    # The trap runs when the script exits, after this function's locals are gone: it gets the name now.
    # shellcheck disable=SC2064
    trap "rm -rf '$start'" EXIT
    [ -n "$owner" ] && chown "$owner" "$start"
    PEN_READY_FILE="$start/ready" setsid "$@" </dev/null >"$start/out" 2>"$start/err" &
    pid=$!
    while [ ! -f "$start/ready" ] && pen_running "$pid"; do
        sleep 0.01
    done
    cat "$start/out"
    cat "$start/err" >&2
    [ -f "$start/ready" ] && return 0
    wait "$pid"
}

# True while process PID exists and is not a zombie.
pen_running() {
    local state
    state=$(cut -d')' -f2 "/proc/$1/stat" 2>/dev/null | cut -d' ' -f2) || return 1
    [ -n "$state" ] && [ "$state" != Z ]
}
