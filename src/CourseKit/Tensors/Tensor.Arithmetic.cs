using CourseKit.Backends;

namespace CourseKit;

public sealed partial class Tensor
{
    public static Tensor operator +(Tensor a, Tensor b) => Binary(BinaryOp.Add, a, b, "+");
    public static Tensor operator -(Tensor a, Tensor b) => Binary(BinaryOp.Subtract, a, b, "-");
    public static Tensor operator *(Tensor a, Tensor b) => Binary(BinaryOp.Multiply, a, b, "*");
    public static Tensor operator /(Tensor a, Tensor b) => Binary(BinaryOp.Divide, a, b, "/");

    public static Tensor operator +(Tensor a, float s) => Scalar(BinaryOp.Add, a, s, false);
    public static Tensor operator -(Tensor a, float s) => Scalar(BinaryOp.Subtract, a, s, false);
    public static Tensor operator *(Tensor a, float s) => Scalar(BinaryOp.Multiply, a, s, false);
    public static Tensor operator /(Tensor a, float s) => Scalar(BinaryOp.Divide, a, s, false);
    public static Tensor operator +(float s, Tensor a) => Scalar(BinaryOp.Add, a, s, true);
    public static Tensor operator -(float s, Tensor a) => Scalar(BinaryOp.Subtract, a, s, true);
    public static Tensor operator *(float s, Tensor a) => Scalar(BinaryOp.Multiply, a, s, true);
    public static Tensor operator /(float s, Tensor a) => Scalar(BinaryOp.Divide, a, s, true);
    public static Tensor operator -(Tensor a) => a.Map(UnaryOp.Negate);

    public static Tensor Maximum(Tensor a, Tensor b) => Binary(BinaryOp.Maximum, a, b, "Maximum");
    public static Tensor Minimum(Tensor a, Tensor b) => Binary(BinaryOp.Minimum, a, b, "Minimum");
    public Tensor Pow(float exponent) => Scalar(BinaryOp.Power, this, exponent, false);

    /// <summary>Limits every element to [min, max] (NumPy's clip).</summary>
    public Tensor Clip(float min, float max)
    {
        if (!(min <= max)) throw new ArgumentException($"Clip: min ({min}) must not exceed max ({max}).");
        var y = Scalar(BinaryOp.Maximum, this, min, false);
        Backend.BinaryScalar(BinaryOp.Minimum, y.Storage, max, false, y.Storage, y.Length);
        return y;
    }

    public Tensor Exp() => Map(UnaryOp.Exp);
    public Tensor Log() => Map(UnaryOp.Log);
    public Tensor Sqrt() => Map(UnaryOp.Sqrt);
    public Tensor Abs() => Map(UnaryOp.Abs);
    public Tensor Square() => Map(UnaryOp.Square);

    /// <summary>y = f(x) elementwise through the backend.</summary>
    public Tensor Map(UnaryOp op, float alpha = 0f)
    {
        var y = new Tensor(Shape, Device);
        Backend.Unary(op, Storage, y.Storage, Length, alpha);
        return y;
    }

    private static Tensor Scalar(BinaryOp op, Tensor a, float s, bool scalarFirst)
    {
        var y = new Tensor(a.Shape, a.Device);
        a.Backend.BinaryScalar(op, a.Storage, s, scalarFirst, y.Storage, a.Length);
        return y;
    }

    private static Tensor Binary(BinaryOp op, Tensor a, Tensor b, string symbol)
    {
        // A single number (a 0-d tensor, e.g. from an implicit float) follows the other operand to its device.
        if (a.Device != b.Device && b.Rank == 0) b = b.To(a.Device);
        else if (a.Device != b.Device && a.Rank == 0) a = a.To(b.Device);
        SameDevice(symbol, a, b);
        int[] shape = BroadcastShape(a.Shape, b.Shape, symbol);
        var y = new Tensor(shape, a.Device);
        a.Backend.Binary(op, a.Storage, BroadcastStrides(a.Shape, shape), b.Storage, BroadcastStrides(b.Shape, shape), y.Storage, shape);
        return y;
    }

    /// <summary>NumPy broadcasting: align shapes on the right; each pair of sizes must match or one must be 1.</summary>
    public static int[] BroadcastShape(Shape a, Shape b, string operation = "broadcast")
    {
        int rank = Math.Max(a.Rank, b.Rank);
        var shape = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Rank ? 1 : a[i - (rank - a.Rank)];
            int db = i < rank - b.Rank ? 1 : b[i - (rank - b.Rank)];
            if (da != db && da != 1 && db != 1)
                throw new ArgumentException($"Operands could not be broadcast together for '{operation}': shapes {a} and {b} differ at axis {i} ({da} vs {db}); sizes must be equal or 1.");
            shape[i] = da == 1 ? db : da;
        }
        return shape;
    }

    /// <summary>Strides for reading a tensor of shape <paramref name="from"/> as if it had the broadcast shape <paramref name="to"/>.</summary>
    internal static int[] BroadcastStrides(Shape from, int[] to)
    {
        var strides = new int[to.Length];
        var own = from.Strides();
        int shift = to.Length - from.Rank;
        for (int i = 0; i < to.Length; i++)
            strides[i] = i < shift || from[i - shift] == 1 ? 0 : own[i - shift];
        return strides;
    }
}
