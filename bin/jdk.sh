# Sourced by bin/thingstorm and bin/test: sets JAVA_HOME to a JDK 21 or newer.
# Order: $JAVA_HOME, `java` on the PATH, then the JDKs under /usr/lib/jvm, newest first.

thingstorm_java_major() { # prints the feature version of the java binary $1, or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9.]*\).*/\1/p' | sed 's/^1\.//' | head -n1
}

thingstorm_find_jdk() {
  local candidates=() c major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    c=$(readlink -f "$(command -v java)"); candidates+=("${c%/bin/java}")
  fi
  if [ -d /usr/lib/jvm ]; then
    while IFS= read -r c; do candidates+=("$c"); done < <(ls -d /usr/lib/jvm/*/ 2>/dev/null | sed 's:/$::' | sort -t- -k2 -V -r)
  fi
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    major=$(thingstorm_java_major "$c/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME="$c"
      export THINGSTORM_JAVA_MAJOR="$major"
      # Maven's own Guava warns about sun.misc.Unsafe on JDK 24+; the flag only exists there.
      if [ "$major" -ge 24 ]; then
        case "${MAVEN_OPTS:-}" in *sun-misc-unsafe*) ;; *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;; esac
      fi
      return 0
    fi
  done
  echo "thingstorm: needs a JDK 21 or newer; none found in JAVA_HOME, on the PATH or under /usr/lib/jvm (install one: apt-get install openjdk-21-jdk-headless, or set JAVA_HOME)" >&2
  return 1
}

thingstorm_need_maven() {
  command -v mvn >/dev/null 2>&1 && return 0
  echo "thingstorm: needs Apache Maven to build itself (install it: apt-get install maven)" >&2
  return 1
}
