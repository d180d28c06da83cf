using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CourseKit.Notebooks.Grading;

/// <summary>
/// Grading at scale on a batch system (a GitHub Actions matrix, a Slurm array; examples in ci/grading/):
/// <c>grade --shard i/n</c> grades the i-th of n deterministic slices of the students into its own folder, with
/// a manifest (<see cref="FileName"/>) naming the slice and the source it graded against; <c>grade merge</c>
/// combines the shards' folders into one grades.csv and feedback set. Merging is idempotent and refuses what
/// does not belong together: shards of another source or another split, a shard given twice, a result in two
/// shards, a result its shard's grader did not sign.
/// </summary>
public static class ShardManifest
{
    public const string FileName = "shard.json";

    /// <summary>Parses "i/n" (1 ≤ i ≤ n).</summary>
    public static bool TryParse(string text, out (int Index, int Count) shard)
    {
        shard = default;
        var parts = text.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], out int i) || !int.TryParse(parts[1], out int n) || n < 1 || i < 1 || i > n) return false;
        shard = (i, n);
        return true;
    }

    /// <summary>SHA-256 of the source notebooks' files, in order (what a shard graded against).</summary>
    public static string SourceHash(IEnumerable<string> sourcePaths)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var path in sourcePaths)
        {
            byte[] bytes = File.ReadAllBytes(path);
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(Path.GetFileName(path) + "\n"));
            hash.AppendData(BitConverter.GetBytes((long)bytes.Length));
            hash.AppendData(bytes);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    internal static void Write(string folder, (int Index, int Count) shard, IEnumerable<string> sourcePaths)
    {
        var paths = sourcePaths.ToList();
        var exercises = paths.SelectMany(p => Notebook.Load(p).Cells.Select(GradingMarks.Of).Where(m => m is { IsTest: true }).Select(m => m!.GradeId)).Distinct();
        var json = new JsonObject
        {
            ["shard"] = $"{shard.Index}/{shard.Count}",
            ["source"] = SourceHash(paths),
            ["exercises"] = new JsonArray([.. exercises.Select(e => JsonValue.Create(e))]),
        };
        string path = Path.Combine(folder, FileName);
        if (File.Exists(path))
        {
            var before = JsonNode.Parse(File.ReadAllText(path))!;
            if ((string?)before["shard"] != (string?)json["shard"] || (string?)before["source"] != (string?)json["source"])
                throw new GradingMarkupException($"grade: {folder} holds shard {before["shard"]} of another source or split; give each shard a folder of its own.");
        }
        Gradebook.WriteAtomically(path, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>What <see cref="Merge"/> did.</summary>
    public sealed record MergeReport(int Shards, int Results, string GradesPath);

    /// <summary>
    /// Combines the shards' results and feedback into <paramref name="output"/>: one signed result per submission,
    /// the feedback pages and executed notebooks, and grades.csv. Throws <see cref="GradingMarkupException"/>
    /// (nothing written) when the shards do not belong together.
    /// </summary>
    public static MergeReport Merge(IReadOnlyList<string> shardFolders, string output)
    {
        var problems = new List<string>();
        var manifests = new List<(string Folder, string Shard, string Source, List<string> Exercises)>();
        foreach (var folder in shardFolders)
        {
            string path = Path.Combine(folder, FileName);
            if (!File.Exists(path)) { problems.Add($"{folder} is not a shard's folder (no {FileName}: grade it with --shard i/n)."); continue; }
            var json = JsonNode.Parse(File.ReadAllText(path))!;
            manifests.Add((folder, (string)json["shard"]!, (string)json["source"]!, [.. json["exercises"]!.AsArray().Select(e => (string)e!)]));
        }
        if (manifests.Select(m => m.Source).Distinct().Count() > 1)
            problems.Add("the shards were graded against different source notebooks: " + string.Join(", ", manifests.Select(m => $"{m.Folder} ({m.Source[..12]})")));
        if (manifests.Select(m => m.Shard.Split('/')[1]).Distinct().Count() > 1)
            problems.Add("the shards come from different splits: " + string.Join(", ", manifests.Select(m => $"{m.Folder} ({m.Shard})")));
        foreach (var twice in manifests.GroupBy(m => m.Shard).Where(g => g.Count() > 1))
            problems.Add($"shard {twice.Key} is given twice: {string.Join(", ", twice.Select(m => m.Folder))}.");

        var grades = new Dictionary<(string, string), (NotebookGrade Grade, string Folder)>();
        foreach (var m in manifests)
        {
            var (found, foreign) = new Gradebook(m.Folder).ReadAll();
            foreach (var file in foreign) problems.Add($"{Path.Combine(m.Folder, file)} is not a result this shard's grader wrote (its signature does not check).");
            foreach (var grade in found)
            {
                if (grades.TryGetValue((grade.Student, grade.Notebook), out var other))
                    problems.Add($"{grade.Student}/{grade.Notebook} was graded in two shards: {other.Folder} and {m.Folder}.");
                else grades[(grade.Student, grade.Notebook)] = (grade, m.Folder);
            }
        }
        // a merged folder may be merged into again (idempotent), but holds nothing the shards do not
        var target = new Gradebook(output);
        foreach (var grade in target.ReadAll().Grades.Where(g => !grades.ContainsKey((g.Student, g.Notebook))))
            problems.Add($"{output} already holds a result for {grade.Student}/{grade.Notebook} that none of these shards has; merge into an empty folder.");
        if (problems.Count > 0) throw new GradingMarkupException(string.Join("\n", problems) + "\nNothing was merged.");

        foreach (var ((student, notebook), (grade, folder)) in grades.OrderBy(g => g.Key))
        {
            var shard = new Gradebook(folder);
            foreach (var extension in new[] { ".ipynb", ".html" })
            {
                string from = shard.FeedbackPath(student, notebook, extension);
                if (File.Exists(from)) Gradebook.WriteAtomically(target.FeedbackPath(student, notebook, extension), File.ReadAllText(from));
            }
            target.Write(grade);
        }
        var ordered = grades.Values.Select(g => g.Grade).OrderBy(g => g.Student, StringComparer.Ordinal).ThenBy(g => g.Notebook, StringComparer.Ordinal);
        target.WriteGrades(ordered, manifests.FirstOrDefault().Exercises ?? []);
        return new MergeReport(manifests.Count, grades.Count, target.GradesPath);
    }
}
