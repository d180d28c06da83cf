using System.Diagnostics;
using System.Text.Json;

namespace CourseKit.Tests.Tensors;

/// <summary>
/// NumPy itself as the oracle for printing: it draws a few hundred float32 arrays of many kinds (integers,
/// tiny, huge, mixed magnitudes, NaN and infinities, wide and summarized shapes, other precisions) and prints
/// them; every string must equal ours. Needs Debian's python3-numpy (ci/install-packages.sh installs it).
/// </summary>
public class NumPyPrintingOracleTests
{
    private const string Script = """
        import json, numpy as np
        rng = np.random.default_rng(2024)
        shapes = [(5,), (3, 4), (2, 3, 4), (1, 1), (13,), (2, 20), (40,), (7, 7), (2, 2, 2, 2), (1001,), (30, 40), (3, 400), (0,), (1,)]
        kinds = ['normal', 'int', 'small', 'big', 'mixed', 'special', 'tiny', 'rounded', 'negative', 'huge']
        cases = []
        for i in range(300):
            shape = shapes[rng.integers(len(shapes))]
            kind = kinds[rng.integers(len(kinds))]
            n = int(np.prod(shape))
            a = rng.normal(size=n)
            if kind == 'int': a = rng.integers(-50, 50, size=n).astype(float)
            elif kind == 'small': a *= 1e-3
            elif kind == 'big': a *= 1e5
            elif kind == 'mixed': a *= 10.0 ** rng.integers(-6, 9, size=n)
            elif kind == 'special' and n >= 3: a[0] = np.nan; a[n // 2] = np.inf; a[-1] = -np.inf
            elif kind == 'tiny': a *= 1e-30
            elif kind == 'rounded': a = np.round(rng.uniform(-3, 3, size=n), rng.integers(0, 4))
            elif kind == 'negative': a = -np.abs(a) * 100
            elif kind == 'huge': a *= 1e20
            a = a.astype(np.float32).reshape(shape)
            precision = int(rng.integers(0, 10)) if rng.random() < 0.3 else None
            with np.printoptions(precision=8 if precision is None else precision):
                text = str(a)
            cases.append({"shape": list(shape), "bits": a.ravel().view(np.uint32).tolist(), "precision": precision, "text": text})
        for v in [0.0, -0.0, 1.0, 15.0, 0.1, 1e-5, 1e16, 1e15, 123456789.0, -2.5, np.nan, np.inf, -np.inf, 1e-4, 3e-5]:
            a = np.array(v, dtype=np.float32)
            cases.append({"shape": [], "bits": [int(a.view(np.uint32))], "precision": None, "text": str(a)})
        print(json.dumps(cases))
        """;

    [Fact]
    public async Task HundredsOfRandomArraysPrintExactlyAsNumPyPrintsThem()
    {
        var start = new ProcessStartInfo("/usr/bin/python3", ["-c", Script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var python = Process.Start(start)!;
        var stderr = python.StandardError.ReadToEndAsync();
        string json = await python.StandardOutput.ReadToEndAsync();
        await python.WaitForExitAsync();
        Assert.True(python.ExitCode == 0, $"python3 with numpy failed: {await stderr}");

        var mismatches = new List<string>();
        int count = 0;
        foreach (var c in JsonDocument.Parse(json).RootElement.EnumerateArray())
        {
            count++;
            var shape = c.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var data = c.GetProperty("bits").EnumerateArray().Select(e => BitConverter.UInt32BitsToSingle(e.GetUInt32())).ToArray();
            var x = new Tensor(shape, data);
            var precision = c.GetProperty("precision");
            string ours = precision.ValueKind == JsonValueKind.Null ? x.ToString() : x.ToString(precision.GetInt32());
            string numpy = c.GetProperty("text").GetString()!;
            if (ours != numpy) mismatches.Add($"shape {x.Shape}, precision {precision}:\nNumPy:\n{numpy}\nours:\n{ours}");
        }
        Assert.True(count > 300, $"only {count} cases came back");
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {count} differ; the first:\n{string.Join("\n\n", mismatches.Take(3))}");
    }
}
