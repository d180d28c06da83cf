namespace CourseKit.Losses;

/// <summary>
/// Binary cross entropy on logits x with targets t in [0, 1] (GAN discriminators, masks):
/// E = mean(−t·log σ(x) − (1 − t)·log(1 − σ(x))), computed stably as mean(max(x, 0) − x·t + log(1 + e^−|x|)).
/// ∂E/∂x = (σ(x) − t) / (number of elements).
/// </summary>
public sealed class SigmoidBinaryCrossEntropy : Loss
{
    private Tensor? x, t;

    public override float Forward(Tensor x, Tensor t)
    {
        ExpectSameShape(Name, x, t);
        this.x = x;
        this.t = t;
        var perElement = x.Map(Backends.UnaryOp.Relu) - x * t + (1f + (-x.Abs()).Exp()).Log();
        return perElement.Sum().Item() / x.Length;
    }

    public override Tensor Backward()
    {
        var logits = Saved(x);
        return (logits.Map(Backends.UnaryOp.Sigmoid) - Saved(t)) / logits.Length;
    }
}
