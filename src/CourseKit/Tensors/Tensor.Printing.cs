using System.Globalization;

namespace CourseKit;

/// <summary>Printing: <c>Console.WriteLine(x)</c> shows what NumPy's <c>print(x)</c> shows for the same float32 array.</summary>
public sealed partial class Tensor : IFormattable
{
    /// <summary>NumPy's print(x): nested brackets, aligned columns, <c>...</c> for more than 1000 elements.</summary>
    public override string ToString() => ArrayPrinter.Format(ToArray(), dims);

    /// <summary>As NumPy with <c>np.set_printoptions(precision=...)</c>: at most that many digits after the point.</summary>
    public string ToString(int precision)
    {
        if (precision < 0) throw new ArgumentOutOfRangeException(nameof(precision), $"Precision cannot be negative, got {precision}.");
        return ArrayPrinter.Format(ToArray(), dims, precision, scalarStyle: false);
    }

    /// <summary>
    /// <c>"F3"</c> (or <c>"3"</c>) prints with at most 3 digits after the point, so that <c>$"{x:F3}"</c> works;
    /// null or empty is <see cref="ToString()"/>.
    /// </summary>
    public string ToString(string? format, IFormatProvider? formatProvider = null)
    {
        if (string.IsNullOrEmpty(format)) return ToString();
        string digits = format is ['F' or 'f', .. var rest] ? rest : format;
        if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int precision))
            throw new FormatException($"Tensor format \"{format}\" is not understood; use \"F\" followed by the number of digits after the point, e.g. \"F3\".");
        return ToString(precision);
    }
}
