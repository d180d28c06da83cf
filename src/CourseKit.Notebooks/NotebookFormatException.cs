namespace CourseKit.Notebooks;

/// <summary>A file that is not a notebook the runner can read; the message names the file and what is wrong.</summary>
public sealed class NotebookFormatException(string message, Exception? inner = null) : Exception(message, inner);
