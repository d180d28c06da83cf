using CourseKit.Backends;

namespace CourseKit.Layers;

/// <summary>Hyperbolic tangent: y = tanh x; dy/dx = 1 − y².</summary>
public sealed class Tanh() : Activation(UnaryOp.Tanh);
