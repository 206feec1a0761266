# shellcheck shell=bash
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
    jdk_install_hint >&2
    exit 1
  fi
  export JAVA_HOME="$best"
  export PATH="$JAVA_HOME/bin:$PATH"
}

# How to install a JDK >= 21 on this machine, checked against its package manager: the newest
# openjdk-NN-jdk-headless that apt can install here (Debian 13 ships 21 and 25), else Eclipse
# Temurin's apt repository (Debian 12 ships only 17), else the download page.
jdk_install_hint() {
  local major candidate codename
  if command -v apt-cache >/dev/null 2>&1; then
    for major in 25 21; do
      candidate="$(apt-cache policy "openjdk-${major}-jdk-headless" 2>/dev/null | awk '/Candidate:/ {print $2; exit}')"
      if [ -n "$candidate" ] && [ "$candidate" != "(none)" ]; then
        echo "engines: install one with: sudo apt-get install openjdk-${major}-jdk-headless   (or set JAVA_HOME to a JDK 21+)"
        return 0
      fi
    done
    codename="$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")"
    echo "engines: this system's packages offer no JDK 21+ (Debian 12 ships 17). Install Eclipse Temurin 25 from its apt repository:"
    echo "  sudo install -d /etc/apt/keyrings"
    echo "  curl -fsSL https://packages.adoptium.net/artifactory/api/gpg/key/public | sudo gpg --dearmor -o /etc/apt/keyrings/adoptium.gpg"
    echo "  echo \"deb [signed-by=/etc/apt/keyrings/adoptium.gpg] https://packages.adoptium.net/artifactory/deb ${codename:-<codename>} main\" | sudo tee /etc/apt/sources.list.d/adoptium.list"
    echo "  sudo apt-get update && sudo apt-get install temurin-25-jdk"
    echo "or set JAVA_HOME to a JDK 21+."
    return 0
  fi
  echo "engines: install a JDK 21+ (e.g. Eclipse Temurin 25 from https://adoptium.net/temurin/releases/) and set JAVA_HOME to it."
}

# set_dev_slots URL TENANT KEY: the explicit storage, nexus, session and vector slots of a new
# tenant's env dev, as the local profile offers them (filesystem backend, application-local.yml's
# caps, the engines.session bounds); the service has no default of its own.
set_dev_slots() {
  local url="$1" tenant="$2" key="$3" slot
  for slot in 'storage:{"backend":"filesystem","max_object_bytes":1073741824}' \
      'nexus:{"max_atoms_per_derivation":100000,"max_atom_text_chars":65536,"max_atomize_bytes":268435456}' \
      'session:{"default_ttl_seconds":3600,"max_ttl_seconds":86400,"max_turns":1000,"max_turn_chars":8000,"blackboard_max_bytes":65536,"blackboard_max_keys":100}' \
      'vector:{"max_dimension":4096,"ingest_gated":false}'; do
    curl -fsS -o /dev/null -X PUT -H "Authorization: Bearer $key" -H "X-Tenant-Id: $tenant" -H 'X-Env: dev' \
      -H 'Content-Type: application/json' -H 'If-Match: "0"' -d "${slot#*:}" "$url/v1/config/${slot%%:*}" || return 1
  done
}
