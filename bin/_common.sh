# Shared by the scripts in bin/: builds the module's jars on first use (or when its sources changed) and runs
# one of its main classes on the JVM with the flags every launcher uses.
# Usage (from a script): . "$(dirname "$0")/_common.sh"; pen_run MODULE MAIN_CLASS "$@"

PEN_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

pen_build() {
    local module=$1 jar="$PEN_HOME/$1/target/$1-0.1.0-SNAPSHOT.jar" stamp="$PEN_HOME/$1/target/.built"
    # Rebuild only when the jar is missing or main sources or poms changed since the last build by a script.
    if [ ! -f "$jar" ] || [ ! -d "$PEN_HOME/$module/target/lib" ] || [ ! -f "$stamp" ] \
        || [ -n "$(find "$PEN_HOME"/pen-api/src/main "$PEN_HOME"/pen-netty/src/main "$PEN_HOME/$module/src/main" \
                   "$PEN_HOME"/pom.xml "$PEN_HOME"/*/pom.xml -newer "$stamp" -print -quit 2>/dev/null)" ]; then
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

pen_run() {
    local module=$1 main=$2
    shift 2
    pen_build "$module"
    local cp="$PEN_HOME/$module/target/$module-0.1.0-SNAPSHOT.jar:$PEN_HOME/$module/target/lib/*"
    exec "$(pen_java)" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC \
        -Xshare:auto ${PEN_JAVA_OPTS:-} -cp "$cp" "$main" "$@"
}
