using CourseKit.Notebooks;
using CourseKit.Notebooks.Grading;

namespace CourseKit.Tests.Grading;

public class ShadowingTests
{
    [Fact]
    public void DeclaredTypesFindsClassesRecordsStructsEnumsDelegatesAndAliases()
    {
        string code = "using Alias = System.Math;\nclass A { class Nested { } }\nrecord R(int X);\nstruct S { }\nenum E { One }\ndelegate int D();\nint F() => 1;";
        Assert.Equal(["A", "Nested", "R", "S", "E", "D", "Alias"], Shadowing.DeclaredTypes(code));
    }

    [Fact]
    public void UsedNamesAreTheFirstIdentifierOfEachDottedName()
    {
        var names = Shadowing.UsedNames("global::CourseKit.Grading.Check.Close(\"x\", Im2Col.Simple(X, 3, 3), MyIm2Col(X, 3, 3));").ToList();
        Assert.Contains("Im2Col", names);
        Assert.Contains("MyIm2Col", names);
        Assert.Contains("X", names);
        Assert.DoesNotContain("Simple", names);
        Assert.DoesNotContain("CourseKit", names);
        Assert.DoesNotContain("Check", names);
    }

    [Fact]
    public void AStudentTypeHidingALibraryTypeATestUsesDisablesThatTest()
    {
        var source = GradingFixtures.Source();
        var student = StudentRelease.Release(source);
        student.Cell("im2col-answer").Source = "static class Im2Col { }";
        var graded = SubmissionRestore.Restore(source, student);

        var incident = Assert.Single(Shadowing.Find(source, graded));

        Assert.Equal(graded.Cells.ToList().FindIndex(c => GradingMarks.Of(c)?.GradeId == "im2col"), incident.Cell);
        Assert.Equal(Shadowing.Reason, incident.Reason);
        Assert.Contains("'Im2Col' (cell 7)", incident.Message);
    }

    [Fact]
    public void TypesTheSourceDeclaresAndNamesNoTestUsesAreTheStudentsToDeclare()
    {
        var source = GradingFixtures.Source();
        source.Cell("im2col-answer").Source += "\nrecord Patch(int Row, int Column);";
        source.Cell("im2col").Source += "\nCheck.Equal(\"patch\", new Patch(0, 1), new Patch(0, 1));";
        var student = StudentRelease.Release(source);
        student.Cell("im2col-answer").Source = "record Patch(int Row, int Column);\nclass MyHelper { }";

        Assert.Empty(Shadowing.Find(source, SubmissionRestore.Restore(source, student)));
    }
}
