namespace CourseKit.Detection;

/// <summary>
/// YOLO's output layout (lecture 6.2: divide the image into an S × S grid; each cell predicts a box and a class):
/// the cell that contains an object's centre is responsible for it. Each cell has 5 + C channels:
/// <list type="bullet">
/// <item>0: objectness, 1 if an object's centre is in the cell (the network predicts a logit, σ gives Pr(object));</item>
/// <item>1, 2: the centre's position inside the cell, x = cx / cellWidth − j in [0, 1) (the network's logit, through σ);</item>
/// <item>3, 4: √(w / imageWidth) and √(h / imageHeight): YOLO v1's square roots weigh an error on a small box more;</item>
/// <item>5 … 5 + C − 1: the class, one-hot (the network predicts scores, softmax gives Pr(class | object)).</item>
/// </list>
/// One box per cell (YOLO v1 with B = 1): when two centres fall in one cell the larger object is kept, the lecture's
/// "a cell cannot belong to several objects" limitation, reported by <see cref="Encode"/>.
/// </summary>
public sealed class YoloGrid
{
    public const int BoxChannels = 5;

    public YoloGrid(int gridSize, int imageWidth, int imageHeight, int classCount)
    {
        if (gridSize <= 0 || imageWidth <= 0 || imageHeight <= 0 || classCount <= 0)
            throw new ArgumentException($"YoloGrid: grid {gridSize}, image {imageWidth}x{imageHeight} and {classCount} classes must all be positive.");
        GridSize = gridSize; ImageWidth = imageWidth; ImageHeight = imageHeight; ClassCount = classCount;
    }

    public int GridSize { get; }
    public int ImageWidth { get; }
    public int ImageHeight { get; }
    public int ClassCount { get; }

    /// <summary>5 + C channels per cell.</summary>
    public int Channels => BoxChannels + ClassCount;

    public float CellWidth => (float)ImageWidth / GridSize;
    public float CellHeight => (float)ImageHeight / GridSize;

    /// <summary>
    /// The target tensor (N, 5 + C, S, S) of a batch: one list of objects per image. <paramref name="dropped"/> counts
    /// the objects that lost their cell to a larger one.
    /// </summary>
    public Tensor Encode(IReadOnlyList<IReadOnlyList<DetectedObject>> objects, out int dropped)
    {
        int s = GridSize, plane = s * s;
        var t = new float[objects.Count * Channels * plane];
        var owner = new float[objects.Count * plane];  // area of the object that holds the cell
        dropped = 0;
        for (int n = 0; n < objects.Count; n++)
            foreach (var o in objects[n])
            {
                if ((uint)o.Class >= (uint)ClassCount)
                    throw new ArgumentException($"YoloGrid.Encode: class {o.Class} on image {n} is outside 0..{ClassCount - 1}.");
                var (cx, cy, w, h) = o.Box.ToCenter();
                int j = Math.Clamp((int)MathF.Floor(cx / CellWidth), 0, s - 1);
                int i = Math.Clamp((int)MathF.Floor(cy / CellHeight), 0, s - 1);
                int cell = i * s + j;
                if (owner[n * plane + cell] > 0)
                {
                    dropped++;
                    if (owner[n * plane + cell] >= o.Box.Area) continue;
                }
                owner[n * plane + cell] = o.Box.Area;
                int b = n * Channels * plane + cell;
                t[b] = 1f;
                t[b + 1 * plane] = cx / CellWidth - j;
                t[b + 2 * plane] = cy / CellHeight - i;
                t[b + 3 * plane] = MathF.Sqrt(w / ImageWidth);
                t[b + 4 * plane] = MathF.Sqrt(h / ImageHeight);
                for (int c = 0; c < ClassCount; c++) t[b + (BoxChannels + c) * plane] = c == o.Class ? 1f : 0f;
            }
        return new Tensor([objects.Count, Channels, s, s], t);
    }

    /// <summary>The target of a batch (see the other overload), without the count of dropped objects.</summary>
    public Tensor Encode(IReadOnlyList<IReadOnlyList<DetectedObject>> objects) => Encode(objects, out _);

