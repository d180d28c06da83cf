namespace CourseKit.Detection;

/// <summary>
/// A rectangle in an image (lecture 6: localization and detection find the rectangle around an object), stored as
/// corners (x1, y1) top-left and (x2, y2) bottom-right.
/// <para>Pixel convention: coordinates are continuous, pixel (row i, column j) is the unit square [j, j+1) × [i, i+1).
/// So a box covering pixel columns 3..7 (inclusive) has X1 = 3, X2 = 8 and width X2 − X1 = 5, with no "+1".
/// Data sets that store inclusive pixel indices (Pascal VOC) convert with <see cref="FromInclusivePixels"/>.</para>
/// </summary>
public readonly record struct Box(float X1, float Y1, float X2, float Y2)
{
    public float Width => X2 - X1;
    public float Height => Y2 - Y1;
    public float CenterX => (X1 + X2) / 2;
    public float CenterY => (Y1 + Y2) / 2;

    /// <summary>Width × height; 0 for an empty box (x2 ≤ x1 or y2 ≤ y1).</summary>
    public float Area => Math.Max(0f, Width) * Math.Max(0f, Height);

    /// <summary>The centre-size form (cx, cy, w, h) that YOLO and the box regression of Faster R-CNN use.</summary>
    public static Box FromCenter(float cx, float cy, float w, float h) => new(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2);

    /// <summary>(cx, cy, w, h) of this box.</summary>
    public (float Cx, float Cy, float W, float H) ToCenter() => (CenterX, CenterY, Width, Height);

    /// <summary>
    /// The box covering pixel columns <paramref name="left"/>..<paramref name="right"/> and rows
    /// <paramref name="top"/>..<paramref name="bottom"/>, both ends included: X2 = right + 1.
    /// </summary>
    public static Box FromInclusivePixels(int left, int top, int right, int bottom)
    {
        if (right < left || bottom < top)
            throw new ArgumentException($"Box.FromInclusivePixels: right {right} < left {left} or bottom {bottom} < top {top}; an inclusive pixel range needs last ≥ first.");
        return new(left, top, right + 1, bottom + 1);
    }

    /// <summary>The box scaled by <paramref name="sx"/> horizontally and <paramref name="sy"/> vertically (e.g. image to feature-map coordinates).</summary>
    public Box Scale(float sx, float sy) => new(X1 * sx, Y1 * sy, X2 * sx, Y2 * sy);

    /// <summary>The box cut to the image [0, width] × [0, height].</summary>
    public Box Clip(float width, float height) =>
        new(Math.Clamp(X1, 0, width), Math.Clamp(Y1, 0, height), Math.Clamp(X2, 0, width), Math.Clamp(Y2, 0, height));

    public override string ToString() => $"({X1:0.##}, {Y1:0.##}, {X2:0.##}, {Y2:0.##})";
}

/// <summary>An object in an image, found by a detector or marked as ground truth: its box, class index and confidence score (1 for ground truth).</summary>
public readonly record struct DetectedObject(Box Box, int Class, float Score = 1f)
{
    public override string ToString() => $"class {Class} {Box} score {Score:0.###}";
}
