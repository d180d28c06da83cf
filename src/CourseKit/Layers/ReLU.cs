using CourseKit.Backends;

namespace CourseKit.Layers;

/// <summary>ReLU: y = max(0, x); backward passes dout where x &gt; 0 and blocks it elsewhere.</summary>
public sealed class ReLU() : Activation(UnaryOp.Relu);
