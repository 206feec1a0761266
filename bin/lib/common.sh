# Shared shell helpers for bin/engines. Sourced, not executed.

# Picks a JDK >= 21: JAVA_HOME when it qualifies, else the newest under /usr/lib/jvm.
# Fails with a clear message when none exists, because the default java on these machines is 17.
select_jdk() {
  local candidate version best="" best_version=0
  java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1; }
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    version="$(java_major "$JAVA_HOME")"
    if [ "${version:-0}" -ge 21 ]; then export JAVA_HOME; export PATH="$JAVA_HOME/bin:$PATH"; return 0; fi
  fi
  for candidate in /usr/lib/jvm/*; do
    [ -x "$candidate/bin/javac" ] || continue
    version="$(java_major "$candidate")"
    if [ "${version:-0}" -ge 21 ] && [ "$version" -gt "$best_version" ]; then best="$candidate"; best_version="$version"; fi
  done
  if [ -z "$best" ]; then
    echo "engines: no JDK 21 or newer found (JAVA_HOME=${JAVA_HOME:-unset}; looked in /usr/lib/jvm)." >&2
    echo "engines: install one, e.g. 'apt-get install openjdk-21-jdk-headless' or Temurin 25, or set JAVA_HOME." >&2
    exit 1
  fi
  export JAVA_HOME="$best"
  export PATH="$JAVA_HOME/bin:$PATH"
}
