namespace CourseKit.Cli;

/// <summary>Prints the lecture's chapter-1 worked examples, computed by the library.</summary>
internal static class Demo
{
    public static int Run()
    {
        Tensor x = new float[,] { { 1, 2, 3, 4 }, { 5, 6, 7, 8 }, { 9, 10, 11, 12 }, { 13, 14, 15, 16 } };
        Console.WriteLine("lecture 1.1: input X");
        Console.WriteLine(string.Join(", ", x.ToArray()));
        return 0;
    }
}
