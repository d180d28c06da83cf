using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace CourseKit.Notebooks.Grading;

/// <summary>
/// The sandbox each submission runs in: bubblewrap (<c>bwrap</c>) gives the child a root file system of its own
/// with only the .NET runtime, the CourseKit build and the libraries the notebook loads (read-only) and an empty
/// writable folder where the source notebook would be; no network, its own PID namespace (when the child ends,
/// every process it started ends with it), and resource limits (<c>prlimit</c>: CPU time, file size, processes).
/// Started as root, the sandbox drops to the user <c>nobody</c> first (<c>setpriv</c>).
/// </summary>
public sealed class GradingSandbox
{
    /// <summary>The user the child runs as when the grader is root (nobody).</summary>
    public const int SandboxUser = 65534;

    /// <summary>Processes and threads one sandboxed child may have (.NET itself starts a few dozen threads).</summary>
    public const int MaxProcesses = 1024;

    /// <summary>Largest file the child may write.</summary>
    public const long MaxFileBytes = 256L << 20;

    private GradingSandbox(string bwrap, string prlimit, string? setpriv)
    {
        Bwrap = bwrap;
        Prlimit = prlimit;
        Setpriv = setpriv;
    }

    public string Bwrap { get; }
    public string Prlimit { get; }
    public string? Setpriv { get; }

    private static readonly Lazy<(GradingSandbox? Sandbox, string Problem)> probed = new(Probe);

    /// <summary>The sandbox, or null and why none can be had on this machine.</summary>
    public static (GradingSandbox? Sandbox, string Problem) Available => probed.Value;

    private static (GradingSandbox?, string) Probe()
    {
        if (!OperatingSystem.IsLinux())
            return (null, $"grading needs a sandbox, and CourseKit's (bubblewrap) runs on Linux only; this is {RuntimeInformation.OSDescription}. "
                + "Grade on Linux (or in a Linux container or WSL 2), see environment.md.");
        string? bwrap = Find("bwrap"), prlimit = Find("prlimit"), setpriv = Find("setpriv");
        if (bwrap is null)
            return (null, "grading needs a sandbox, and bubblewrap (bwrap) is not installed: apt-get install bubblewrap (Debian/Ubuntu), dnf install bubblewrap (Fedora).");
        if (prlimit is null) return (null, "grading needs prlimit (util-linux) to limit each submission: apt-get install util-linux.");
        bool root = Environment.UserName == "root" || geteuid() == 0;
        if (root && setpriv is null) return (null, "grading as root needs setpriv (util-linux) to run submissions as nobody: apt-get install util-linux.");
        var sandbox = new GradingSandbox(bwrap, prlimit, root ? setpriv : null);

        // a trial: can this machine make the namespaces (user namespaces may be disabled, or forbidden in a container)?
        var start = sandbox.Wrap("/bin/true", [], [], null, null, TimeSpan.FromSeconds(10), new Dictionary<string, string>());
        start.RedirectStandardError = true;
        start.RedirectStandardOutput = true;
        try
        {
            using var trial = Process.Start(start)!;
            var errorText = trial.StandardError.ReadToEndAsync();
            if (!trial.WaitForExit(10_000)) { trial.Kill(entireProcessTree: true); return (null, "the bubblewrap sandbox did not start within 10 s."); }
            string error = errorText.Wait(1000) ? errorText.Result : "";
            if (trial.ExitCode != 0)
                return (null, $"bubblewrap cannot make a sandbox here ({error.Trim()}): user namespaces may be disabled "
                    + "(sysctl kernel.unprivileged_userns_clone=1, or user.max_user_namespaces > 0), or the container forbids them (see environment.md).");
        }
        catch (System.ComponentModel.Win32Exception e) { return (null, $"bubblewrap could not be started: {e.Message}"); }
        return (sandbox, "");
    }

