using CourseKit.Display;
using CourseKit.Layers;

namespace CourseKit.Tests.Display;

public sealed class ModelGraphTests
{
    [Fact]
    public void Parallel_branches_share_a_row_and_a_join_sits_below_its_lowest_input()
    {
        var x = Model.Input(2, 4, 4);
        var y = Node.Concat(x.Then(new Convolution(2, 1, 1)), x.Then(new Convolution(2, 1, 1), new ReLU()), x.Then(new MaxPooling(3, 1, 1)));
        var graph = NetworkViews.Graph(new Model(x, y));
        Assert.Equal(["Input", "Convolution1", "Convolution2", "ReLU1", "MaxPooling1", "Concat1"], graph.Rows.Select(r => r.Name));
        Assert.Equal([0, 1, 1, 2, 1, 3], graph.Rank);
        Assert.Equal([0, 0, 1, 0, 2, 0], graph.Column);
        Assert.Equal([1, 3, 4], graph.Inputs[5]);
    }

    [Fact]
    public void The_svg_has_a_box_per_node_an_arrow_per_input_and_draws_the_skip_connection_apart()
    {
        var x = Model.Input(3, 8, 8);
        var body = x.Then(new Convolution(3, 3, 3, pad: 1), new ReLU(), new Convolution(3, 3, 3, pad: 1));
        var svg = NetworkViews.Graph(new Model(x, body + x)).ToSvg();
        Assert.StartsWith("<svg", svg);
        Assert.Equal(5, CountOf(svg, "<rect"));
        Assert.Equal(5, CountOf(svg, "marker-end"));                        // conv ← x, relu, conv, ⊕ ← conv and ← x
        Assert.Equal(1, CountOf(svg, "stroke=\"#c33\""));                   // the one skip past the body
        Assert.Contains("⊕ Add1", svg);
        Assert.Contains("(N, 3, 8, 8)", svg);
        Assert.Contains("84 params", svg);                                   // 3·3·9 + 3
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "").Length) / part.Length;
}
