using System.Text.Json.Nodes;
using CourseKit.Notebooks.Kernel;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Scripting;

namespace CourseKit.Notebooks.Grading;

/// <summary>
/// What the grader reads in the student's code before anything runs, with Roslyn's semantic model of the notebook
/// as it will run (every cell compiled in order, as one script chain), so that aliases, <c>using static</c>, fully
/// qualified names and <c>global::</c> all resolve to the symbol they mean:
/// <list type="bullet">
/// <item>the course's deny list (<see cref="Denied"/>): processes, reflection and interop, unsafe code, files and
/// the network, the console's raw streams, CourseKit's runner and grader, paths into /proc, /sys and /dev. Such a
/// cell is not run, and the exercise it belongs to scores 0;</item>
/// <item>library twins: an answer cell may name, in its metadata, the library functions (or, by a name without a dot,
/// the notebook's own read-only helpers) its answer must not call
/// (<c>"coursekit": {"library_twins": ["CourseKit.Operations.Im2Col.Simple"]}</c>, see Grading/README.md); a
/// student cell that calls one costs that exercise's tests;</item>
/// <item>shadowing: a test cell that names something (a type, method, field, property, variable, alias) that
/// resolves to a declaration in the student's code, where the source's answer does not declare that name, is not
/// run (the student's <c>Reference ConvolutionOperation</c> or own <c>CountPositions</c> would answer the test).</item>
/// </list>
/// </summary>
public static class StaticChecks
{
    public const string Reason = "forbidden code";
    public const string TwinReason = "library twin";

    /// <summary>The metadata key of an answer cell's library twins: <c>metadata.coursekit.library_twins</c>.</summary>
    public const string MetadataKey = "coursekit";
    public const string TwinsKey = "library_twins";

    /// <summary>Namespaces no answer may use, and why.</summary>
    public static readonly IReadOnlyList<(string Namespace, string Why)> DeniedNamespaces =
    [
        ("System.Reflection", "reflection can reach into the grader"),
        ("System.Runtime.InteropServices", "native memory and interop are outside what the grader can check"),
        ("System.Runtime.Loader", "loading assemblies is outside what an answer needs"),
        ("System.Runtime.CompilerServices.Unsafe", "unsafe memory access"),
        ("System.Net", "answers have no network"),
        ("System.IO.Pipes", "pipes reach other processes"),
        ("System.IO.MemoryMappedFiles", "mapped files reach outside the notebook"),
        ("System.Linq.Expressions", "compiled expressions can reach into the grader"),
        ("Microsoft.CodeAnalysis", "the compiler can reach into the grader"),
        ("CourseKit.Notebooks", "CourseKit's runner and grader are not for answers"),
        ("Microsoft.Win32", "the registry and native handles are outside what an answer needs"),
    ];

    /// <summary>Types no answer may use (besides the namespaces), and why.</summary>
    public static readonly IReadOnlyDictionary<string, string> DeniedTypes = new Dictionary<string, string>
    {
        ["System.Diagnostics.Process"] = "answers may not start processes",
        ["System.Diagnostics.ProcessStartInfo"] = "answers may not start processes",
        ["System.IO.File"] = "answers may not read or write files",
        ["System.IO.FileInfo"] = "answers may not read or write files",
        ["System.IO.FileStream"] = "answers may not read or write files",
        ["System.IO.Directory"] = "answers may not read or write files",
        ["System.IO.DirectoryInfo"] = "answers may not read or write files",
        ["System.IO.StreamReader"] = "answers may not read or write files",
        ["System.IO.StreamWriter"] = "answers may not read or write files",
        ["System.IO.FileSystemWatcher"] = "answers may not read or write files",
        ["System.IO.DriveInfo"] = "answers may not read or write files",
        ["System.IO.RandomAccess"] = "answers may not read or write files",
        ["System.AppDomain"] = "the application domain reaches into the grader",
        ["System.Activator"] = "creating types by name is reflection",
        ["System.Type"] = "reflection can reach into the grader",
        ["System.Threading.Thread"] = "threads outlive the cell and can race the grader",
        ["System.Runtime.CompilerServices.RuntimeHelpers"] = "runtime helpers reach under the type system",
        ["System.Runtime.CompilerServices.UnsafeAccessorAttribute"] = "unsafe accessors reach private members",
    };

