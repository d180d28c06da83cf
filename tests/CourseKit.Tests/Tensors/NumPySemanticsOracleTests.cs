using System.Diagnostics;
using System.Text.Json;

namespace CourseKit.Tests.Tensors;

/// <summary>
/// NumPy as the oracle for indexing and reductions: it draws random arrays with random index expressions
/// (integers, negative integers, ranges that run past the ends, steps) and random reductions (axis, keepdims),
/// and records what NumPy returns; our slicing and reductions must give the same shapes and values.
/// Needs Debian's python3-numpy (ci/install-packages.sh installs it).
/// </summary>
public class NumPySemanticsOracleTests
{
    private const string Script = """
        import json, numpy as np
        rng = np.random.default_rng(7)
        def opt(lo, hi):
            return None if rng.random() < 0.3 else int(rng.integers(lo, hi))
        cases = []
        for i in range(300):
            shape = tuple(int(d) for d in rng.integers(1, 6, size=rng.integers(1, 5)))
            a = rng.normal(size=shape).astype(np.float32)
            index, key = [], []
            for d in shape[:rng.integers(1, len(shape) + 1)]:
                if rng.random() < 0.35:
                    k = int(rng.integers(-d, d))
                    index.append({"int": k}); key.append(k)
                else:
                    start, stop, step = opt(-d - 2, d + 2), opt(-d - 2, d + 2), int(rng.integers(1, 4))
                    index.append({"start": start, "stop": stop, "step": step}); key.append(slice(start, stop, step))
            sliced = a[tuple(key)]
            axis = int(rng.integers(-len(shape), len(shape)))
            keep = bool(rng.random() < 0.5)
            cases.append({
                "shape": list(shape), "data": a.ravel().tolist(), "index": index,
                "slicedShape": list(sliced.shape), "sliced": np.asarray(sliced).ravel().tolist(),
                "axis": axis, "keepDims": keep,
                "sumShape": list(a.sum(axis=axis, keepdims=keep).shape),
                "sum": a.sum(axis=axis, keepdims=keep).ravel().tolist(),
                "max": a.max(axis=axis, keepdims=keep).ravel().tolist(),
                "argmax": a.argmax(axis=axis).ravel().tolist(),
                "mean": a.mean(axis=axis, keepdims=keep).ravel().tolist(),
            })
        print(json.dumps(cases))
        """;

    private static float[] Floats(JsonElement e) => e.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();
    private static int[] Ints(JsonElement e) => e.EnumerateArray().Select(v => v.GetInt32()).ToArray();

    /// <summary>NumPy's start:stop:step with optional, possibly negative ends, as a C# range (^k counts from the end).</summary>
    private static Slice ToSlice(JsonElement entry)
    {
        if (entry.TryGetProperty("int", out var k)) return k.GetInt32();
        static Index End(JsonElement v, Index whenMissing) =>
            v.ValueKind == JsonValueKind.Null ? whenMissing : v.GetInt32() < 0 ? ^(-v.GetInt32()) : v.GetInt32();
        var range = new Range(End(entry.GetProperty("start"), 0), End(entry.GetProperty("stop"), ^0));
        return Slice.Range(range, entry.GetProperty("step").GetInt32());
    }

    [Fact]
    public async Task RandomSlicesAndReductionsMatchNumPy()
    {
        var start = new ProcessStartInfo("/usr/bin/python3", ["-c", Script]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var python = Process.Start(start)!;
        var stderr = python.StandardError.ReadToEndAsync();
        string json = await python.StandardOutput.ReadToEndAsync();
        await python.WaitForExitAsync();
        Assert.True(python.ExitCode == 0, $"python3 with numpy failed: {await stderr}");

        int count = 0;
        foreach (var c in JsonDocument.Parse(json).RootElement.EnumerateArray())
        {
            count++;
            var x = new Tensor(Ints(c.GetProperty("shape")), Floats(c.GetProperty("data")));
            var slices = c.GetProperty("index").EnumerateArray().Select(ToSlice).ToArray();
            string where = $"case {count}: x of shape {x.Shape} indexed by [{string.Join(", ", slices)}]";

            var sliced = x[slices];
            Assert.True(new Shape(Ints(c.GetProperty("slicedShape"))) == sliced.Shape, $"{where}: shape {sliced.Shape}");
            Assert.True(Floats(c.GetProperty("sliced")).SequenceEqual(sliced.ToArray()), $"{where}: values differ");

            int axis = c.GetProperty("axis").GetInt32();
            bool keep = c.GetProperty("keepDims").GetBoolean();
            var shape = new Shape(Ints(c.GetProperty("sumShape")));
            string reduction = $"case {count}: shape {x.Shape}, axis {axis}, keepDims {keep}";
            Assert.True(Tensor.AllClose(new Tensor(shape, Floats(c.GetProperty("sum"))), x.Sum(axis, keep), atol: 1e-5), $"{reduction}: Sum");
            Assert.Equal(shape, x.Sum(axis, keep).Shape);
            Assert.True(Tensor.AllClose(new Tensor(shape, Floats(c.GetProperty("mean"))), x.Mean(axis, keep), atol: 1e-6), $"{reduction}: Mean");
            Assert.True(Floats(c.GetProperty("max")).SequenceEqual(x.Max(axis, keep).ToArray()), $"{reduction}: Max");
            Assert.True(Floats(c.GetProperty("argmax")).SequenceEqual(x.ArgMax(axis).ToArray()), $"{reduction}: ArgMax");
        }
        Assert.Equal(300, count);
    }
}
