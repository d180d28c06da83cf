namespace CourseKit.Detection;

/// <summary>
/// Box regression targets of Faster R-CNN (lecture 6.1: "estimate the rectangular position more accurately by
/// regression"): a box is written relative to an anchor (xa, ya, wa, ha) in centre-size form as
///   tx = (x − xa) / wa,  ty = (y − ya) / ha,  tw = log(w / wa),  th = log(h / ha),
/// so that the network learns small, scale-free corrections; <see cref="Decode"/> is the inverse.
/// </summary>
public static class BoxCoder
{
    /// <summary>(tx, ty, tw, th) of <paramref name="box"/> relative to <paramref name="anchor"/>.</summary>
    public static (float Tx, float Ty, float Tw, float Th) Encode(Box box, Box anchor)
    {
        Grading.LibraryTwin.Used("BoxCoder.Encode");
        if (anchor.Width <= 0 || anchor.Height <= 0 || box.Width <= 0 || box.Height <= 0)
            throw new ArgumentException($"BoxCoder.Encode: box {box} and anchor {anchor} must both have positive width and height (the targets take log(w / wa)).");
        var (x, y, w, h) = box.ToCenter();
        var (xa, ya, wa, ha) = anchor.ToCenter();
        return ((x - xa) / wa, (y - ya) / ha, MathF.Log(w / wa), MathF.Log(h / ha));
    }

    /// <summary>The box that the offsets (tx, ty, tw, th) describe relative to <paramref name="anchor"/>: x = xa + tx·wa, w = wa·exp(tw).</summary>
    public static Box Decode(float tx, float ty, float tw, float th, Box anchor)
    {
        var (xa, ya, wa, ha) = anchor.ToCenter();
        return Box.FromCenter(xa + tx * wa, ya + ty * ha, wa * MathF.Exp(tw), ha * MathF.Exp(th));
    }
}
