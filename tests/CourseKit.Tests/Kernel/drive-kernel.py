#!/usr/bin/python3
"""Drives CourseKit's Jupyter kernel (kernelspec coursekit-csharp on JUPYTER_PATH) through Jupyter's own client,
as VS Code's Jupyter extension and JupyterLab do, and writes what it answered as JSON:

    python3 drive-kernel.py RESULT.json

Every scenario of tests/CourseKit.Tests/Kernel/JupyterKernelTests.cs runs here in one kernel (and its restart),
so the kernel starts twice per test run. Needs Debian's python3-jupyter-client.
"""
import json
import sys

from jupyter_client.manager import start_new_kernel
from jupyter_client.session import Session

TIMEOUT = 300
km, kc = start_new_kernel(kernel_name="coursekit-csharp", startup_timeout=TIMEOUT)
result = {}


def execute(code, hook=None):
    outputs = []

    def collect(msg):
        outputs.append({"msg_type": msg["msg_type"], "content": msg["content"]})
        if hook:
            hook(msg)

    reply = kc.execute_interactive(code, timeout=TIMEOUT, output_hook=collect)
    return {"reply": reply["content"], "outputs": [o for o in outputs if o["msg_type"] != "status"]}


try:
    result["kernel_info"] = kc.kernel_info(reply=True, timeout=TIMEOUT)["content"]
    result["execute"] = execute('var x = 41;\nConsole.WriteLine("hello from the cell");\ndisplay(HTML("<b>shown</b>"));\nx + 1')
    result["error"] = execute('int y = 2;\nthrow new InvalidOperationException($"deliberate, y = {y}");')
    result["after_error"] = execute("y * 10")
    result["update"] = execute('var shown = display("first");\nshown.Update("second");\nshown.Update("third");')

    # a training loop that prints every step: interrupted from the control channel once it has started
    interrupted = []

    def interrupt_once(msg):
        if msg["msg_type"] == "stream" and not interrupted:
            interrupted.append(True)
            km.interrupt_kernel()

    result["interrupt"] = execute(
        "var step = 0;\nwhile (true) { Console.WriteLine($\"step {step}\"); step++; System.Threading.Thread.Sleep(20); }",
        interrupt_once)
    result["after_interrupt"] = execute("step > 0")

    # messages the kernel must drop: signed with another key, and frames that are not a message at all
    forger = Session(key=b"not the connection file's key")
    forger.send(kc.shell_channel.socket, "execute_request",
                {"code": "var forged = 1;", "silent": False, "store_history": True,
                 "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
    kc.shell_channel.socket.send_multipart([b"<IDS|MSG>", b"", b"not json", b"{}", b"{}", b"{}"])
    kc.shell_channel.socket.send_multipart([b"garbage"])
    result["after_forged"] = execute("forged")

    result["complete_member"] = kc.complete("Math.Sq", reply=True, timeout=TIMEOUT)["content"]
    result["complete_variable"] = kc.complete("var total = 1;\nConsole.WriteLine(ste", reply=True, timeout=TIMEOUT)["content"]
    result["inspect"] = kc.inspect("step + 1", 2, reply=True, timeout=TIMEOUT)["content"]
    kc.is_complete("if (step > 1) {")
    result["is_complete_open"] = kc.get_shell_msg(timeout=TIMEOUT)["content"]
    kc.is_complete("var z = 3;")
    result["is_complete_done"] = kc.get_shell_msg(timeout=TIMEOUT)["content"]

    km.restart_kernel(now=False)
    kc.wait_for_ready(timeout=TIMEOUT)
    result["after_restart"] = execute("step")
    result["restarted_runs"] = execute("1 + 1")
finally:
    # a shutdown_request must end the process by itself (no kill), with exit code 0
    kc.shutdown()
    try:
        result["exit_code_after_shutdown"] = km.provisioner.process.wait(timeout=TIMEOUT)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)

with open(sys.argv[1], "w", encoding="utf-8") as file:
    json.dump(result, file, indent=1)