    /// <summary>
    /// The detections of a network's raw output (N, 5 + C, S, S), one list per image: every cell whose score
    /// Pr(object)·Pr(class | object) (lecture: Pr(Class_i)·IoU) reaches <paramref name="scoreThreshold"/> gives a box of its most
    /// likely class, then <see cref="NonMaximumSuppression.PerClass"/> removes duplicates (pass 1 to keep them all).
    /// </summary>
    public DetectedObject[][] Decode(Tensor output, float scoreThreshold = 0.05f, float nmsThreshold = 0.5f)
    {
        int s = GridSize, plane = s * s;
        if (output.Rank != 4 || output.Shape[1] != Channels || output.Shape[2] != s || output.Shape[3] != s)
            throw new ArgumentException($"YoloGrid.Decode: expects (N, {Channels}, {s}, {s}) for a {s}x{s} grid with {ClassCount} classes, got {output.Shape}.");
        var y = output.ToArray();
        var result = new DetectedObject[output.Shape[0]][];
        var p = new float[ClassCount];
        for (int n = 0; n < result.Length; n++)
        {
            var found = new List<DetectedObject>();
            for (int i = 0; i < s; i++)
                for (int j = 0; j < s; j++)
                {
                    int b = n * Channels * plane + i * s + j;
                    float objectness = Sigmoid(y[b]);
                    Softmax(y, b + BoxChannels * plane, plane, p);
                    int c = 0;
                    for (int k = 1; k < ClassCount; k++) if (p[k] > p[c]) c = k;
                    float score = objectness * p[c];
                    if (score < scoreThreshold) continue;
                    float cx = (j + Sigmoid(y[b + plane])) * CellWidth, cy = (i + Sigmoid(y[b + 2 * plane])) * CellHeight;
                    float w = y[b + 3 * plane] * y[b + 3 * plane] * ImageWidth, h = y[b + 4 * plane] * y[b + 4 * plane] * ImageHeight;
                    found.Add(new DetectedObject(Box.FromCenter(cx, cy, w, h), c, score));
                }
            result[n] = NonMaximumSuppression.PerClass(found, nmsThreshold);
        }
        return result;
    }

    /// <summary>
    /// The boxes a target tensor (from <see cref="Encode"/>) describes, one list per image, each with score 1:
    /// the inverse of Encode for the objects that kept their cell.
    /// </summary>
    public DetectedObject[][] DecodeTarget(Tensor target)
    {
        int s = GridSize, plane = s * s;
        var t = target.ToArray();
        var result = new DetectedObject[target.Shape[0]][];
        for (int n = 0; n < result.Length; n++)
        {
            var found = new List<DetectedObject>();
            for (int cell = 0; cell < plane; cell++)
            {
                int b = n * Channels * plane + cell;
                if (t[b] < 0.5f) continue;
                int i = cell / s, j = cell % s, c = 0;
                for (int k = 1; k < ClassCount; k++) if (t[b + (BoxChannels + k) * plane] > t[b + (BoxChannels + c) * plane]) c = k;
                float cx = (j + t[b + plane]) * CellWidth, cy = (i + t[b + 2 * plane]) * CellHeight;
                float w = t[b + 3 * plane] * t[b + 3 * plane] * ImageWidth, h = t[b + 4 * plane] * t[b + 4 * plane] * ImageHeight;
                found.Add(new DetectedObject(Box.FromCenter(cx, cy, w, h), c));
            }
            result[n] = [.. found];
        }
        return result;
    }

    internal static float Sigmoid(float v) => 1f / (1f + MathF.Exp(-v));

    // softmax of the C class scores of one cell (channel stride = plane) into p
    internal static void Softmax(float[] y, int first, int stride, float[] p)
    {
        float max = float.NegativeInfinity;
        for (int k = 0; k < p.Length; k++) max = Math.Max(max, y[first + k * stride]);
        float sum = 0;
        for (int k = 0; k < p.Length; k++) sum += p[k] = MathF.Exp(y[first + k * stride] - max);
        for (int k = 0; k < p.Length; k++) p[k] /= sum;
    }
}
