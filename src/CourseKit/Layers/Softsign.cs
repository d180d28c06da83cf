using CourseKit.Backends;

namespace CourseKit.Layers;

/// <summary>Softsign: y = x / (1 + |x|); dy/dx = 1 / (1 + |x|)².</summary>
public sealed class Softsign() : Activation(UnaryOp.Softsign);
