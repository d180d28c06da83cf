using System.Net;
using System.Text;

namespace CourseKit.Notebooks.Grading;

/// <summary>The page a student gets back for a notebook: each exercise's points, pass or fail, and the message.</summary>
public static class FeedbackPage
{
    public static string Render(NotebookGrade grade, string? executedNotebookFile)
    {
        var html = new StringBuilder();
        string title = $"{grade.Notebook}: {grade.Student}";
        html.Append($$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>{{Escape(title)}}</title>
            <style>
              body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }
              table { border-collapse: collapse; width: 100%; }
              td, th { border-bottom: 1px solid #ddd; padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
              .passed { color: #1a7f37; } .failed { color: #cf222e; }
              pre { white-space: pre-wrap; margin: 0; font-size: 0.9em; }
            </style>
            </head>
            <body>
            <h1>{{Escape(grade.Notebook)}}</h1>
            <p>Student: <b>{{Escape(grade.Student)}}</b>. Score: <b>{{ExerciseResult.Format(grade.Total)}} / {{ExerciseResult.Format(grade.Max)}}</b> points.</p>

            """);
        if (grade.Problem is not null)
            html.Append($"<p class=\"failed\"><b>{Escape(grade.ProblemReason ?? "")}</b>: {Escape(grade.Problem)}</p>\n");
        foreach (var incident in grade.Incidents)
        {
            string consequence = incident.Reason is Shadowing.Reason or StaticChecks.Reason
                ? "The cell was not run."
                : incident.RanAgain
                    ? "The notebook was run again without it, so that the other exercises could still be graded."
                    : "Nothing after it ran.";
            html.Append($"<p class=\"failed\">Cell {incident.Cell + 1} was stopped ({Escape(incident.Reason)}): {Escape(incident.Message)}. {consequence}</p>\n");
        }
        foreach (var note in grade.Notes ?? []) html.Append($"<p class=\"failed\">{Escape(note)}</p>\n");
        html.Append("<table>\n<tr><th>exercise</th><th>points</th><th>result</th></tr>\n");
        foreach (var e in grade.Exercises)
        {
            string css = e.Passed ? "passed" : "failed";
            string result = e.Passed ? "✔ passed" : $"✘ {Escape(e.Reason ?? "failed")}<pre>{Escape(e.Message)}</pre>";
            html.Append($"<tr class=\"{css}\"><td><code>{Escape(e.GradeId)}</code></td><td>{ExerciseResult.Format(e.Points)} / {ExerciseResult.Format(e.MaxPoints)}</td><td>{result}</td></tr>\n");
        }
        html.Append("</table>\n");
        if (executedNotebookFile is not null)
            html.Append($"<p>Your notebook as it ran during grading: <a href=\"{Escape(executedNotebookFile)}\">{Escape(executedNotebookFile)}</a>.</p>\n");
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}
