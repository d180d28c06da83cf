using System.Diagnostics;
using CourseKit.Tests.Notebooks;

namespace CourseKit.Tests.Ilgpu;

/// <summary>
/// Clang as an OpenCL C compiler: the front end inside AMD's, Intel's and PoCL's OpenCL drivers. Debian's PoCL
/// depends on it (pocl-opencl-icd pulls in clang-15), so every machine that runs the OpenCL tests has one.
/// </summary>
internal static class OpenClCompiler
{
    private static readonly Lazy<string> Clang = new(Find);

    /// <summary>Compiles OpenCL C 2.0 <paramref name="source"/> for SPIR; returns clang's exit code and messages.</summary>
    public static (int ExitCode, string Errors) Compile(string source)
    {
        string file = Path.Combine(Path.GetTempPath(), $"coursekit-{Guid.NewGuid():N}.cl");
        File.WriteAllText(file, source);
        try
        {
            var start = new ProcessStartInfo(Clang.Value)
            {
                ArgumentList = { "-x", "cl", "-cl-std=CL2.0", "-Xclang", "-finclude-default-header", "-target", "spir64",
                                 "-emit-llvm", "-c", "-o", OperatingSystem.IsWindows() ? "NUL" : "/dev/null", file },
            };
            var (exitCode, output, timedOut) = CapturedProcess.Run(start, TimeSpan.FromMinutes(2));
            Assert.False(timedOut, $"{Clang.Value} did not finish compiling {file} within 2 minutes");
            return (exitCode, output);
        }
        finally { File.Delete(file); }
    }

    // clang, or the newest clang-NN on the PATH (Debian installs versioned names only).
    private static string Find()
    {
        var folders = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var candidates = folders.Where(Directory.Exists)
            .SelectMany(folder => Directory.EnumerateFiles(folder, "clang*"))
            .Select(path => (path, name: Path.GetFileNameWithoutExtension(path)))
            .Where(c => c.name == "clang" || (c.name.StartsWith("clang-", StringComparison.Ordinal) && int.TryParse(c.name[6..], out _)))
            .OrderByDescending(c => c.name == "clang" ? int.MaxValue : int.Parse(c.name[6..]))
            .Select(c => c.path);
        return candidates.FirstOrDefault() ?? throw new InvalidOperationException(
            "No clang on the PATH to compile ILGPU's OpenCL C with (Debian: clang-15, which pocl-opencl-icd already pulls in; " +
            "elsewhere install LLVM's clang). `bash ci/check-system.sh` lists what the tests need.");
    }
}
