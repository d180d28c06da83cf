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
if [ ! -f "$kernels/.net-csharp/kernel.json" ] || [ "$(cat artifacts/jupyter/version 2>/dev/null)" != "$version" ]; then
  rm -rf "$kernels" && mkdir -p "$kernels"
  dotnet interactive jupyter install --path "$kernels" | grep -v '^$'
  echo "$version" > artifacts/jupyter/version
fi
echo "ci/install-dotnet-interactive.sh: .NET Interactive $version, kernelspecs in $kernels"
