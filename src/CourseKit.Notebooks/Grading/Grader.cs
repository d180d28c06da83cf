namespace CourseKit.Notebooks.Grading;

/// <summary>
/// nbgrader's autograde for a folder of submissions: for each student and each source notebook, restore the test
/// and read-only cells (<see cref="SubmissionRestore"/>), run it in a child process under limits
/// (<see cref="SubmissionRun"/>), score the test cells (<see cref="Scoring"/>), and write the results
/// (<see cref="Gradebook"/>) and feedback. A submission that fails in any way costs only its own points.
/// </summary>
public static class Grader
{
    public static GradingReport Grade(GraderOptions options)
    {
        if (!Directory.Exists(options.SubmissionsFolder))
            throw new DirectoryNotFoundException($"grade: the submissions folder {options.SubmissionsFolder} does not exist.");
        if (!Directory.Exists(options.SourceFolder))
            throw new DirectoryNotFoundException($"grade: the source folder {options.SourceFolder} does not exist.");

        // the source notebooks, validated before anything runs
        var sources = new List<(string Name, Notebook Notebook)>();
        var problems = new List<string>();
        foreach (var path in StudentRelease.SourceNotebooks(options.SourceFolder))
        {
            try
            {
                var notebook = Notebook.Load(path);
                Markup.Validate(notebook);
                if (Markup.HasGradingMarks(notebook))
                    sources.Add((Path.GetRelativePath(options.SourceFolder, path).Replace('\\', '/'), notebook));
            }
            catch (Exception e) when (e is NotebookFormatException or GradingMarkupException) { problems.Add(e.Message); }
        }
        if (problems.Count > 0) throw new GradingMarkupException(string.Join("\n", problems) + "\nNothing was graded.");
        if (sources.Count == 0)
            throw new GradingMarkupException($"grade: no notebook with grading marks (nbgrader cell metadata) under {options.SourceFolder}; nothing to grade against.");
        // refuse before anything runs: without a sandbox, student code could read the solutions and write the results
        var sandbox = options.WithoutSandbox ? SubmissionSandbox.None : SubmissionSandbox.Required(options.ReadOnly);

        var exerciseIds = sources.SelectMany(s => s.Notebook.Cells.Select(GradingMarks.Of).Where(m => m is { IsTest: true }).Select(m => m!.GradeId))
            .Distinct().ToList();
        var students = Directory.GetDirectories(options.SubmissionsFolder).Select(Path.GetFileName).OfType<string>()
            .Where(s => !s.StartsWith('.')).Order(StringComparer.Ordinal).ToList();
        if (options.Shard is { } shard) students = students.Where((_, i) => i % shard.Count == shard.Index - 1).ToList();
        var gradebook = new Gradebook(options.OutputFolder);
        if (options.Shard is { } slice) ShardManifest.Write(options.OutputFolder, slice, sources.Select(s => s.Notebook.Path!));
        // the children's private folders: outside the results (a child never sees them) and unlisted for others
        string workRoot = Directory.CreateTempSubdirectory("coursekit-grading-").FullName;
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(workRoot, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherExecute);
        var work = students.SelectMany(student => sources.Select(source => (Student: student, Source: source))).ToList();
        var grades = new NotebookGrade?[work.Count];
        int gradedNow = 0, skipped = 0;
        var gate = new object();

        try
        {
        Parallel.For(0, work.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Parallelism) }, i =>
        {
            var (student, (name, source)) = work[i];
            string? path = FindSubmission(Path.Combine(options.SubmissionsFolder, student), name);
            string hash = NotebookGrade.HashOf(source.Path!, path);
            var previous = options.Regrade ? null : gradebook.TryRead(student, name, hash);
            var grade = previous ?? GradeOrRecordWhyNot(options, gradebook, student, name, source, path, hash, sandbox, Path.Combine(workRoot, i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            lock (gate)
            {
                grades[i] = grade;
                if (previous is null) { gradedNow++; gradebook.WriteGrades(grades.OfType<NotebookGrade>(), exerciseIds); }
                else skipped++;
                options.Graded?.Invoke(grade, previous is not null);
            }
        });
        }
        finally
        {
            try { Directory.Delete(workRoot, recursive: true); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        var all = grades.OfType<NotebookGrade>().ToList();
        gradebook.WriteGrades(all, exerciseIds);
        return new GradingReport(all, gradedNow, skipped, gradebook.GradesPath);
    }

    /// <summary>Grades one submission; a failure of the grader itself (a full disk, ...) is recorded, and the run goes on.</summary>
    private static NotebookGrade GradeOrRecordWhyNot(
        GraderOptions options, Gradebook gradebook, string student, string name, Notebook source, string? path, string hash, SubmissionSandbox sandbox, string workFolder)
    {
        try { return GradeOne(options, gradebook, student, name, source, path, hash, sandbox, workFolder); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            var unscored = Scoring.Score(source, []).Select(x => x with { Message = "The grader could not grade this notebook." });
            // not written to results/: a rerun tries again
            return new NotebookGrade(student, name, [.. unscored], [], $"the grader failed: {e.Message}", NotebookGrade.GraderError);
        }
    }

    private static NotebookGrade GradeOne(
        GraderOptions options, Gradebook gradebook, string student, string name, Notebook source, string? path, string hash, SubmissionSandbox sandbox, string workFolder)
    {
        var unscored = Scoring.Score(source, []).Select(e => e with { Reason = null, Message = "" }).ToList();
        NotebookGrade grade;
        if (path is null)
        {
            grade = new NotebookGrade(student, name, [.. unscored.Select(e => e with { Reason = NotebookGrade.MissingNotebook, Message = $"{name} was not handed in." })],
                [], $"{name} was not found in the submission.", NotebookGrade.MissingNotebook, hash);
        }
        else
        {
            Notebook? submission = null;
            string? invalid = null;
            try { submission = Notebook.Load(path); }
            // the message without the grader's absolute path: the student knows the file by its name
            catch (NotebookFormatException e) { invalid = e.Message.Replace(Path.GetFullPath(path), name).Replace(path, name); }
            if (submission is null)
            {
                grade = new NotebookGrade(student, name, [.. unscored.Select(e => e with { Reason = NotebookGrade.InvalidNotebook, Message = "The notebook could not be read." })],
                    [], invalid, NotebookGrade.InvalidNotebook, hash);
            }
            else
            {
                var restored = SubmissionRestore.Restore(source, submission);
                // read before anything runs: the course's deny list, library twins, tests a student declaration would fool
                var found = StaticChecks.Find(source, restored).ToList();
                found.AddRange(Shadowing.Find(source, restored).Where(s => found.All(f => f.Cell != s.Cell)));
                var outcome = SubmissionRun.Run(restored, source.Path!, workFolder, options.Limits, options.Child, [.. found.OrderBy(f => f.Cell)], sandbox);
                // scored by the grader from what it sent and what the child answered for each cell
                grade = new NotebookGrade(student, name, Scoring.Score(restored, outcome.Runs, outcome.Incidents), outcome.Incidents,
                    ContentHash: hash, Notes: outcome.Notes);
                string executed = gradebook.FeedbackPath(student, name, ".ipynb");
                outcome.Executed.Save(executed);
                Gradebook.WriteAtomically(gradebook.FeedbackPath(student, name, ".html"), FeedbackPage.Render(grade, Path.GetFileName(executed)));
                if (Directory.Exists(workFolder)) Directory.Delete(workFolder, recursive: true);
            }
        }
        if (grade.Problem is not null)
            Gradebook.WriteAtomically(gradebook.FeedbackPath(student, name, ".html"), FeedbackPage.Render(grade, null));
        gradebook.Write(grade); // last: its presence marks the submission as graded
        return grade;
    }

    /// <summary>The student's copy of a notebook: at the same relative path, or else a file of the same name anywhere in their folder.</summary>
    private static string? FindSubmission(string studentFolder, string name)
    {
        string exact = Path.Combine(studentFolder, name);
        if (File.Exists(exact)) return exact;
        return Directory.GetFiles(studentFolder, Path.GetFileName(name), SearchOption.AllDirectories).Order(StringComparer.Ordinal).FirstOrDefault();
    }
}
