# Shared by the scripts: find the repository and make sure the machine has what the engine needs.
# Sourced, not run.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/target/isometry.jar"

# ensure_command COMMAND DEBIAN_PACKAGE: installs the package when the command is missing and we may.
# COMMAND may be an absolute path, when that very file is needed.
ensure_command() {
  local command="$1" package="$2"
  if [ -x "$command" ] || { [[ "$command" != /* ]] && command -v "$command" >/dev/null 2>&1; }; then
    return 0
  fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "isometry: installing $package (for $command)" >&2
    if [ -z "${ISOMETRY_APT_UPDATED:-}" ]; then
      DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
      ISOMETRY_APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null
  else
    echo "isometry: '$command' is missing; install the Debian package '$package'" >&2
    return 1
  fi
}

# Java 17 and Maven build and run the engine; bubblewrap is the sandbox every child runs in
# (sandbox.mode auto runs children unconfined without it, with a warning; required refuses to start).
ensure_engine_tools() {
  ensure_command java openjdk-17-jdk-headless
  ensure_command mvn maven
  ensure_command bwrap bubblewrap
}

# Builds the jar when it is missing or older than any source, the pom or the defaults.
ensure_jar() {
  if [ -f "$JAR" ] && [ -z "$(find "$ROOT/src/main" "$ROOT/src/server" "$ROOT/pom.xml" "$ROOT/conf" -newer "$JAR" -print -quit)" ]; then
    return 0
  fi
  echo "isometry: building $JAR" >&2
  (cd "$ROOT" && mvn -B -q -DskipTests package)
}
