using System.Text.RegularExpressions;
using CourseKit.Display;

namespace CourseKit.Tests.Display;

public sealed class ImageGridTests
{
    private static string[] ImageSources(string html) =>
        Regex.Matches(html, "<img src=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToArray();

    [Fact]
    public void FromPredictions_has_one_img_per_image_and_colours_only_wrong_captions()
    {
        var images = TestImages.RandomTensor(20, 5, 1, 28, 28);
        var grid = ImageGrid.FromPredictions(images, predicted: [3, 1, 4, 1, 5], actual: [3, 1, 4, 7, 5]);
        var html = grid.ToHtml();
        Assert.Equal(5, ImageSources(html).Length);
        var captions = Regex.Matches(html, "<figcaption([^>]*)>([^<]*)</figcaption>");
        Assert.Equal(5, captions.Count);
        var wrong = captions.Where(m => m.Groups[1].Value.Contains(ImageGrid.WrongColor.ToCss())).ToArray();
        Assert.Single(wrong);
        Assert.Equal("pred 1 / true 7", wrong[0].Groups[2].Value);
    }

    [Fact]
    public void FromPredictions_uses_class_names_when_given()
    {
        var images = TestImages.RandomTensor(21, 2, 3, 8, 8);
        var html = ImageGrid.FromPredictions(images, [0, 2], [0, 1], ["cat", "dog", "ship"]).ToHtml();
        Assert.Contains("pred cat / true cat", html);
        Assert.Contains("pred ship / true dog", html);
    }

    [Fact]
    public void Small_digits_are_enlarged_by_nearest_neighbour_to_the_minimum_size()
    {
        var digit = Image.FromTensor(TestImages.RandomTensor(22, 28, 28));
        var grid = new ImageGrid().Add(digit, "a digit");
        Assert.Equal(3, grid.ScaleFor(digit)); // ceil(84 / 28)
        var src = ImageSources(grid.ToHtml()).Single();
        var decoded = PngDecoder.Decode(Convert.FromBase64String(src["data:image/png;base64,".Length..]));
        Assert.Equal((84, 84), (decoded.Width, decoded.Height));
        Assert.Equal(digit.Scale(3).Pixels.ToArray(), decoded.Pixels);
    }

    [Fact]
    public void Captions_and_title_are_html_encoded()
    {
        var html = new ImageGrid { Title = "a<b" }.Add(TestImages.Random(2, 2, 1, 1), "x & y").ToHtml();
        Assert.Contains("a&lt;b", html);
        Assert.Contains("x &amp; y", html);
        Assert.DoesNotContain("x & y", html);
    }

    [Fact]
    public void FromPredictions_rejects_label_count_that_differs_from_image_count()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            ImageGrid.FromPredictions(TestImages.RandomTensor(23, 3, 1, 4, 4), [1, 2], [1, 2, 3]));
        Assert.Contains("3 images", error.Message);
    }
}