    /// <summary>Members of allowed types that are not allowed.</summary>
    public static readonly IReadOnlyDictionary<string, string> DeniedMembers = new Dictionary<string, string>
    {
        ["System.Console.OpenStandardInput"] = "the console's raw streams belong to the grader",
        ["System.Console.OpenStandardOutput"] = "the console's raw streams belong to the grader",
        ["System.Console.OpenStandardError"] = "the console's raw streams belong to the grader",
        ["System.Console.SetIn"] = "the console's streams belong to the grader",
        ["System.Console.SetOut"] = "the console's streams belong to the grader",
        ["System.Console.SetError"] = "the console's streams belong to the grader",
        ["System.Console.In"] = "the console's input belongs to the grader",
        ["System.Console.Read"] = "the console's input belongs to the grader",
        ["System.Console.ReadLine"] = "the console's input belongs to the grader",
        ["System.Console.ReadKey"] = "the console's input belongs to the grader",
        ["System.Object.GetType"] = "reflection can reach into the grader",
    };

    /// <summary>
    /// The kernel's own functions a notebook cell calls as in Polyglot (<c>display</c>, <c>HTML</c>) and what they return:
    /// allowed although they live in CourseKit.Notebooks, which answers may not otherwise use.
    /// </summary>
    public static readonly IReadOnlySet<string> AllowedKernelTypes = new HashSet<string>
    {
        typeof(KernelGlobals).FullName!, typeof(DisplayedValue).FullName!, typeof(HtmlContent).FullName!,
    };

    // paths no answer may name in a string
    private static readonly string[] deniedPaths = ["/proc", "/sys/", "/dev/"];

    /// <summary>
    /// The incidents the static checks find in <paramref name="graded"/> (the restored notebook): for each student
    /// cell that uses something denied, that cell and its exercise's tests; for each library twin called, the tests;
    /// for each test that names a student's declaration, that test.
    /// </summary>
    public static IReadOnlyList<Incident> Find(Notebook source, Notebook graded)
    {
        string folder = source.Path is null ? Directory.GetCurrentDirectory() : Path.GetDirectoryName(Path.GetFullPath(source.Path))!;
        var sourceTexts = source.Cells.Where(c => c.IsCode).Select(c => Normalize(c.Source)).ToHashSet();
        bool IsStudentCell(int i) => graded.Cells[i].IsCode && GradingMarks.Of(graded.Cells[i]) is not { IsRestored: true }
            // the source's own unmarked cells (imports, demos), handed back unchanged, are the instructor's code
            && !(GradingMarks.Of(graded.Cells[i]) is null && sourceTexts.Contains(Normalize(graded.Cells[i].Source)));

        var models = Compile(graded, folder);
        var studentTrees = models.Where(m => IsStudentCell(m.Key)).Select(m => m.Value.SyntaxTree).ToHashSet();
        var legitimate = source.Cells.Where(c => c.IsCode && GradingMarks.Of(c) is { IsAnswer: true })
            .SelectMany(c => Shadowing.DeclaredNames(c.Source)).ToHashSet();
        var twins = TwinsByAnswer(source, graded);

        var incidents = new Dictionary<int, Incident>();
        void Add(Incident incident) => incidents.TryAdd(incident.Cell, incident);

        IReadOnlyCollection<string> TwinsOfAnswer(int cell) => twins.Where(t => t.Answer == cell).SelectMany(t => t.Names).ToArray();

        foreach (var (index, model) in models)
        {
            if (IsStudentCell(index))
            {
                if (Denied(model).FirstOrDefault() is { } denied)
                {
                    string what = $"cell {index + 1}, line {denied.Line}: {denied.What} ({denied.Why})";
                    Add(new Incident(index, Reason, $"{what}; no answer may use it, so the cell was not run"));
                    foreach (int test in Exercises.TestsOf(graded, Exercises.AnswerOf(graded, index)))
                        Add(new Incident(test, Reason, $"the code of this exercise uses something no answer may use, {what}"));
                }
                foreach (var (answer, names) in twins)
                {
                    // a later exercise may build on what an earlier one forbids (3-1's convolution uses im2col): its answer
                    // cell does not cost the earlier exercise. Cells the student adds are checked wherever they are (a helper
                    // placed at the end of the notebook could serve any answer).
                    if (index > answer && GradingMarks.Of(graded.Cells[index]) is { IsAnswer: true }) continue;
                    // an earlier answer that calls its own exercise's twin (3-10's IoU calling the library's IoU) costs
                    // that exercise only, not every later one that forbids the same twin and builds on the student's IoU
                    var charged = index == answer ? names : [.. names.Except(TwinsOfAnswer(index))];
                    if (Calls(model, charged, studentTrees).FirstOrDefault() is not { } call) continue;
                    foreach (int test in Exercises.TestsOf(graded, answer))
                        Add(new Incident(test, TwinReason,
                            $"cell {index + 1}, line {call.Line} calls {call.What}, the library's own version of what this exercise asks you to write; write it yourself"));
                }
            }
            else if (GradingMarks.Of(graded.Cells[index]) is { IsTest: true })
            {
                var hidden = Shadowed(model, studentTrees, legitimate).ToList();
                if (hidden.Count == 0) continue;
                string names = string.Join(", ", hidden.Select(h => $"'{h.Name}' (cell {models.First(m => m.Value.SyntaxTree == h.Tree).Key + 1})"));
                Add(new Incident(index, Shadowing.Reason,
                    $"this test uses {names}, which your code declares anew and so would replace what the test relies on; rename yours"));
            }
        }
        return [.. incidents.Values.OrderBy(i => i.Cell)];
    }

