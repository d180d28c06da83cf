#!/usr/bin/env bash
# Checks, on any system, that this machine has everything the test suite uses outside NuGet, and says exactly
# what is missing and which Debian package provides it (ci/install-packages.sh installs them on Debian/Ubuntu).
# Exit code 0 when nothing is missing.
set -uo pipefail
cd "$(dirname "$0")/.."
missing=()
lack() { missing+=("$1"); }

python=/usr/bin/python3   # the tests start this very path (a pyenv or venv python is not used)
if [ -x "$python" ]; then
  "$python" -c 'import numpy' 2>/dev/null || lack "NumPy for $python (Debian: python3-numpy): the oracle for the Tensor's printing and slicing"
  "$python" -c 'import nbformat' 2>/dev/null || lack "nbformat for $python (Debian: python3-nbformat): validates executed notebooks against Jupyter's schema"
  "$python" -c 'import PIL' 2>/dev/null || lack "Pillow for $python (Debian: python3-pil): the oracle that decodes PNG and JPEG files for ImageFile's tests"
  "$python" -c 'import jupyter_client' 2>/dev/null || lack "jupyter_client for $python (Debian: python3-jupyter-client): Jupyter's client, drives CourseKit's own kernel (coursekit kernel)"
  "$python" -c 'import nbclient' 2>/dev/null || lack "nbclient for $python (Debian: python3-nbclient): Jupyter's client, runs every notebook in the .NET Interactive kernel"
else
  lack "$python (Debian: python3, with python3-numpy, python3-nbformat, python3-nbclient, python3-jupyter-client): NumPy oracle, notebook validation, Jupyter's client"
fi
[ -x /usr/bin/chromium ] || lack "/usr/bin/chromium (Debian: chromium): browser tests of figures and notebook pages (Playwright drives it; it never downloads a browser)"
# (lists are read whole before grep: with pipefail, grep -q closing a pipe early would read as a failure)
if command -v fc-list >/dev/null; then
  fonts=$(fc-list : family 2>/dev/null)
  grep -qi 'Liberation Sans' <<<"$fonts" || lack "the Liberation fonts (Debian: fonts-liberation): the browser tests read text from screenshots"
  grep -qi 'Noto Sans CJK' <<<"$fonts" || lack "a CJK font (Debian: fonts-noto-cjk): the notebooks' Japanese titles in HTML exports and browser tests"
else
  lack "fontconfig's fc-list (Debian: fontconfig, pulled in by chromium) and the Liberation fonts (fonts-liberation)"
fi
libraries=$(ldconfig -p 2>/dev/null)
if ! grep -q 'libOpenCL\.so\.1' <<<"$libraries"; then
  lack "the OpenCL loader libOpenCL.so.1 (Debian: ocl-icd-libopencl1): the OpenCL backend's tests"
fi
compgen -G '/etc/OpenCL/vendors/*.icd' >/dev/null || lack "an OpenCL driver in /etc/OpenCL/vendors (Debian: pocl-opencl-icd runs OpenCL on the CPU; a GPU vendor's ICD also does)"
compgen -c clang | grep -qE '^clang(-[0-9]+)?$' || lack "clang (Debian: clang-15, pulled in by pocl-opencl-icd): compiles the ILGPU kernels' OpenCL C as a driver would"
command -v bwrap >/dev/null || lack "bubblewrap's bwrap (Debian: bubblewrap): the grader's sandbox, whose tests run every attack in it"
[ -f node_modules/plotly.js-dist-min/plotly.min.js ] || lack "node_modules/plotly.js-dist-min (npm: \`bash ci/install-npm.sh\`, needs npm; Debian: npm): offline HTML pages embed plotly.js"
[ -f node_modules/katex/dist/katex.min.js ] || lack "node_modules/katex (npm: \`bash ci/install-npm.sh\`): offline HTML pages embed KaTeX to typeset formulas"
[ -f artifacts/jupyter/kernels/.net-csharp/kernel.json ] || lack "the .NET Interactive kernelspec in artifacts/jupyter (\`bash ci/install-dotnet-interactive.sh\`, needs NuGet)"

if [ ${#missing[@]} -gt 0 ]; then
  echo "ci/check-system.sh: the tests need what this machine lacks:" >&2
  printf '  - %s\n' "${missing[@]}" >&2
  echo "On Debian or Ubuntu, as root, \`bash ci/test\` installs all of it; elsewhere install the equivalents." >&2
  exit 1
fi
echo "ci/check-system.sh: python3 (NumPy, nbformat, nbclient, jupyter_client), Chromium, Liberation and CJK fonts, OpenCL and clang, bubblewrap, plotly.js and the .NET Interactive kernel are all there"
