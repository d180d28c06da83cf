namespace CourseKit.Display;

/// <summary>An 8-bit colour, for overlays and captions.</summary>
public readonly record struct Rgb(byte R, byte G, byte B)
{
    public static Rgb Red => new(214, 39, 40);
    public static Rgb Green => new(44, 160, 44);
    public static Rgb Blue => new(31, 119, 180);
    public static Rgb Yellow => new(255, 221, 0);

    /// <summary>The colour as CSS hex, e.g. #d62728.</summary>
    public string ToCss() => $"#{R:x2}{G:x2}{B:x2}";

    public override string ToString() => ToCss();
}
