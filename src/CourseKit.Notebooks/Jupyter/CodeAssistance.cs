using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CourseKit.Notebooks.Jupyter;

/// <summary>
/// What an editor asks while a student types, answered from Roslyn's own model of the next cell (it sees what the
/// earlier cells declared): is the cell complete, which names fit at the cursor, what is the name under it.
/// </summary>
internal static class CodeAssistance
{
    /// <summary>is_complete_request: "complete", or "incomplete" (an open brace or statement) with the indent to continue.</summary>
    public static JsonObject IsComplete(string code)
    {
        var tree = CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(LanguageVersion.Latest, kind: SourceCodeKind.Script));
        return SyntaxFactory.IsCompleteSubmission(tree)
            ? new JsonObject { ["status"] = "complete" }
            : new JsonObject { ["status"] = "incomplete", ["indent"] = "    " };
    }

    /// <summary>complete_request: the members (after a dot) or names in scope that start with the word at the cursor.</summary>
    public static JsonObject Complete(NotebookRunner.NotebookSession session, string code, int cursor)
    {
        cursor = Math.Clamp(cursor, 0, code.Length);
        int start = cursor;
        while (start > 0 && (char.IsLetterOrDigit(code[start - 1]) || code[start - 1] == '_')) start--;
        string prefix = code[start..cursor];

        var (tree, model) = session.Analyze(code);
        IEnumerable<ISymbol> symbols;
        if (start > 0 && code[start - 1] == '.'
            && tree.GetRoot().FindToken(start - 1).Parent is MemberAccessExpressionSyntax access)
        {
            var left = model.GetSymbolInfo(access.Expression).Symbol as INamespaceOrTypeSymbol
                ?? model.GetTypeInfo(access.Expression).Type;
            symbols = left is null ? [] : model.LookupSymbols(start, left, includeReducedExtensionMethods: true);
            if (left is ITypeSymbol && model.GetSymbolInfo(access.Expression).Symbol is INamedTypeSymbol)
                symbols = symbols.Where(s => s.IsStatic);  // Math. lists Math's statics, not instance members
        }
        else
        {
            symbols = model.LookupSymbols(start);
        }
        var matches = symbols
            .Where(s => s.CanBeReferencedByName && s.Name.StartsWith(prefix, StringComparison.Ordinal))
            .Select(s => s.Name).Distinct().Order(StringComparer.Ordinal).ToList();
        return new JsonObject
        {
            ["status"] = "ok",
            ["matches"] = new JsonArray([.. matches.Select(m => (JsonNode)m)]),
            ["cursor_start"] = start,
            ["cursor_end"] = cursor,
            ["metadata"] = new JsonObject(),
        };
    }

    /// <summary>inspect_request (hover): the declaration of the name at the cursor, as C# shows it.</summary>
    public static JsonObject Inspect(NotebookRunner.NotebookSession session, string code, int cursor)
    {
        cursor = Math.Clamp(cursor, 0, code.Length);
        var (tree, model) = session.Analyze(code);
        // the cursor is often just after the name (print(x| ): look at the token that ends there too
        var token = tree.GetRoot().FindToken(Math.Max(0, cursor > 0 && (cursor == code.Length || !char.IsLetterOrDigit(code[cursor])) ? cursor - 1 : cursor));
        var symbol = token.Parent is { } node
            ? model.GetSymbolInfo(node).Symbol ?? model.GetSymbolInfo(node).CandidateSymbols.FirstOrDefault() ?? model.GetDeclaredSymbol(node)
            : null;
        var data = new JsonObject();
        if (symbol is not null)
        {
            string text = symbol.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat.WithMemberOptions(
                SymbolDisplayMemberOptions.IncludeType | SymbolDisplayMemberOptions.IncludeParameters | SymbolDisplayMemberOptions.IncludeContainingType));
            if (symbol is ILocalSymbol or IFieldSymbol or IPropertySymbol or IParameterSymbol && !text.Contains(' '))
                text = $"{TypeOf(symbol)?.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)} {text}";
            data["text/plain"] = text;
        }
        return new JsonObject { ["status"] = "ok", ["found"] = symbol is not null, ["data"] = data, ["metadata"] = new JsonObject() };
    }

    private static ITypeSymbol? TypeOf(ISymbol symbol) => symbol switch
    {
        ILocalSymbol local => local.Type,
        IFieldSymbol field => field.Type,
        IPropertySymbol property => property.Type,
        IParameterSymbol parameter => parameter.Type,
        _ => null,
    };
}
