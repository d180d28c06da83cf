namespace CourseKit.Notebooks.Grading;

/// <summary>Grading marks that nbgrader would reject; the message names the notebook, the cell and what to fix.</summary>
public sealed class GradingMarkupException(string message) : Exception(message);
