using System.Globalization;
using System.Text;

namespace CourseKit;

/// <summary>
/// Prints a tensor exactly as NumPy's <c>print(x)</c> does for float32 (numpy/core/arrayprint.py, default options):
/// nested brackets, one shared format so that columns align, at most <see cref="Threshold"/> elements before
/// the middle is replaced by <c>...</c> (keeping <see cref="EdgeItems"/> on each side), lines wrapped at 75 characters.
/// </summary>
internal static class ArrayPrinter
{
    public const int Threshold = 1000;
    public const int EdgeItems = 3;
    public const int LineWidth = 75;
    public const int DefaultPrecision = 8;

    public static string Format(float[] data, int[] shape, int precision = DefaultPrecision, bool scalarStyle = true)
    {
        if (shape.Length == 0) return scalarStyle ? FormatScalar(data[0]) : new FloatFormat([data[0]], precision).Format(data[0]);
        if (data.Length == 0) return "[]";
        bool summarize = data.Length > Threshold;
        var strides = Shape.Wrap(shape).Strides();
        // The shared format is chosen from the elements that will be shown.
        var shown = summarize ? Shown(data, shape, strides) : data;
        var format = new FloatFormat(shown, precision);
        return Recurse(data, shape, strides, 0, 0, " ", LineWidth, summarize, format);
    }

    private static string Recurse(float[] data, int[] shape, int[] strides, int axis, int offset,
                                  string hangingIndent, int width, bool summarize, FloatFormat format)
    {
        if (axis == shape.Length) return format.Format(data[offset]);
        int axesLeft = shape.Length - axis;
        string nextIndent = hangingIndent + " ";
        int nextWidth = width - 1; // room for the closing ]
        int n = shape[axis];
        bool summary = summarize && 2 * EdgeItems < n;
        int leading = summary ? EdgeItems : 0;
        int trailing = summary ? EdgeItems : n;
        string Item(int i) => Recurse(data, shape, strides, axis + 1, offset + i * strides[axis], nextIndent, nextWidth, summarize, format);

        var s = new StringBuilder();
        if (axesLeft == 1)
        {
            int elementWidth = width - 1;
            var line = new StringBuilder(hangingIndent);
            for (int i = 0; i < leading; i++) { Extend(s, line, Item(i), elementWidth, hangingIndent); line.Append(' '); }
            if (summary) { Extend(s, line, "...", elementWidth, hangingIndent); line.Append(' '); }
            for (int i = trailing; i > 1; i--) { Extend(s, line, Item(n - i), elementWidth, hangingIndent); line.Append(' '); }
            Extend(s, line, Item(n - 1), elementWidth, hangingIndent);
            s.Append(line);
        }
        else
        {
            string lineSeparator = new('\n', axesLeft - 1); // a blank line between 2-D blocks, two between 3-D ones...
            for (int i = 0; i < leading; i++) s.Append(hangingIndent).Append(Item(i)).Append(lineSeparator);
            if (summary) s.Append(hangingIndent).Append("...").Append(lineSeparator);
            for (int i = trailing; i > 1; i--) s.Append(hangingIndent).Append(Item(n - i)).Append(lineSeparator);
            s.Append(hangingIndent).Append(Item(n - 1));
        }
        return "[" + s.ToString(hangingIndent.Length, s.Length - hangingIndent.Length) + "]";
    }

    /// <summary>Appends a word to the line, first wrapping the line when the word would pass the width.</summary>
    private static void Extend(StringBuilder s, StringBuilder line, string word, int width, string nextLinePrefix)
    {
        bool wrap = line.Length + word.Length > width && line.Length > nextLinePrefix.Length;
        if (wrap)
        {
            s.Append(line.ToString().TrimEnd()).Append('\n');
            line.Clear().Append(nextLinePrefix);
        }
        line.Append(word);
    }

    /// <summary>The elements NumPy looks at when summarizing: the first and last <see cref="EdgeItems"/> along every axis.</summary>
    private static float[] Shown(float[] data, int[] shape, int[] strides)
    {
        var result = new List<float>();
        void Walk(int axis, int offset)
        {
            if (axis == shape.Length) { result.Add(data[offset]); return; }
            int n = shape[axis];
            for (int i = 0; i < n; i++)
            {
                if (2 * EdgeItems < n && i == EdgeItems) i = n - EdgeItems;
                Walk(axis + 1, offset + i * strides[axis]);
            }
        }
        Walk(0, 0);
        return result.ToArray();
    }

    /// <summary>A 0-d tensor prints like NumPy's float32 scalar: 15.0, 0.25, 1e-05, nan.</summary>
    public static string FormatScalar(float v)
    {
        if (float.IsNaN(v)) return "nan";
        if (float.IsInfinity(v)) return v > 0 ? "inf" : "-inf";
        var d = DecimalDigits.Of(v);
        float a = Math.Abs(v);
        if (a == 0 || (a >= 1e-4f && a < 1e16f))
        {
            var (whole, fraction) = d.Positional(int.MaxValue);
            return whole + "." + (fraction.Length == 0 ? "0" : fraction);
        }
        var (lead, rest, exponent) = d.Scientific(int.MaxValue);
        return lead + (rest.Length == 0 ? "" : "." + rest) + "e" + ExponentText(exponent, 2);
    }

    private static string ExponentText(int exponent, int digits) =>
        (exponent < 0 ? "-" : "+") + Math.Abs(exponent).ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0');

    /// <summary>
    /// NumPy's FloatingFormat in its default 'maxprec' mode: each value is written with the fewest digits that
    /// identify it (at most <c>precision</c> after the point), then all are padded to one width. Scientific notation
    /// is used when the largest magnitude is at least 1e8, or the smallest nonzero one is below 1e-4, or they are
    /// more than 1000 apart.
    /// </summary>
    private sealed class FloatFormat
    {
        private readonly bool scientific;
        private readonly int precision;
        private readonly int padLeft, padRight, exponentDigits;

