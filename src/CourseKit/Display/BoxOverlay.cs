namespace CourseKit.Display;

/// <summary>A rectangle to draw over an image, in the image's pixel coordinates (x1, y1 top-left, x2, y2 bottom-right, continuous).</summary>
public readonly record struct Rectangle(float X1, float Y1, float X2, float Y2, Rgb Color);

/// <summary>
/// Boxes drawn over an image (lecture 6: localization and detection mark objects with rectangles). The image is enlarged
/// <c>scale</c> times first, so a one-pixel outline stays thin next to small objects; each box's colour usually says its class.
/// </summary>
public static class BoxOverlay
{
    /// <summary>Colours for class indices 0, 1, 2, … (repeating after 8).</summary>
    public static Rgb ClassColor(int index) => Palette[((index % Palette.Length) + Palette.Length) % Palette.Length];

    private static readonly Rgb[] Palette =
    [
        new(255, 127, 14), new(31, 180, 255), new(44, 220, 44), new(255, 60, 60),
        new(200, 120, 255), new(255, 221, 0), new(255, 120, 200), new(230, 230, 230),
    ];

    /// <summary>
    /// The image (H, W), (C, H, W) or (N, C, H, W) (first image) as RGB, enlarged <paramref name="scale"/> times, with
    /// the rectangles' outlines (<paramref name="thickness"/> pixels of the enlarged image) drawn in order.
    /// </summary>
    public static Image Create(Tensor image, IEnumerable<Rectangle> boxes, int scale = 4, int thickness = 1, ValueRange range = ValueRange.Auto)
    {
        if (thickness < 1) throw new ArgumentException($"BoxOverlay: the thickness must be at least 1 pixel, got {thickness}.");
        var picture = Image.FromTensor(image, range).Scale(scale);
        int w = picture.Width, h = picture.Height;
        var rgb = new byte[w * h * 3];
        for (int p = 0; p < w * h; p++)
            for (int c = 0; c < 3; c++) rgb[p * 3 + c] = picture.Pixels[p * picture.Channels + (picture.Channels == 3 ? c : 0)];
        foreach (var box in boxes)
        {
            // the outline lies just inside the box's edges: columns [x1·scale, x2·scale)
            int left = (int)MathF.Round(box.X1 * scale), right = (int)MathF.Round(box.X2 * scale) - 1;
            int top = (int)MathF.Round(box.Y1 * scale), bottom = (int)MathF.Round(box.Y2 * scale) - 1;
            for (int t = 0; t < thickness; t++)
            {
                for (int x = left; x <= right; x++) { Put(x, top + t); Put(x, bottom - t); }
                for (int y = top; y <= bottom; y++) { Put(left + t, y); Put(right - t, y); }
            }

            void Put(int x, int y)
            {
                if ((uint)x >= (uint)w || (uint)y >= (uint)h) return;
                int at = (y * w + x) * 3;
                rgb[at] = box.Color.R; rgb[at + 1] = box.Color.G; rgb[at + 2] = box.Color.B;
            }
        }
        return new Image(w, h, 3, rgb);
    }
}
