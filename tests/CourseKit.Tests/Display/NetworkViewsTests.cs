using CourseKit.Display;

namespace CourseKit.Tests.Display;

public sealed class NetworkViewsTests
{
    [Fact]
    public void Filters_shows_one_tile_per_output_channel_from_the_chosen_input_channel()
    {
        var weights = TestImages.RandomTensor(40, 6, 2, 3, 3);
        var grid = NetworkViews.Filters(weights, channel: 1);
        Assert.Equal(6, grid.Items.Count);
        var values = weights.ToArray();
        for (int k = 0; k < 6; k++)
        {
            var expected = Image.FromTensor(Tensor.FromData([3, 3], values.AsSpan((k * 2 + 1) * 9, 9)));
            Assert.Equal(expected.Pixels.ToArray(), grid.Items[k].Image.Pixels.ToArray());
            Assert.Equal($"filter {k}", grid.Items[k].Caption);
        }
    }

    [Fact]
    public void Filters_with_three_input_channels_are_shown_in_colour()
    {
        var weights = TestImages.RandomTensor(41, 4, 3, 5, 5);
        var grid = NetworkViews.Filters(weights);
        Assert.All(grid.Items, item => Assert.Equal(3, item.Image.Channels));
        var first = Image.FromTensor(Tensor.FromData([3, 5, 5], weights.ToArray().AsSpan(0, 75)));
        Assert.Equal(first.Pixels.ToArray(), grid.Items[0].Image.Pixels.ToArray());
    }

    [Fact]
    public void FeatureMaps_shows_each_channel_of_one_input_with_its_own_range()
    {
        var activations = TestImages.RandomTensor(42, 1, 5, 6, 4);
        var grid = NetworkViews.FeatureMaps(activations, maxMaps: 3);
        Assert.Equal(3, grid.Items.Count);
        var values = activations.ToArray();
        for (int k = 0; k < 3; k++)
        {
            var map = Image.FromTensor(Tensor.FromData([6, 4], values.AsSpan(k * 24, 24)));
            Assert.Equal(map.Pixels.ToArray(), grid.Items[k].Image.Pixels.ToArray());
            Assert.Contains((byte)255, grid.Items[k].Image.Pixels.ToArray());
        }
    }

    [Fact]
    public void FeatureMaps_of_a_batch_asks_for_one_input()
    {
        var error = Assert.Throws<ArgumentException>(() => NetworkViews.FeatureMaps(Tensor.Zeros(2, 4, 5, 5)));
        Assert.Contains("(2, 4, 5, 5)", error.Message);
    }
}
