namespace CourseKit.Display;

/// <summary>How tensor values map to the 0..255 gray levels of an image.</summary>
public enum ValueRange
{
    /// <summary>The smallest value becomes black, the largest white (a constant image is mid-gray).</summary>
    Auto,

    /// <summary>Values in [0, 1] (pixels divided by 255, probabilities); outside values are clipped.</summary>
    ZeroToOne,

    /// <summary>Values in [-1, 1] (a tanh generator, normalized inputs); outside values are clipped.</summary>
    MinusOneToOne,
}
