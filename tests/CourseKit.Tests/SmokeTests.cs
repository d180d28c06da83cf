namespace CourseKit.Tests;

public class SmokeTests
{
    [Fact]
    public void BroadcastAddsRowToEveryRow()
    {
        Tensor a = new float[,] { { 1, 2, 3 }, { 4, 5, 6 } };
        Tensor b = new float[] { 10, 20, 30 };
        Assert.Equal(new float[] { 11, 22, 33, 14, 25, 36 }, (a + b).ToArray());
    }
}
