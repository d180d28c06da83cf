#!/usr/bin/env bash
# Restores the .NET Interactive kernel pinned in .config/dotnet-tools.json (the kernel behind Polyglot Notebooks)
# and registers its Jupyter kernelspecs in artifacts/jupyter/kernels, never in the user's home: the tests
# (DotNetInteractiveNotebooksTests) point JUPYTER_PATH at artifacts/jupyter and run every notebook in it.
# Jupyter's client comes from Debian (python3-nbclient, ci/install-packages.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet tool restore
kernels=artifacts/jupyter/kernels
version=$(dotnet interactive --version)
stamp="$version, kernelspec without --http-port-range"
if [ ! -f "$kernels/.net-csharp/kernel.json" ] || [ "$(cat artifacts/jupyter/version 2>/dev/null)" != "$stamp" ]; then
  rm -rf "$kernels" && mkdir -p "$kernels"
  dotnet interactive jupyter install --path "$kernels" | grep -v '^$'
  # Without --http-port-range the kernel starts no web server: that server only serves JavaScript in browser
  # front ends, and it binds a port in 2048-3000 on every interface, where a second kernel started at the same
  # time was seen to crash ("address already in use"). Cells run the same either way.
  if [ -x /usr/bin/python3 ]; then
    /usr/bin/python3 - "$kernels/.net-csharp/kernel.json" <<'PY'
import json, sys
spec = json.load(open(sys.argv[1]))
argv = spec["argv"]
if "--http-port-range" in argv:
    del argv[argv.index("--http-port-range"):argv.index("--http-port-range") + 2]
json.dump(spec, open(sys.argv[1], "w"), indent=2)
PY
  fi
  echo "$stamp" > artifacts/jupyter/version
fi
echo "ci/install-dotnet-interactive.sh: .NET Interactive $version, kernelspecs in $kernels"
