namespace CourseKit.Losses;

/// <summary>E = mean((y − t)²) over all elements; ∂E/∂y = 2·(y − t) / (number of elements).</summary>
public sealed class MeanSquaredError : Loss
{
    private Tensor? difference;

    public override float Forward(Tensor y, Tensor t)
    {
        ExpectSameShape(Name, y, t);
        difference = y - t;
        return difference.Square().Sum().Item() / y.Length;
    }

    public override Tensor Backward()
    {
        var d = Saved(difference);
        return d * (2f / d.Length);
    }
}
