# Sourced by ./chl, ./bench and .ci/run: exports JAVA_HOME pointing at a JDK >= 21.
# Prefers an existing JAVA_HOME when it is new enough, else the newest JDK under /usr/lib/jvm.
chl_java_major() { "$1/bin/java" -version 2>&1 | sed -nE 's/.*version "([0-9]+).*/\1/p' | head -1; }

chl_find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    local v; v=$(chl_java_major "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then echo "$JAVA_HOME"; return 0; fi
  fi
  local best="" best_v=0 dir v
  for dir in /usr/lib/jvm/*; do
    [ -x "$dir/bin/javac" ] || continue
    v=$(chl_java_major "$dir"); [ -n "$v" ] || continue
    if [ "$v" -ge 21 ] && [ "$v" -gt "$best_v" ]; then best="$dir"; best_v=$v; fi
  done
  if [ -z "$best" ]; then
    echo "no JDK 21 or newer found; install one (e.g. apt-get install openjdk-21-jdk) or set JAVA_HOME" >&2
    return 1
  fi
  echo "$best"
}

JAVA_HOME="$(chl_find_jdk)" || exit 1
export JAVA_HOME
export OPT_OUT_TRACKING=true
