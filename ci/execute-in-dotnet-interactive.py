#!/usr/bin/python3
"""Runs one notebook in the real .NET Interactive kernel through Jupyter's own client (nbclient), as
VS Code's Jupyter extension and JupyterLab do, and writes the executed notebook and a JSON summary.

    python3 ci/execute-in-dotnet-interactive.py NOTEBOOK --out EXECUTED.ipynb --summary SUMMARY.json

The kernel is the kernelspec `.net-csharp` found on JUPYTER_PATH (ci/install-dotnet-interactive.sh registers
it under artifacts/jupyter). Cells run in order in the notebook's folder, as in VS Code; the run stops at the
first failing cell. The summary names the kernel, every cell's time, and the failing cell's error.
Exit code: 0 every cell ran, 1 a cell failed or timed out, 2 the kernel could not be started.
Used by tests/CourseKit.Tests/Notebooks/DotNetInteractiveNotebooksTests.cs; needs Debian's python3-nbclient.
"""
import argparse
import json
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook")
    parser.add_argument("--out", required=True, help="where the executed notebook is written")
    parser.add_argument("--summary", required=True, help="where the JSON summary is written")
    parser.add_argument("--kernel", default=".net-csharp")
    parser.add_argument("--cell-timeout", type=int, default=600, help="seconds per cell")
    parser.add_argument("--startup-timeout", type=int, default=180, help="seconds for the kernel to start")
    args = parser.parse_args()

    notebook_path = os.path.abspath(args.notebook)
    nb = nbformat.read(notebook_path, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name=args.kernel,
        timeout=args.cell_timeout,
        startup_timeout=args.startup_timeout,
        resources={"metadata": {"path": os.path.dirname(notebook_path)}},
    )
    summary = {"notebook": notebook_path, "kernel": args.kernel, "cells": [], "error": None}
    started = time.monotonic()
    exit_code = 0
    try:
        with client.setup_kernel():
            summary["startup_seconds"] = round(time.monotonic() - started, 3)
            info = client.wait_for_reply(client.kc.kernel_info())["content"]
            summary["implementation"] = f"{info.get('implementation', '?')} {info.get('implementation_version', '?')}"
            summary["language"] = info.get("language_info", {}).get("name", "?")
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                cell_started = time.monotonic()
                try:
                    client.execute_cell(cell, index)
                except (CellExecutionError, CellTimeoutError) as error:
                    summary["error"] = failure(index, cell, error)
                    exit_code = 1
                    break
                finally:
                    summary["cells"].append({"index": index, "seconds": round(time.monotonic() - cell_started, 3)})
    except DeadKernelError as error:
        summary["error"] = {"cell": None, "ename": "DeadKernelError", "evalue": str(error), "traceback": []}
        exit_code = 1
    except Exception as error:  # the kernel did not start (missing kernelspec, dotnet-interactive not restored)
        summary["error"] = {"cell": None, "ename": type(error).__name__, "evalue": str(error), "traceback": []}
        exit_code = 2
    summary["seconds"] = round(time.monotonic() - started, 3)
    nbformat.write(nb, args.out)
    with open(args.summary, "w", encoding="utf-8") as file:
        json.dump(summary, file, indent=1)
    return exit_code


def failure(index, cell, error) -> dict:
    """The failing cell's error output, as the kernel reported it."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            return {"cell": index, "ename": output.get("ename", ""), "evalue": output.get("evalue", ""),
                    "traceback": list(output.get("traceback", []))}
    return {"cell": index, "ename": type(error).__name__, "evalue": str(error), "traceback": []}


if __name__ == "__main__":
    sys.exit(main())