    /// <summary>
    /// How to start <paramref name="fileName"/> with <paramref name="arguments"/> in the sandbox: the paths in
    /// <paramref name="readOnly"/> visible read-only at the same place, <paramref name="workFolder"/> (writable)
    /// mounted at <paramref name="workAt"/> and the working directory there, a private /tmp, and no environment
    /// variable but <paramref name="environment"/> (the grader's may hold secrets: CI tokens).
    /// </summary>
    public ProcessStartInfo Wrap(
        string fileName, IReadOnlyList<string> arguments, IReadOnlyList<string> readOnly, string? workFolder, string? workAt, TimeSpan cpuTime,
        IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(Prlimit) { UseShellExecute = false };
        var a = start.ArgumentList;
        long cpuSeconds = (long)Math.Ceiling(cpuTime.TotalSeconds);
        foreach (var limit in new[] { $"--cpu={cpuSeconds}", $"--fsize={MaxFileBytes}", $"--nproc={MaxProcesses}", "--core=0" }) a.Add(limit);
        a.Add("--");
        if (Setpriv is not null)
        {
            string id = SandboxUser.ToString(CultureInfo.InvariantCulture);
            foreach (var s in new[] { Setpriv, $"--reuid={id}", $"--regid={id}", "--clear-groups", "--" }) a.Add(s);
        }
        a.Add(Bwrap);
        foreach (var s in new[] { "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL" }) a.Add(s);
        foreach (var s in new[] { "--ro-bind", "/usr", "/usr" }) a.Add(s);
        foreach (var link in new[] { "lib", "lib64", "bin", "sbin" })
        {
            var info = new FileInfo("/" + link);
            if (info.LinkTarget is { } target) { a.Add("--symlink"); a.Add(target); a.Add("/" + link); }
            else if (Directory.Exists("/" + link)) { a.Add("--ro-bind"); a.Add("/" + link); a.Add("/" + link); }
        }
        foreach (var etc in new[] { "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/ssl", "/etc/localtime", "/etc/alternatives",
                     "/etc/OpenCL" })   // the OpenCL loader finds its drivers (PoCL) there: 3-5-2 runs the student's kernel
        {
            a.Add("--ro-bind-try"); a.Add(etc); a.Add(etc);
        }
        foreach (var s in new[] { "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp" }) a.Add(s);
        // PoCL reads the CPU topology to size its device; read-only, it reveals only the number and kind of cores
        foreach (var s in new[] { "--ro-bind-try", "/sys/devices/system/cpu", "/sys/devices/system/cpu" }) a.Add(s);
        foreach (var path in readOnly.Select(Path.GetFullPath).Distinct().Order(StringComparer.Ordinal))
        {
            if (path.StartsWith("/usr/", StringComparison.Ordinal)) continue; // already there
            a.Add("--ro-bind"); a.Add(path); a.Add(path);
        }
        if (workFolder is not null && workAt is not null)
        {
            a.Add("--bind"); a.Add(Path.GetFullPath(workFolder)); a.Add(workAt);
            a.Add("--chdir"); a.Add(workAt);
        }
        else { a.Add("--chdir"); a.Add("/tmp"); }
        a.Add("--remount-ro"); a.Add("/"); // the root's own folders (made for the mounts) are not the child's to write
        a.Add("--clearenv");
        var variables = new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin", ["HOME"] = "/tmp", ["TMPDIR"] = "/tmp", ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" };
        foreach (var (name, value) in environment) variables[name] = value;
        foreach (var (name, value) in variables)
        {
            a.Add("--setenv"); a.Add(name); a.Add(value);
        }
        a.Add("--");
        a.Add(fileName);
        foreach (var argument in arguments) a.Add(argument);
        return start;
    }

    /// <summary>Makes <paramref name="folder"/> the sandbox user's, so that the child can write there.</summary>
    public void GiveToSandboxUser(string folder)
    {
        if (Setpriv is null) return;
        if (chown(folder, SandboxUser, SandboxUser) != 0)
            throw new IOException($"grade: could not give the work folder {folder} to the sandbox user {SandboxUser} (errno {Marshal.GetLastPInvokeError()}).");
    }

    private static string? Find(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':')
            .Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);

    [DllImport("libc", SetLastError = true)]
    private static extern uint geteuid();

    [DllImport("libc", SetLastError = true)]
    private static extern int chown(string path, int owner, int group);
}
