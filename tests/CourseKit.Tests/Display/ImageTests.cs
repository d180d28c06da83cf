using CourseKit.Display;

namespace CourseKit.Tests.Display;

public sealed class ImageTests
{
    private static byte Expected(float v, float lo, float hi) =>
        (byte)MathF.Round(Math.Clamp((v - lo) / (hi - lo), 0f, 1f) * 255f);

    [Fact]
    public void FromTensor_zero_to_one_maps_values_linearly_and_clips_outside()
    {
        var t = TestImages.RandomTensor(10, 5, 6); // values in [-2, 2]
        var image = Image.FromTensor(t, ValueRange.ZeroToOne);
        var values = t.ToArray();
        Assert.Equal((6, 5, 1), (image.Width, image.Height, image.Channels));
        for (int i = 0; i < values.Length; i++)
            Assert.Equal(Expected(values[i], 0, 1), image.Pixels[i]);
        Assert.Contains(image.Pixels.ToArray(), p => p == 0);
        Assert.Contains(image.Pixels.ToArray(), p => p == 255);
    }

    [Fact]
    public void FromTensor_minus_one_to_one_maps_minus_one_to_black_and_one_to_white()
    {
        var image = Image.FromTensor(new float[,] { { -1f, 0f, 1f, 3f } }, ValueRange.MinusOneToOne);
        Assert.Equal([0, 128, 255, 255], image.Pixels.ToArray());
    }

    [Fact]
    public void FromTensor_auto_stretches_min_to_black_and_max_to_white()
    {
        var t = TestImages.RandomTensor(11, 7, 9);
        var values = t.ToArray();
        var image = Image.FromTensor(t);
        float lo = values.Min(), hi = values.Max();
        for (int i = 0; i < values.Length; i++)
            Assert.Equal(Expected(values[i], lo, hi), image.Pixels[i]);
        Assert.Equal(0, image.Pixels[Array.IndexOf(values, lo)]);
        Assert.Equal(255, image.Pixels[Array.IndexOf(values, hi)]);
    }

    [Fact]
    public void FromTensor_auto_of_a_constant_image_is_mid_gray()
    {
        var image = Image.FromTensor(Tensor.Full([3, 4], 0.7f));
        Assert.All(image.Pixels.ToArray(), p => Assert.Equal(128, p));
    }

    [Fact]
    public void FromTensor_rgb_interleaves_the_channel_planes()
    {
        var t = TestImages.RandomTensor(12, 3, 4, 5);
        var values = t.ToArray();
        var image = Image.FromTensor(t, ValueRange.MinusOneToOne);
        Assert.Equal(3, image.Channels);
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < 4; y++)
                for (int x = 0; x < 5; x++)
                    Assert.Equal(Expected(values[(c * 4 + y) * 5 + x], -1, 1), image[y, x, c]);
    }

    [Fact]
    public void FromTensor_of_a_batch_shows_the_first_image()
    {
        var batch = TestImages.RandomTensor(13, 4, 1, 6, 6);
        var first = Image.FromTensor(Tensor.FromData([6, 6], batch.ToArray().AsSpan(0, 36)), ValueRange.ZeroToOne);
        Assert.Equal(first.Pixels.ToArray(), Image.FromTensor(batch, ValueRange.ZeroToOne).Pixels.ToArray());
    }

    [Fact]
    public void FromTensor_rejects_four_channels_with_the_shape_in_the_message()
    {
        var error = Assert.Throws<ArgumentException>(() => Image.FromTensor(Tensor.Zeros(4, 5, 5)));
        Assert.Contains("(4, 5, 5)", error.Message);
        Assert.Contains("FeatureMaps", error.Message);
    }

    [Fact]
    public void Mosaic_places_image_i_at_row_i_div_columns_and_column_i_mod_columns()
    {
        var batch = TestImages.RandomTensor(14, 7, 3, 4, 5);
        var mosaic = Image.Mosaic(batch, columns: 3, range: ValueRange.ZeroToOne, padding: 2);
        Assert.Equal((3 * 5 + 2 * 2, 3 * 4 + 2 * 2), (mosaic.Width, mosaic.Height));
        var tiles = Image.Split(batch, ValueRange.ZeroToOne);
        for (int i = 0; i < 7; i++)
        {
            int top = i / 3 * 6, left = i % 3 * 7;
            for (int y = 0; y < 4; y++)
                for (int x = 0; x < 5; x++)
                    for (int c = 0; c < 3; c++)
                        Assert.Equal(tiles[i][y, x, c], mosaic[top + y, left + x, c]);
        }
        Assert.Equal(0, mosaic[4, 0, 0]); // padding row is black
    }

    [Fact]
    public void Scale_repeats_each_pixel_in_a_factor_by_factor_block()
    {
        var image = TestImages.Random(5, 3, 3, seed: 15);
        var big = image.Scale(4);
        Assert.Equal((20, 12), (big.Width, big.Height));
        for (int y = 0; y < 12; y++)
            for (int x = 0; x < 20; x++)
                for (int c = 0; c < 3; c++)
                    Assert.Equal(image[y / 4, x / 4, c], big[y, x, c]);
    }

    [Fact]
    public void ToDataUri_holds_the_png_in_base64()
    {
        var image = TestImages.Random(4, 4, 1, seed: 16);
        var uri = image.ToDataUri();
        Assert.StartsWith("data:image/png;base64,", uri);
        var png = Convert.FromBase64String(uri["data:image/png;base64,".Length..]);
        Assert.Equal(image.Pixels.ToArray(), PngDecoder.Decode(png).Pixels);
    }

    [Fact]
    public void Save_writes_a_png_file_that_decodes_to_the_pixels()
    {
        var image = TestImages.Gradient(10, 8, 1);
        var path = Path.Combine(Path.GetTempPath(), $"coursekit-{Guid.NewGuid():N}.png");
        try
        {
            image.Save(path);
            Assert.Equal(image.Pixels.ToArray(), PngDecoder.Decode(File.ReadAllBytes(path)).Pixels);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
