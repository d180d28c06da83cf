using CourseKit.Losses;

namespace CourseKit.Detection;

/// <summary>
/// YOLO's loss (the lecture slides' sum of box, confidence and class terms), for the layout of <see cref="YoloGrid"/>,
/// summed over cells and averaged over the batch:
/// <list type="bullet">
/// <item>confidence: binary cross entropy of σ(o) against 1 on cells with an object and against 0 elsewhere, the latter
/// weighted λ_noobj (most cells are empty and would drown the few that are not);</item>
/// <item>box, only on cells with an object: λ_coord·[(σ(x̂) − x)² + (σ(ŷ) − y)² + (ŵ − √w)² + (ĥ − √h)²];</item>
/// <item>class, only on cells with an object: softmax cross entropy (the slides use squared error; cross entropy trains faster).</item>
/// </list>
/// ∂E/∂ŷ follows term by term: σ(o) − t for the confidence (times its weight), 2λ(σ − x)σ(1 − σ) for the centre,
/// 2λ(ŵ − √w) for the size, p − t for the class scores.
/// </summary>
public sealed class YoloLoss(int classCount, float lambdaCoord = 5f, float lambdaNoObject = 0.5f) : Loss
{
    private float[]? gradient;
    private Shape shape;

    public int ClassCount { get; } = classCount;
    public float LambdaCoord { get; } = lambdaCoord;
    public float LambdaNoObject { get; } = lambdaNoObject;

    public override float Forward(Tensor y, Tensor t)
    {
        ExpectSameShape(Name, y, t);
        if (y.Rank != 4 || y.Shape[1] != YoloGrid.BoxChannels + ClassCount)
            throw new ArgumentException($"{Name}: expects (N, {YoloGrid.BoxChannels + ClassCount}, S, S) for {ClassCount} classes, got {y.Shape}.");
        shape = y.Shape;
        var (n, channels, s, _) = y.Shape;
        int plane = s * s;
        var a = y.ToArray(); var b = t.ToArray();
        var g = gradient = new float[a.Length];
        var p = new float[ClassCount];
        double e = 0;
        for (int image = 0; image < n; image++)
            for (int cell = 0; cell < plane; cell++)
            {
                int at = image * channels * plane + cell;
                bool hasObject = b[at] > 0.5f;
                float o = a[at], weight = hasObject ? 1f : LambdaNoObject;
                // BCE with logits, log(1 + e^o) − t·o written to stay finite for large |o|
                e += weight * (Math.Max(o, 0) - o * b[at] + Math.Log(1 + Math.Exp(-Math.Abs(o))));
                g[at] = weight * (YoloGrid.Sigmoid(o) - b[at]);
                if (!hasObject) continue;
                for (int k = 1; k <= 2; k++)  // centre inside the cell, through σ
                {
                    int c = at + k * plane;
                    float sig = YoloGrid.Sigmoid(a[c]), d = sig - b[c];
                    e += LambdaCoord * d * d;
                    g[c] = 2 * LambdaCoord * d * sig * (1 - sig);
                }
                for (int k = 3; k <= 4; k++)  // √w, √h directly
                {
                    int c = at + k * plane;
                    float d = a[c] - b[c];
                    e += LambdaCoord * d * d;
                    g[c] = 2 * LambdaCoord * d;
                }
                int first = at + YoloGrid.BoxChannels * plane;
                YoloGrid.Softmax(a, first, plane, p);
                for (int k = 0; k < ClassCount; k++)
                {
                    float target = b[first + k * plane];
                    if (target > 0) e -= target * Math.Log(Math.Max(p[k], 1e-12f));
                    g[first + k * plane] = p[k] - target;
                }
            }
        for (int i = 0; i < g.Length; i++) g[i] /= n;
        return (float)(e / n);
    }

    public override Tensor Backward() => new(shape, (float[])Saved(gradient).Clone());
}
