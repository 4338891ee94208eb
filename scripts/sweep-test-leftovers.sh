#!/usr/bin/env bash
# Removes what a killed test or bench run may have left behind. Everything the tests and
# benchmarks make carries the prefix "nsat" (named stacks, links) or lives under
# /tmp/nsatlas-* (pins, fixtures); their processes run with NSATLAS_TEST_RUN in their env.
set -u
PREFIX=${NSATLAS_TEST_PREFIX:-nsat}

# Processes first: they may hold namespaces open.
for pid in $(grep -l -a 'NSATLAS_TEST_RUN=' /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3); do
  [ "$pid" != "$$" ] && kill -KILL "$pid" 2>/dev/null
done
# Pins and fixtures under /tmp/nsatlas-*, deepest mount first.
grep -o ' /tmp/nsatlas-[^ ]*' /proc/self/mountinfo 2>/dev/null | sort -r | while read -r m; do
  umount -l "$m" 2>/dev/null
done
rm -rf /tmp/nsatlas-* 2>/dev/null
for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^$PREFIX" || true); do
  ip netns del "$ns" 2>/dev/null
done
for link in $(ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1 | grep "^$PREFIX" || true); do
  ip link del "$link" 2>/dev/null
done
rm -rf "/etc/netns/$PREFIX"* 2>/dev/null
exit 0
