namespace CourseKit.Data;

/// <summary>One-hot encoding of class labels: label 3 of 10 classes becomes (0, 0, 0, 1, 0, 0, 0, 0, 0, 0).</summary>
public static class OneHot
{
    /// <summary>A tensor (N, classCount) with a 1 in column labels[i] of row i and 0 elsewhere.</summary>
    public static Tensor Encode(ReadOnlySpan<int> labels, int classCount = 10)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        var values = new float[labels.Length * classCount];
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classCount)
                throw new ArgumentOutOfRangeException(nameof(labels), $"OneHot.Encode: label {labels[i]} at position {i} is outside 0..{classCount - 1} ({classCount} classes).");
            values[i * classCount + labels[i]] = 1f;
        }
        return new Tensor([labels.Length, classCount], values);
    }
}
