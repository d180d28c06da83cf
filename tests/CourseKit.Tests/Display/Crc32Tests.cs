using CourseKit.Display;

namespace CourseKit.Tests.Display;

public sealed class Crc32Tests
{
    [Fact]
    public void Crc32_of_the_standard_check_string_is_the_published_check_value()
    {
        // The CRC-32/ISO-HDLC catalogue check value for "123456789".
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
    }

    [Fact]
    public void Crc32_table_version_matches_bitwise_version_on_random_bytes()
    {
        var random = new Random(6);
        foreach (int length in new[] { 0, 1, 7, 64, 1001 })
        {
            var bytes = new byte[length];
            random.NextBytes(bytes);
            Assert.Equal(PngDecoder.BitwiseCrc(bytes), Crc32.Compute(bytes));
        }
    }

    [Fact]
    public void Crc32_append_in_pieces_equals_crc_of_the_whole()
    {
        var bytes = new byte[300];
        new Random(7).NextBytes(bytes);
        uint pieces = Crc32.Append(Crc32.Compute(bytes.AsSpan(0, 123)), bytes.AsSpan(123));
        Assert.Equal(Crc32.Compute(bytes), pieces);
    }
}
