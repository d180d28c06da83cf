using CourseKit.Backends;

namespace CourseKit.Layers;

/// <summary>Sigmoid: y = 1 / (1 + e⁻ˣ); dy/dx = y·(1 − y).</summary>
public sealed class Sigmoid() : Activation(UnaryOp.Sigmoid);
