using CourseKit.Backends;

namespace CourseKit.Losses;

/// <summary>E = mean(|y − t|) (pix2pix's reconstruction term); ∂E/∂y = sign(y − t) / (number of elements), 0 where equal.</summary>
public sealed class L1Loss : Loss
{
    private Tensor? difference;

    public override float Forward(Tensor y, Tensor t)
    {
        ExpectSameShape(Name, y, t);
        difference = y - t;
        return difference.Abs().Sum().Item() / y.Length;
    }

    public override Tensor Backward()
    {
        var d = Saved(difference);
        var dy = new Tensor(d.Shape, d.Device);
        var scale = Tensor.Full(d.Shape, 1f / d.Length, d.Device);
        d.Backend.ActivationBackward(UnaryOp.Abs, d.Storage, d.Storage, scale.Storage, dy.Storage, d.Length);   // sign(d)/count
        return dy;
    }
}
