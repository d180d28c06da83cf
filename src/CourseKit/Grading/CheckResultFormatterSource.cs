using CourseKit.Display;

namespace CourseKit.Grading;

/// <summary>
/// How a notebook shows a <see cref="CheckResult"/>: the compact pass/fail card as HTML, one line as plain text
/// (the <see cref="TypeFormatterSourceAttribute"/> convention, honoured by Polyglot and by CourseKit's runner).
/// </summary>
public sealed class CheckResultFormatterSource
{
    public IEnumerable<object> CreateTypeFormatters()
    {
        yield return new TypeFormatter<CheckResult>(Formatting.Html, (result, writer) => { writer.Write(result.ToHtml()); return true; });
        yield return new TypeFormatter<CheckResult>(Formatting.PlainText, (result, writer) => { writer.Write(result.ToString()); return true; });
    }
}
