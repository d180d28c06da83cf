#!/usr/bin/env bash
# Installs the Debian packages the test suite needs. Idempotent; skips what is already there.
set -euo pipefail
packages=()
need() { dpkg -s "$1" >/dev/null 2>&1 || packages+=("$1"); }
need python3-nbformat
need python3-pil        # Pillow decodes PNG and JPEG files as the oracle for ImageFile (SkiaSharp)
need python3-nbclient  # Jupyter's client: runs the notebooks in the .NET Interactive kernel and in CourseKit's
need python3-jupyter-client  # drives CourseKit's own kernel (coursekit kernel) in tests/CourseKit.Tests/Kernel
need chromium
need fonts-liberation   # chromium only recommends it; the browser tests read text colours from screenshots
need fonts-noto-cjk     # the notebooks' Japanese titles in HTML exports and browser tests (else empty boxes)
need python3-numpy
need ocl-icd-libopencl1
need pocl-opencl-icd
need bubblewrap          # the grader's sandbox (coursekit grade); its tests run every attack in it
command -v npm >/dev/null || packages+=(npm)   # ci/install-npm.sh; a machine with only the .NET SDK lacks it
if [ ${#packages[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=900 update -qq
  apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${packages[@]}"
fi
