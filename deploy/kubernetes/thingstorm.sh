#!/bin/sh
# The container's thingstorm: java with JAVA_OPTS, and a second C2 compiler thread where HotSpot
# would start one (under 4 cores, the pod's CPU limit counted), as bin/thingstorm has it (see there).
cores=$(nproc)
if read -r quota period 2>/dev/null </sys/fs/cgroup/cpu.max && [ "$quota" != max ]; then
  limit=$(( (quota + period - 1) / period ))
  [ "$limit" -lt "$cores" ] && cores=$limit
fi
[ "$cores" -lt 4 ] && JAVA_OPTS="-XX:CICompilerCount=3 $JAVA_OPTS"
exec java $JAVA_OPTS -jar /opt/thingstorm/thingstorm.jar "$@"
