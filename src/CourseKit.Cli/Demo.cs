using CourseKit.Operations;

namespace CourseKit.Cli;

/// <summary>Prints the lecture's worked examples (chapters 1, 2 and 5.3), each computed by the library.</summary>
internal static class Demo
{
    public static int Run()
    {
        Tensor x = Image(new float[,] { { 1, 2, 3, 4 }, { 5, 6, 7, 8 }, { 9, 10, 11, 12 }, { 13, 14, 15, 16 } });
        Tensor f = Image(new float[,] { { 1, 1, 1 }, { 2, 0, 1 }, { -1, -1, 0 } });

        Section("lecture 1.1  convolution X ⊗ F");
        Show(("X", x), ("F", f), ("Y", ConvolutionOperation.Forward(x, f)));

        Section("lecture 1.2  bias: X ⊗ F + 3");
        Show(("X", x), ("F", f), ("Y", ConvolutionOperation.Forward(x, f, new float[] { 3 })));

        Section("lecture 1.2  padding P = 1");
        Show(("X", x), ("F", f), ("Y", ConvolutionOperation.Forward(x, f, pad: 1)));

        Tensor x7 = Image(new float[,]
        {
            { 0, 0, 0, 0, 0, 0, 1 }, { 0, 1, 2, 3, 4, 0, 1 }, { 0, 5, 6, 7, 8, 0, 1 }, { 0, 9, 10, 11, 12, 0, 1 },
            { 0, 13, 14, 15, 16, 0, 1 }, { 0, 0, 0, 0, 0, 0, 1 }, { 1, 1, 1, 1, 1, 1, 1 },
        });
        Section("lecture 1.2  stride S = 2 on a 7x7 array");
        Show(("X", x7), ("F", f), ("Y", ConvolutionOperation.Forward(x7, f, stride: 2)));
        var (oh, ow) = ConvolutionOperation.OutputSize(7, 7, 3, 3, 0, 2);
        Console.WriteLine($"OH = (7 + 2*0 - 3) // 2 + 1 = {oh},  OW = {ow}");

        Section("lecture 1.3  im2col: X-tilde of the 4x4 example (one row per output position)");
        Show(("X-tilde (simple loop)", Im2Col.Simple(x, 3, 3)), ("X-tilde (via X-hat)", Im2Col.ViaXHat(x, 3, 3)));

        Tensor xp = Image(new float[,] { { 1, 2, 3, 4 }, { 5, 6, 7, 8 }, { 16, 15, 14, 13 }, { 12, 11, 10, 9 } });
        var pooled = PoolingOperation.Max(xp);
        Section("lecture 1.5  max pooling, 2x2 frame, stride 2");
        Show(("X", xp), ("Y", pooled.Y), ("argmax (ph*2 + pw)", pooled.Argmax));

        Section("lecture 2.3  pooling backward: dY goes to where each maximum was (x11, x13, x20, x22)");
        Tensor x23 = Image(new float[,] { { 1, 2, 3, 4 }, { 5, 9, 7, 9 }, { 9, 6, 9, 8 }, { 4, 3, 2, 1 } });
        Tensor dy = Image(new float[,] { { 10, 20 }, { 30, 40 } });
        Show(("X", x23), ("dY", dy), ("dX", PoolingOperation.MaxBackward(dy, PoolingOperation.Max(x23))));

        Tensor xt = Image(new float[,] { { 1, 2 }, { 3, 4 } });
        Tensor ft = Image(new float[,] { { 1, -1 }, { 2, 1 } });
        Section("lecture 5.3  transposed convolution (dilate by S, pad, ⊗ F)");
        Show(("X", xt), ("F", ft), ("Y, S = 2", TransposedConvolution.Lecture(xt, ft, 2)), ("Y, S = 1", TransposedConvolution.Lecture(xt, ft, 1)));
        Console.WriteLine("(the lecture prints 1 in the centre for S = 1; its definition gives 1 - 2 + 6 + 4 = 9)");
        Console.WriteLine("The efficient form (PyTorch's ConvTranspose2d) with F rotated by 180 degrees gives the same:");
        var rotated = TransposedConvolution.Rotate180(ft);
        Show(("rot180(F)", rotated), ("S = 2", TransposedConvolution.Forward(xt, rotated, null, 2)), ("S = 1", TransposedConvolution.Forward(xt, rotated, null, 1)));
        return 0;
    }

    private static Tensor Image(float[,] a) => Tensor.FromArray(a).Reshape(1, 1, a.GetLength(0), a.GetLength(1));

    private static void Section(string title)
    {
        Console.WriteLine();
        Console.WriteLine(title);
        Console.WriteLine(new string('-', title.Length));
    }

    // Prints small matrices side by side, each under its name.
    private static void Show(params (string Name, Tensor Value)[] items)
    {
        var blocks = items.Select(item => Block(item.Name, item.Value)).ToArray();
        int height = blocks.Max(b => b.Length);
        for (int line = 0; line < height; line++)
            Console.WriteLine(string.Join("    ", blocks.Select(b => (line < b.Length ? b[line] : "").PadRight(b.Max(l => l.Length)))).TrimEnd());
    }

    // The last two axes of a tensor as rows of right-aligned numbers under a title.
    private static string[] Block(string name, Tensor t)
    {
        int cols = t.Shape[-1], rows = t.Length / cols;
        var cells = t.ToArray().Select(v => v.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        int width = cells.Max(c => c.Length);
        var lines = new List<string> { name };
        for (int r = 0; r < rows; r++)
            lines.Add("[" + string.Join(" ", cells.Skip(r * cols).Take(cols).Select(c => c.PadLeft(width))) + "]");
        return lines.ToArray();
    }
}
