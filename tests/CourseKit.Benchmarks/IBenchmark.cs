namespace CourseKit.Benchmarks;

/// <summary>One named benchmark of the app: <c>dotnet run -c Release --project tests/CourseKit.Benchmarks -- NAME</c>.</summary>
internal interface IBenchmark
{
    string Name { get; }
    string Description { get; }
    int Run(string[] args);
}