        public FloatFormat(float[] values, int precision)
        {
            this.precision = precision;
            var finite = values.Where(float.IsFinite).ToArray();
            var nonZero = finite.Where(v => v != 0).Select(MathF.Abs).ToArray();
            if (nonZero.Length > 0)
            {
                double max = nonZero.Max(), min = nonZero.Min();
                scientific = max >= 1e8 || min < 0.0001 || max / min > 1000.0;
            }
            if (finite.Length == 0)
            {
                padLeft = padRight = 0;
            }
            else if (scientific)
            {
                var parts = finite.Select(v => DecimalDigits.Of(v).Scientific(precision)).ToArray();
                this.precision = parts.Max(p => p.Fraction.Length);
                exponentDigits = Math.Max(2, parts.Max(p => Math.Abs(p.Exponent).ToString(CultureInfo.InvariantCulture).Length));
                padLeft = parts.Max(p => p.Lead.Length);
                padRight = exponentDigits + 2 + this.precision;
            }
            else
            {
                var parts = finite.Select(v => DecimalDigits.Of(v).Positional(precision)).ToArray();
                padLeft = parts.Max(p => p.Whole.Length);
                padRight = parts.Max(p => p.Fraction.Length);
            }
            if (finite.Length != values.Length)
            {
                // Room for nan and inf (and -inf) right-aligned in the column.
                bool negativeInfinity = values.Any(float.IsNegativeInfinity);
                int offset = padRight + 1;
                padLeft = Math.Max(padLeft, Math.Max(3 - offset, 3 + (negativeInfinity ? 1 : 0) - offset));
            }
        }

        public string Format(float v)
        {
            if (!float.IsFinite(v))
            {
                string text = float.IsNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
                return text.PadLeft(padLeft + padRight + 1);
            }
            var d = DecimalDigits.Of(v);
            if (scientific)
            {
                var (lead, rest, exponent) = d.Scientific(precision);
                return lead.PadLeft(padLeft) + "." + rest.PadRight(precision, '0') + "e" + ExponentText(exponent, exponentDigits);
            }
            var (whole, fraction) = d.Positional(precision);
            return whole.PadLeft(padLeft) + "." + fraction.PadRight(padRight);
        }
    }

    /// <summary>
    /// A float as sign, significant decimal digits and exponent: value = ±0.Digits × 10^Exponent, with the shortest
    /// digits that read back as the same float32 (what .NET's "R" format gives), without leading or trailing zeros.
    /// </summary>
    private readonly record struct DecimalDigits(bool Negative, string Digits, int Exponent, float Value)
    {
        public static DecimalDigits Of(float v)
        {
            string r = MathF.Abs(v).ToString("R", CultureInfo.InvariantCulture);
            int e = 0;
            int ePos = r.IndexOfAny(['E', 'e']);
            if (ePos >= 0)
            {
                e = int.Parse(r[(ePos + 1)..], CultureInfo.InvariantCulture);
                r = r[..ePos];
            }
            int point = r.IndexOf('.');
            string digits = point >= 0 ? r.Remove(point, 1) : r;
            int exponent = (point >= 0 ? point : r.Length) + e;
            int leadingZeros = digits.Length - digits.TrimStart('0').Length;
            digits = digits.TrimStart('0').TrimEnd('0');
            exponent -= leadingZeros;
            if (digits.Length == 0) exponent = 0;
            return new DecimalDigits(float.IsNegative(v), digits, exponent, v);
        }

        private string Sign => Negative ? "-" : "";

        /// <summary>Whole and fractional digits with at most <paramref name="maxFraction"/> fractional digits, trailing zeros removed.</summary>
        public (string Whole, string Fraction) Positional(int maxFraction)
        {
            string digits = Digits;
            int exponent = Exponent;
            if (digits.Length - exponent > maxFraction)
            {
                // Too many digits: round the exact binary value (as NumPy's Dragon4 does) to maxFraction places.
                string rounded = Math.Abs((double)Value).ToString("F" + maxFraction, CultureInfo.InvariantCulture);
                int point = rounded.IndexOf('.');
                string whole = rounded[..(point < 0 ? rounded.Length : point)];
                string fraction = point < 0 ? "" : rounded[(point + 1)..].TrimEnd('0');
                return (Sign + whole, fraction);
            }
            if (digits.Length == 0) return (Sign + "0", "");
            string w = exponent <= 0 ? "0" : digits.PadRight(exponent, '0')[..exponent];
            string f = exponent >= digits.Length ? "" : exponent >= 0 ? digits[exponent..] : new string('0', -exponent) + digits;
            return (Sign + w, f);
        }

        /// <summary>d.ddd × 10^e with at most <paramref name="maxRest"/> digits after the point, trailing zeros removed.</summary>
        public (string Lead, string Fraction, int Exponent) Scientific(int maxRest)
        {
            if (Digits.Length == 0) return (Sign + "0", "", 0);
            if (Digits.Length - 1 > maxRest)
            {
                string rounded = Math.Abs((double)Value).ToString("E" + maxRest, CultureInfo.InvariantCulture);
                int ePos = rounded.IndexOf('E');
                int exponent = int.Parse(rounded[(ePos + 1)..], CultureInfo.InvariantCulture);
                string mantissa = rounded[..ePos];
                int point = mantissa.IndexOf('.');
                string rest = point < 0 ? "" : mantissa[(point + 1)..].TrimEnd('0');
                return (Sign + mantissa[0], rest, exponent);
            }
            return (Sign + Digits[0], Digits[1..], Exponent - 1);
        }
    }
}
