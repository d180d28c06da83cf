using CourseKit.Backends;

namespace CourseKit.Layers;

/// <summary>ELU: y = x for x &gt; 0, α·(eˣ − 1) otherwise; there dy/dx = α·eˣ = y + α.</summary>
public sealed class ELU(float alpha = 1f) : Activation(UnaryOp.Elu, alpha);
