using CourseKit.Benchmarks;

// Each benchmark is a class implementing IBenchmark; they are listed here by discovery so that
// adding one is adding one file.
var benchmarks = typeof(IBenchmark).Assembly.GetTypes()
    .Where(t => typeof(IBenchmark).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false })
    .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
    .OrderBy(b => b.Name)
    .ToList();

var chosen = args.Length > 0 ? benchmarks.FirstOrDefault(b => b.Name == args[0]) : null;
if (chosen is null)
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project tests/CourseKit.Benchmarks -- NAME [options]");
    foreach (var b in benchmarks) Console.Error.WriteLine($"  {b.Name,-8} {b.Description}");
    return 2;
}
return chosen.Run(args[1..]);
