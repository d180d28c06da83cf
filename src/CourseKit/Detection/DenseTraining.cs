using CourseKit.Display;
using CourseKit.Layers;
using CourseKit.Losses;
using CourseKit.Optimizers;

namespace CourseKit.Detection;

/// <summary>
/// Mini-batch training for networks whose target is a tensor per image rather than one label: YOLO's grid target
/// (<see cref="YoloLoss"/>), the one-hot class of every pixel for FCN and SegNet (<see cref="PixelwiseSoftmaxCrossEntropy"/>).
/// Each epoch visits the images in a new seeded order; a progress bar shows the epochs and the running loss.
/// </summary>
public static class DenseTraining
{
    /// <summary>Trains <paramref name="network"/> and returns the mean loss of each epoch.</summary>
    public static float[] Fit(Layer network, Loss loss, Optimizer optimizer, Tensor inputs, Tensor targets,
                              int epochs, int batchSize = 32, int seed = 0, string label = "training")
    {
        if (inputs.Shape[0] != targets.Shape[0])
            throw new ArgumentException($"DenseTraining.Fit: {inputs.Shape[0]} inputs but {targets.Shape[0]} targets; one target per input.");
        int n = inputs.Shape[0], batches = (n + batchSize - 1) / batchSize;
        var rng = new Xoshiro256(seed);
        var order = Enumerable.Range(0, n).ToArray();
        var history = new float[epochs];
        using var progress = Progress.Create((long)epochs * batches, label);
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            rng.Shuffle(order.AsSpan());
            double sum = 0;
            for (int b = 0; b < batches; b++)
            {
                var rows = order.AsSpan(b * batchSize, Math.Min(batchSize, n - b * batchSize)).ToArray();
                var x = Rows(inputs, rows);
                var t = Rows(targets, rows);
                var y = network.Forward(x, training: true);
                sum += loss.Forward(y, t);
                network.Backward(loss.Backward());
                optimizer.Step(network.Parameters);
                progress.Advance(1, $"epoch {epoch + 1}/{epochs}, loss {sum / (b + 1):0.0000}");
            }
            history[epoch] = (float)(sum / batches);
        }
        progress.Finish($"{epochs} epochs, last loss {history[^1]:0.0000}");
        return history;
    }

    /// <summary>The network's output for all <paramref name="inputs"/>, in inference mode, <paramref name="batchSize"/> at a time.</summary>
    public static Tensor Predict(Layer network, Tensor inputs, int batchSize = 64)
    {
        var parts = new List<Tensor>();
        for (int start = 0; start < inputs.Shape[0]; start += batchSize)
            parts.Add(network.Forward(Rows(inputs, [.. Enumerable.Range(start, Math.Min(batchSize, inputs.Shape[0] - start))])));
        return Tensor.Concat(parts, 0);
    }

    /// <summary>The rows (first-axis entries) <paramref name="rows"/> of a CPU tensor, in that order.</summary>
    public static Tensor Rows(Tensor x, int[] rows)
    {
        int per = x.Length / x.Shape[0];
        var source = x.AsSpan();
        var data = new float[rows.Length * per];
        for (int i = 0; i < rows.Length; i++) source.Slice(rows[i] * per, per).CopyTo(data.AsSpan(i * per));
        int[] shape = x.Shape.ToArray();
        shape[0] = rows.Length;
        return new Tensor(shape, data);
    }

    /// <summary>Integer classes per pixel (N·H·W) as one-hot targets (N, K, H, W).</summary>
    public static Tensor OneHotPixels(int[] labels, int n, int classCount, int height, int width)
    {
        var t = new float[n * classCount * height * width];
        for (int image = 0; image < n; image++)
            for (int p = 0; p < height * width; p++)
                t[(image * classCount + labels[image * height * width + p]) * height * width + p] = 1f;
        return new Tensor([n, classCount, height, width], t);
    }
}
