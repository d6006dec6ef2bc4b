# shellcheck shell=bash
# What every bench/ script needs to run Portcullis: a Java 25 JDK, a portcullis.jar built from the current
# sources, and the JVM settings it is measured with. Source it after defining log() and die(), with $root set to
# the repository and $jar to portcullis-server/target/portcullis.jar.

# Portcullis runs pinned to one core, so:
# - ParallelGC: a stop-the-world young collector has the least overhead per request when there is no
#   spare core for a concurrent collector (ZGC/G1 concurrent threads would compete with the event loop);
#   with a small live set its young pauses measured about 0.7 ms here, once a second at ~20k req/s.
# - a fixed, pre-touched 512 MB heap: no heap resizing or page faults while measuring.
# - ActiveProcessorCount=1: the JVM and Netty size their thread pools (one event loop, one GC thread)
#   for the single core they get, even where the affinity mask is not honoured.
# - --sun-misc-unsafe-memory-access=allow: on Java 25 Netty turns its Unsafe buffer access off unless this
#   is given ("io.netty.noUnsafe=true by default on Java 25+"); every buffer byte then goes through
#   bounds- and scope-checked ByteBuffer calls, which JFR showed among the hottest frames. The gain
#   measured here is about 5% CPU per request (BENCHMARKS.md), close to this box's noise.
DEFAULT_JVM_FLAGS="-XX:+UseParallelGC -Xms512m -Xmx512m -XX:+AlwaysPreTouch -XX:ActiveProcessorCount=1"
DEFAULT_JVM_FLAGS+=" --sun-misc-unsafe-memory-access=allow"
JVM_FLAGS="${PORTCULLIS_JVM_FLAGS:-$DEFAULT_JVM_FLAGS} ${EXTRA_JVM_FLAGS:-}"

java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }

find_java() { # the same search as the ./portcullis launcher
  if [ -n "${JAVA_HOME:-}" ] && [ "$(java_major "$JAVA_HOME/bin/java" 2>/dev/null || echo 0)" -ge 25 ] 2>/dev/null; then
    echo "$JAVA_HOME/bin/java"; return
  fi
  # shellcheck disable=SC2012 # JDK directory names are plain
  for candidate in $(ls /usr/lib/jvm 2>/dev/null | sort -r); do
    if [ -x "/usr/lib/jvm/$candidate/bin/java" ] && [ "$(java_major "/usr/lib/jvm/$candidate/bin/java")" -ge 25 ] 2>/dev/null; then
      echo "/usr/lib/jvm/$candidate/bin/java"; return
    fi
  done
  if command -v java >/dev/null && [ "$(java_major java)" -ge 25 ] 2>/dev/null; then echo java; return; fi
  die "needs Java 25 or newer (set JAVA_HOME, or install one under /usr/lib/jvm)"
}

# Rebuilds $jar when it is missing or older than the sources (the same test as the ./portcullis launcher), so
# that a run never measures stale code.
build_if_stale() {
  local stale=yes
  if [ -f "$jar" ]; then
    stale="$(find "$root" \( -path '*/src/main/*' -o -name pom.xml \) -not -path '*/target/*' \
      -not -path '*/node_modules/*' -newer "$jar" -print -quit)"
  fi
  [ -n "$stale" ] || return 0
  log "building $jar (the first build downloads dependencies) ..."
  # Both jars go first: when portcullis-server's own classes are unchanged, the jar plugin keeps the old
  # (shaded) portcullis.jar as the module's jar, and shading it again keeps its stale copies of every other
  # module's classes over the fresh ones; only classes new since then would reach the run.
  rm -f "$jar" "$(dirname "$jar")/original-$(basename "$jar")"
  (cd "$root" && ./mvnw -q -B -DskipTests -pl portcullis-server -am package >&2)
}

JAVA="$(find_java)"
JDK_BIN="$(dirname "$(readlink -f "$(command -v "$JAVA")")")" # jcmd and jfr of the same JDK
