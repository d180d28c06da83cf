using System.Net;
using CourseKit.Display;

namespace CourseKit.Grading;

/// <summary>The outcome of one check in a test cell: its name, pass or fail, and what a student should read.</summary>
[TypeFormatterSource(typeof(CheckResultFormatterSource), PreferredMimeTypes = [Formatting.Html, Formatting.PlainText])]
public sealed record CheckResult(string Name, bool Passed, string Message)
{
    /// <summary>Plain-text form, one line per part: "✔ 3-1.im2col — ...".</summary>
    public override string ToString() => $"{(Passed ? "✔ PASS" : "✘ FAIL")} {Name}: {Message}";

    /// <summary>A compact card: green when passed, red with the explanation when failed.</summary>
    public string ToHtml()
    {
        string colour = Passed ? "#1a7f37" : "#cf222e";
        string background = Passed ? "#dafbe1" : "#ffebe9";
        string mark = Passed ? "✔ passed" : "✘ failed";
        return $"<div class=\"coursekit-check\" style=\"border-left:4px solid {colour};background:{background};padding:4px 8px;margin:2px 0;font-family:sans-serif;font-size:13px\">" +
               $"<b style=\"color:{colour}\">{mark}</b> <code>{WebUtility.HtmlEncode(Name)}</code>" +
               $"<pre style=\"margin:2px 0 0 0;white-space:pre-wrap;background:none\">{WebUtility.HtmlEncode(Message)}</pre></div>";
    }
}

/// <summary>Thrown by a failing check so that the test cell fails, as an nbgrader test cell does.</summary>
public sealed class CheckFailedException(CheckResult result) : Exception($"{result.Name}: {result.Message}")
{
    public CheckResult Result { get; } = result;
}