    /// <summary>The semantic model of each code cell, compiled in order as the runner runs them (cells that do not compile included).</summary>
    private static SortedDictionary<int, SemanticModel> Compile(Notebook notebook, string folder)
    {
        var options = NotebookRunner.ScriptOptionsFor(folder);
        var models = new SortedDictionary<int, SemanticModel>();
        Script<object>? previous = null;
        for (int i = 0; i < notebook.Cells.Count; i++)
        {
            var cell = notebook.Cells[i];
            if (!cell.IsCode) continue;
            string code = NotebookRunner.PrepareSource(cell).Code ?? "";
            var cellOptions = options.WithFilePath($"cell {i + 1}");
            var script = previous is null ? CSharpScript.Create(code, cellOptions, typeof(KernelGlobals)) : previous.ContinueWith(code, cellOptions);
            var compilation = script.GetCompilation();
            var tree = compilation.SyntaxTrees.Single();
            models[i] = compilation.GetSemanticModel(tree);
            // a cell that does not compile adds nothing to the state, as when it runs
            if (!compilation.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error)) previous = script;
        }
        return models;
    }

    private sealed record Finding(int Line, string What, string Why);

    /// <summary>Everything denied that a cell uses, in source order.</summary>
    private static IEnumerable<Finding> Denied(SemanticModel model)
    {
        var root = model.SyntaxTree.GetRoot();
        foreach (var node in root.DescendantNodesAndTokens())
        {
            int line = node.GetLocation()!.GetLineSpan().StartLinePosition.Line + 1;
            if (node.IsToken)
            {
                var token = node.AsToken();
                if (token.IsKind(SyntaxKind.UnsafeKeyword)) yield return new Finding(line, "unsafe code", "pointers reach any memory, the grader's too");
                if (token.IsKind(SyntaxKind.StringLiteralToken) || token.IsKind(SyntaxKind.InterpolatedStringTextToken)
                    || token.IsKind(SyntaxKind.SingleLineRawStringLiteralToken) || token.IsKind(SyntaxKind.MultiLineRawStringLiteralToken))
                    foreach (var path in deniedPaths.Where(p => token.ValueText.Contains(p, StringComparison.Ordinal)))
                        yield return new Finding(line, $"the path {path.TrimEnd('/')}", "the system's process and device files belong to the grader");
                continue;
            }
            var syntax = node.AsNode()!;
            if (syntax is PointerTypeSyntax or FunctionPointerTypeSyntax or FixedStatementSyntax)
                yield return new Finding(line, "pointers", "pointers reach any memory, the grader's too");
            if (syntax is IdentifierNameSyntax { IsVar: false } name && name.Identifier.ValueText == "dynamic"
                && model.GetTypeInfo(name).Type is { TypeKind: TypeKind.Dynamic })
                yield return new Finding(line, "dynamic", "dynamic calls are reflection");
            if (syntax is IdentifierNameSyntax { IsVar: true }) continue; // the type it stands for is named where it is made
            if (syntax is not (SimpleNameSyntax or MemberAccessExpressionSyntax or ObjectCreationExpressionSyntax or ImplicitObjectCreationExpressionSyntax)) continue;
            var symbol = model.GetSymbolInfo(syntax).Symbol ?? model.GetSymbolInfo(syntax).CandidateSymbols.FirstOrDefault();
            if (symbol is null) continue;
            if (Why(symbol) is { } why) yield return new Finding(line, Display(symbol), why);
        }
    }

    /// <summary>Why a symbol is denied, or null.</summary>
    private static string? Why(ISymbol symbol)
    {
        if (symbol is IMethodSymbol { ReducedFrom: { } reduced }) symbol = reduced;
        if (symbol is IMethodSymbol { MethodKind: MethodKind.Constructor } ctor) symbol = ctor.ContainingType;
        if (symbol is IAliasSymbol alias) symbol = alias.Target;
        var type = symbol as INamedTypeSymbol ?? symbol.ContainingType;
        if (type is not null && AllowedKernelTypes.Contains(Full(type))) return null;
        string member = symbol.ContainingType is { } container ? $"{Full(container)}.{symbol.Name}" : "";
        if (DeniedMembers.TryGetValue(member, out string? byMember)) return byMember;
        for (var t = type; t is not null; t = t.ContainingType)
            if (DeniedTypes.TryGetValue(Full(t), out string? byType)) return byType;
        string ns = (symbol as INamespaceSymbol ?? type?.ContainingNamespace ?? symbol.ContainingNamespace)?.ToDisplayString() ?? "";
        string full = type is null ? ns : Full(type);
        foreach (var (denied, why) in DeniedNamespaces)
            if (full == denied || full.StartsWith(denied + ".", StringComparison.Ordinal) || ns == denied || ns.StartsWith(denied + ".", StringComparison.Ordinal))
                return why;
        return null;
    }

    /// <summary>Calls (or other uses) of the given library functions or types, in source order.</summary>
    /// A name without a dot is a helper of the notebook itself (3-1's <c>CountPositions</c>): it is the twin where it
    /// resolves to the instructor's cell, not where the student declares and calls their own helper of that name.
    private static IEnumerable<Finding> Calls(SemanticModel model, IReadOnlyCollection<string> names, HashSet<SyntaxTree> studentTrees)
    {
        foreach (var syntax in model.SyntaxTree.GetRoot().DescendantNodes().Where(n => n is SimpleNameSyntax))
        {
            // A.B.C: the whole name (its last part) says what is called, not the type on its left
            if (IsLeftOfDot(syntax)) continue;
            var symbol = model.GetSymbolInfo(syntax).Symbol ?? model.GetSymbolInfo(syntax).CandidateSymbols.FirstOrDefault();
            if (symbol is IMethodSymbol { ReducedFrom: { } reduced }) symbol = reduced;
            if (symbol is IMethodSymbol { MethodKind: MethodKind.Constructor } ctor) symbol = ctor.ContainingType;
            if (symbol is null) continue;
            string full = symbol is INamedTypeSymbol t ? Full(t) : symbol.ContainingType is { } c ? $"{Full(c)}.{symbol.Name}" : symbol.Name;
            bool notebookHelper = symbol.ContainingType is { IsScriptClass: true } && symbol.Name is var bare && names.Contains(bare)
                && symbol.DeclaringSyntaxReferences.Any(r => !studentTrees.Contains(r.SyntaxTree));
            if (notebookHelper || names.Any(n => full == n || full.StartsWith(n + ".", StringComparison.Ordinal)))
                yield return new Finding(syntax.GetLocation().GetLineSpan().StartLinePosition.Line + 1, Display(symbol), "");
        }
    }

    private sealed record Hidden(string Name, SyntaxTree Tree);

    /// <summary>Names a test cell uses that resolve to a student's declaration not named in the source's answers.</summary>
    private static IEnumerable<Hidden> Shadowed(SemanticModel model, HashSet<SyntaxTree> studentTrees, HashSet<string> legitimate)
    {
        var seen = new HashSet<string>();
        foreach (var name in model.SyntaxTree.GetRoot().DescendantNodes().OfType<SimpleNameSyntax>())
        {
            // what a test looks up is the first part of a dotted name (Im2Col in Im2Col.Simple); the rest is that thing's member
            if (name.Parent is MemberAccessExpressionSyntax access && access.Name == name || name.Parent is QualifiedNameSyntax qualified && qualified.Right == name) continue;
            // a named argument (training: true) names a parameter of the method called, which the call already resolved
            if (name.Parent is NameColonSyntax) continue;
            // 'var' stands for the type of what it is given: a named tuple an answer returns is declared in the answer,
            // yet nothing is looked up by name (0-1's test took `var net = TrainTwoLayerNetwork(...)` for shadowing)
            if (name is IdentifierNameSyntax { IsVar: true }) continue;
            var alias = model.GetAliasInfo(name);
            var symbol = (ISymbol?)alias ?? model.GetSymbolInfo(name).Symbol ?? model.GetSymbolInfo(name).CandidateSymbols.FirstOrDefault();
            if (symbol is IMethodSymbol { ReducedFrom: { } reduced }) symbol = reduced;
            if (symbol is IMethodSymbol { MethodKind: MethodKind.Constructor } ctor) symbol = ctor.ContainingType;
            if (symbol is null or INamedTypeSymbol { IsTupleType: true }) continue;
            foreach (var reference in symbol.DeclaringSyntaxReferences)
            {
                if (!studentTrees.Contains(reference.SyntaxTree) || legitimate.Contains(symbol.Name) || !seen.Add(symbol.Name)) continue;
                yield return new Hidden(name.Identifier.ValueText, reference.SyntaxTree);
                break;
            }
        }
    }

    /// <summary>Each answer cell's library twins (by index in <paramref name="graded"/>), from the source's metadata.</summary>
    private static List<(int Answer, IReadOnlyCollection<string> Names)> TwinsByAnswer(Notebook source, Notebook graded)
    {
        var byId = source.Cells.Select(c => (Marks: GradingMarks.Of(c), Twins: Twins(c))).Where(c => c.Marks is { IsAnswer: true } && c.Twins.Count > 0)
            .ToDictionary(c => c.Marks!.GradeId, c => c.Twins);
        var result = new List<(int, IReadOnlyCollection<string>)>();
        for (int i = 0; i < graded.Cells.Count; i++)
            if (GradingMarks.Of(graded.Cells[i]) is { IsAnswer: true } marks && byId.TryGetValue(marks.GradeId, out var twins)) result.Add((i, twins));
        return result;
    }

    /// <summary>The library twins a cell's metadata names (<c>metadata.coursekit.library_twins</c>).</summary>
    public static IReadOnlyCollection<string> Twins(NotebookCell cell) =>
        cell.Metadata[MetadataKey]?[TwinsKey] is JsonArray names ? [.. names.Select(n => (string?)n).OfType<string>()] : [];

    /// <summary>True for A and B in A.B.C: a part of a dotted name that a further part follows.</summary>
    private static bool IsLeftOfDot(SyntaxNode name)
    {
        SyntaxNode node = name;
        if (node.Parent is MemberAccessExpressionSyntax inner && inner.Name == node) node = inner;
        else if (node.Parent is QualifiedNameSyntax q && q.Right == node) node = q;
        return node.Parent is MemberAccessExpressionSyntax outer && outer.Expression == node
            || node.Parent is QualifiedNameSyntax qualified && qualified.Left == node;
    }

    private static string Full(INamedTypeSymbol type) =>
        type.ToDisplayString(new SymbolDisplayFormat(typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces));

    private static string Display(ISymbol symbol) => symbol is INamedTypeSymbol t ? Full(t)
        : symbol.ContainingType is { } c ? $"{Full(c)}.{symbol.Name}" : symbol.ToDisplayString();

    private static string Normalize(string code) => code.Replace("\r", "").Trim();
}
