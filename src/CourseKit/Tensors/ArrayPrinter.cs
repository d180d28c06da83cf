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
        double a = Math.Abs((double)v); // compared in double, as NumPy does: float32(1e-4) is just below 1e-4
        if (a == 0 || (a >= 1e-4 && a < 1e16))
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
                // In float32, as NumPy compares float32 values with these limits.
                float max = nonZero.Max(), min = nonZero.Min();
                scientific = max >= 1e8f || min < 0.0001f || max / min > 1000f;
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
                // Every value shows the same number of digits; those past the shortest come from the exact value.
                var (lead, rest, exponent) = d.ScientificExact(precision);
                return lead.PadLeft(padLeft) + "." + rest + "e" + ExponentText(exponent, exponentDigits);
            }
            var (whole, fraction) = d.Positional(precision);
            return whole.PadLeft(padLeft) + "." + fraction.PadRight(padRight);
        }
    }

    /// <summary>
    /// A float as sign, significant decimal digits and exponent: value = ±0.Digits × 10^Exponent, with the shortest
    /// digits that read back as the same float32 (what .NET's "R" format gives), without leading or trailing zeros.
    /// Where fewer or more digits are needed, they come from the exact binary value, rounded half to even,
    /// as NumPy's Dragon4 does.
    /// </summary>
    private readonly record struct DecimalDigits(bool Negative, string Digits, int Exponent, float Value)
    {
        public static DecimalDigits Of(float v)
        {
            var (digits, exponent) = Parse(MathF.Abs(v).ToString("R", CultureInfo.InvariantCulture));
            return new DecimalDigits(float.IsNegative(v), digits, exponent, v);
        }

        /// <summary>"1.25E-05", "0.0001" or "123" as digits without leading or trailing zeros and the exponent of 0.Digits.</summary>
        private static (string Digits, int Exponent) Parse(string text)
        {
            int e = 0;
            int ePos = text.IndexOfAny(['E', 'e']);
            if (ePos >= 0)
            {
                e = int.Parse(text[(ePos + 1)..], CultureInfo.InvariantCulture);
                text = text[..ePos];
            }
            int point = text.IndexOf('.');
            string digits = point >= 0 ? text.Remove(point, 1) : text;
            int exponent = (point >= 0 ? point : text.Length) + e;
            string trimmed = digits.TrimStart('0');
            exponent -= digits.Length - trimmed.Length;
            trimmed = trimmed.TrimEnd('0');
            return trimmed.Length == 0 ? ("", 0) : (trimmed, exponent);
        }

        private string Sign => Negative ? "-" : "";

        private string ExactText => Math.Abs((double)Value).ToString("E120", CultureInfo.InvariantCulture);

        /// <summary>The exponent of 0.d… for the exact value (the shortest digits may have rounded up to the next power of 10).</summary>
        private int ExactExponent => Parse(ExactText).Exponent;

        /// <summary>
        /// The exact value rounded half to even to <paramref name="count"/> significant digits (padded with zeros),
        /// and the exponent of 0.digits. A float's exact decimal expansion has at most about 110 significant digits.
        /// </summary>
        private (string Digits, int Exponent) Exact(int count)
        {
            var (all, exponent) = Parse(ExactText);
            if (count < 0) return ("", exponent);
            if (all.Length <= count) return (all.PadRight(count, '0'), exponent);
            var kept = all[..count].ToCharArray();
            char next = all[count];
            bool tail = all.AsSpan(count + 1).ContainsAnyExcept('0');
            bool lastOdd = count > 0 && (kept[count - 1] - '0') % 2 == 1;
            bool up = next > '5' || (next == '5' && (tail || lastOdd));
            if (!up) return (new string(kept), exponent);
            for (int i = count - 1; i >= 0; i--)
            {
                if (kept[i] < '9') { kept[i]++; return (new string(kept), exponent); }
                kept[i] = '0';
            }
            return ("1" + new string(kept), exponent + 1); // 9.99… rounded up to 10.0… (or, for count 0, up to one unit)
        }

        /// <summary>Whole and fractional digits with at most <paramref name="maxFraction"/> fractional digits, trailing zeros removed.</summary>
        public (string Whole, string Fraction) Positional(int maxFraction)
        {
            string digits = Digits;
            int exponent = Exponent;
            if (digits.Length - exponent > maxFraction)
            {
                // Too many digits for the precision: round the exact value at the last allowed place.
                int count = ExactExponent + maxFraction; // significant digits up to the last allowed place
                (digits, exponent) = count < 0 ? ("", 0) : Exact(count);
                digits = digits.TrimEnd('0');
            }
            if (digits.Length == 0) return (Sign + "0", "");
            string whole = exponent <= 0 ? "0" : digits.PadRight(exponent, '0')[..exponent];
            string fraction = exponent >= digits.Length ? "" : exponent >= 0 ? digits[exponent..] : new string('0', -exponent) + digits;
            return (Sign + whole, fraction);
        }

        /// <summary>d.ddd × 10^e with the fewest digits that identify the value, at most <paramref name="maxFraction"/> after the point.</summary>
        public (string Lead, string Fraction, int Exponent) Scientific(int maxFraction)
        {
            if (Digits.Length == 0) return (Sign + "0", "", 0);
            if (Digits.Length - 1 <= maxFraction) return (Sign + Digits[0], Digits[1..], Exponent - 1);
            var (lead, fraction, exponent) = ScientificExact(maxFraction);
            return (lead, fraction.TrimEnd('0'), exponent);
        }

        /// <summary>d.ddd × 10^e with exactly <paramref name="fraction"/> digits after the point, from the exact value.</summary>
        public (string Lead, string Fraction, int Exponent) ScientificExact(int fraction)
        {
            if (Digits.Length == 0) return (Sign + "0", new string('0', fraction), 0);
            var (digits, exponent) = Exact(fraction + 1);
            return (Sign + digits[0], digits[1..(fraction + 1)], exponent - 1);
        }
    }
}
