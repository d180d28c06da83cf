using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CourseKit.Notebooks.Grading;

/// <summary>
/// Finds test cells a student's code could fool by declaring a type the test uses from the library: in one script
/// state, a student's <c>class Im2Col</c> hides CourseKit's <c>Im2Col</c>, so a test comparing against
/// <c>Im2Col.Simple(...)</c> would compare the student's answer with itself. Types the source notebook declares
/// itself (an exercise "write class Relu") are the student's to declare; <c>Check</c> is handled by
/// <see cref="SubmissionRestore.QualifiedCheck"/>.
/// </summary>
public static class Shadowing
{
    public const string Reason = "shadowing";

    /// <summary>An incident for each test cell of <paramref name="graded"/> that uses a name the student's code declares anew.</summary>
    public static IReadOnlyList<Incident> Find(Notebook source, Notebook graded)
    {
        var legitimate = source.Cells.Where(c => c.IsCode).SelectMany(c => DeclaredTypes(c.Source)).ToHashSet();
        var declared = new Dictionary<string, int>();
        for (int i = 0; i < graded.Cells.Count; i++)
        {
            var cell = graded.Cells[i];
            if (!cell.IsCode || GradingMarks.Of(cell) is { IsRestored: true }) continue;
            foreach (var name in DeclaredTypes(cell.Source).Where(n => !legitimate.Contains(n)))
                declared.TryAdd(name, i);
        }
        var incidents = new List<Incident>();
        if (declared.Count == 0) return incidents;
        for (int i = 0; i < graded.Cells.Count; i++)
        {
            if (GradingMarks.Of(graded.Cells[i]) is not { IsTest: true }) continue;
            var hidden = UsedNames(graded.Cells[i].Source).Where(declared.ContainsKey).Order(StringComparer.Ordinal).ToList();
            if (hidden.Count == 0) continue;
            string names = string.Join(", ", hidden.Select(n => $"'{n}' (cell {declared[n] + 1})"));
            incidents.Add(new Incident(i, Reason, $"this test uses {names} from the library, but your code declares a type of that name, which would hide it; rename yours"));
        }
        return incidents;
    }

    /// <summary>Types and using aliases a cell declares (at any depth).</summary>
    public static IEnumerable<string> DeclaredTypes(string code)
    {
        var root = Parse(code);
        return root.DescendantNodes().OfType<BaseTypeDeclarationSyntax>().Select(t => t.Identifier.ValueText)
            .Concat(root.DescendantNodes().OfType<DelegateDeclarationSyntax>().Select(d => d.Identifier.ValueText))
            .Concat(root.DescendantNodes().OfType<UsingDirectiveSyntax>().Where(u => u.Alias is not null).Select(u => u.Alias!.Name.Identifier.ValueText));
    }

    /// <summary>
    /// Every name a cell declares that later cells can see: its types and using aliases (at any depth), and the
    /// script's top-level members — methods, properties, fields, events and variables.
    /// </summary>
    public static IEnumerable<string> DeclaredNames(string code)
    {
        var root = Parse(code);
        var topLevel = root.ChildNodes().SelectMany(node => node switch
        {
            MethodDeclarationSyntax m => [m.Identifier.ValueText],
            PropertyDeclarationSyntax p => [p.Identifier.ValueText],
            EventDeclarationSyntax e => [e.Identifier.ValueText],
            BaseFieldDeclarationSyntax f => f.Declaration.Variables.Select(v => v.Identifier.ValueText),
            GlobalStatementSyntax { Statement: LocalDeclarationStatementSyntax l } => l.Declaration.Variables.Select(v => v.Identifier.ValueText),
            GlobalStatementSyntax { Statement: LocalFunctionStatementSyntax f } => [f.Identifier.ValueText],
            GlobalStatementSyntax g => g.DescendantNodes(n => n is not (LambdaExpressionSyntax or BlockSyntax or LocalFunctionStatementSyntax))
                .OfType<SingleVariableDesignationSyntax>().Select(d => d.Identifier.ValueText),
            _ => Enumerable.Empty<string>(),
        });
        return DeclaredTypes(code).Concat(topLevel).Distinct();
    }

    /// <summary>The names a cell looks up unqualified: the first identifier of each dotted name.</summary>
    public static IEnumerable<string> UsedNames(string code) =>
        Parse(code).DescendantNodes().OfType<SimpleNameSyntax>()
            .Where(n => n.Parent switch
            {
                MemberAccessExpressionSyntax access => access.Expression == n,
                QualifiedNameSyntax qualified => qualified.Left == n,
                AliasQualifiedNameSyntax => false,
                _ => true,
            })
            .Select(n => n.Identifier.ValueText)
            .Distinct();

    private static SyntaxNode Parse(string code) =>
        CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(LanguageVersion.Latest, kind: SourceCodeKind.Script)).GetRoot();
}
