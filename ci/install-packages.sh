#!/usr/bin/env bash
# Installs the Debian packages the test suite needs. Idempotent; skips what is already there.
set -euo pipefail
packages=()
need() { dpkg -s "$1" >/dev/null 2>&1 || packages+=("$1"); }
need python3-nbformat
need python3-pil
need chromium
need fonts-liberation   # chromium only recommends it; the browser tests read text colours from screenshots
need python3-numpy
need ocl-icd-libopencl1
need pocl-opencl-icd
need bubblewrap          # the grader's sandbox (coursekit grade); its tests run every attack in it
if [ ${#packages[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${packages[@]}"
fi
