namespace CourseKit.Tests.Tensors;

/// <summary>Expected strings were produced by NumPy 1.24 (<c>str(np.array(..., dtype=np.float32))</c>) for the same arrays.</summary>
public class PrintingTests
{
    private static Tensor Arange(int n, params int[] shape) => Tensor.Arange(n).Reshape(shape);

    [Fact]
    public void IntegerValuesPrintWithATrailingPoint() =>
        Assert.Equal("[[1. 2. 3.]\n [4. 5. 6.]]", new Tensor([2, 3], [1, 2, 3, 4, 5, 6]).ToString());

    [Fact]
    public void MixedFractionsArePaddedToOneWidth() =>
        Assert.Equal("[0.5  1.25]", new Tensor([2], [0.5f, 1.25f]).ToString());

    [Fact]
    public void NegativeValuesAlignColumns() =>
        Assert.Equal("[[-1.    2.5 ]\n [ 3.   -4.75]]", new Tensor([2, 2], [-1, 2.5f, 3, -4.75f]).ToString());

    [Fact]
    public void ThreeDimensionalArraysSeparateBlocksWithABlankLine() =>
        Assert.Equal("[[[ 0.  1.  2.  3.]\n  [ 4.  5.  6.  7.]\n  [ 8.  9. 10. 11.]]\n\n [[12. 13. 14. 15.]\n  [16. 17. 18. 19.]\n  [20. 21. 22. 23.]]]",
            Arange(24, 2, 3, 4).ToString());

    [Fact]
    public void FourDimensionalArraysSeparateOuterBlocksWithTwoBlankLines() =>
        Assert.Equal("[[[[ 0.  1.]\n   [ 2.  3.]]\n\n  [[ 4.  5.]\n   [ 6.  7.]]]\n\n\n [[[ 8.  9.]\n   [10. 11.]]\n\n  [[12. 13.]\n   [14. 15.]]]]",
            Arange(16, 2, 2, 2, 2).ToString());

    [Fact]
    public void LargeMatrixIsTruncatedWithEllipsesAndUsesScientificNotationForAWideRange() =>
        Assert.Equal("[[0.000e+00 1.000e+00 2.000e+00 ... 4.700e+01 4.800e+01 4.900e+01]\n [5.000e+01 5.100e+01 5.200e+01 ... 9.700e+01 9.800e+01 9.900e+01]\n [1.000e+02 1.010e+02 1.020e+02 ... 1.470e+02 1.480e+02 1.490e+02]\n ...\n [1.850e+03 1.851e+03 1.852e+03 ... 1.897e+03 1.898e+03 1.899e+03]\n [1.900e+03 1.901e+03 1.902e+03 ... 1.947e+03 1.948e+03 1.949e+03]\n [1.950e+03 1.951e+03 1.952e+03 ... 1.997e+03 1.998e+03 1.999e+03]]",
            Arange(2000, 40, 50).ToString());

    [Fact]
    public void LargeThreeDimensionalTensorTruncatesOnlyTheLongAxis() =>
        Assert.Equal("[[[0.000e+00 1.000e+00 2.000e+00 ... 3.970e+02 3.980e+02 3.990e+02]\n  [4.000e+02 4.010e+02 4.020e+02 ... 7.970e+02 7.980e+02 7.990e+02]\n  [8.000e+02 8.010e+02 8.020e+02 ... 1.197e+03 1.198e+03 1.199e+03]]\n\n [[1.200e+03 1.201e+03 1.202e+03 ... 1.597e+03 1.598e+03 1.599e+03]\n  [1.600e+03 1.601e+03 1.602e+03 ... 1.997e+03 1.998e+03 1.999e+03]\n  [2.000e+03 2.001e+03 2.002e+03 ... 2.397e+03 2.398e+03 2.399e+03]]]",
            Arange(2400, 2, 3, 400).ToString());

    [Fact]
    public void LargeVectorChoosesItsFormatFromTheShownElementsOnly() =>
        Assert.Equal("[   0.    1.    2. ...  998.  999. 1000.]", Tensor.Arange(1001).ToString());

    [Fact]
    public void LongRowsWrapAtSeventyFiveCharacters()
    {
        var x = Tensor.Arange(30) * 0.1f;
        Assert.Equal("[0.         0.1        0.2        0.3        0.4        0.5\n 0.6        0.7        0.8        0.90000004 1.         1.1\n 1.2        1.3000001  1.4        1.5        1.6        1.7\n 1.8000001  1.9        2.         2.1000001  2.2        2.3\n 2.4        2.5        2.6000001  2.7        2.8        2.9       ]",
            x.ToString());
    }

    [Fact]
    public void ShortestDigitsThatIdentifyTheFloatArePrinted() =>
        Assert.Equal("[0.33333334 0.6666667 ]", (new Tensor([2], [1, 2]) / 3f).ToString());

    [Theory]
    [InlineData(new[] { 1e-5f, 1f, 100f }, "[1.e-05 1.e+00 1.e+02]")]
    [InlineData(new[] { 1e9f, 1f }, "[1.e+09 1.e+00]")]
    [InlineData(new[] { 0.001f, 2.5f }, "[1.0e-03 2.5e+00]")]
    public void ScientificNotationAppearsWhereNumPyUsesIt(float[] values, string expected) =>
        Assert.Equal(expected, Tensor.FromArray(values).ToString());

    [Fact]
    public void ScientificColumnsShowExactDigitsBeyondTheShortest() =>
        // 74.46028 needs 7 digits, the column has 8: the extra one is the float's exact value (…281), not a 0.
        Assert.Equal("[ 1.0177977e+03 -5.3055748e-05  7.4460281e+01]", new Tensor([3], [1017.7977f, -5.3055748e-05f, 74.46028f]).ToString());

    [Fact]
    public void MatrixRowsWrapWithAHangingIndent() =>
        Assert.Equal("[[-7.4       -7.03      -6.66      -6.29      -5.92      -5.55\n  -5.1800003 -4.81      -4.44      -4.07      -3.7       -3.33\n  -2.96      -2.5900002 -2.22      -1.85      -1.48      -1.11\n  -0.74      -0.37     ]\n [ 0.         0.37       0.74       1.11       1.48       1.85\n   2.22       2.5900002  2.96       3.33       3.7        4.07\n   4.44       4.81       5.1800003  5.55       5.92       6.29\n   6.66       7.03     ]]",
            ((Tensor.Arange(40).Reshape(2, 20) - 20f) * 0.37f).ToString());

    [Fact]
    public void NanAndInfinitiesAreRightAligned() =>
        Assert.Equal("[ nan  1.  -inf  2.5]", new Tensor([4], [float.NaN, 1, float.NegativeInfinity, 2.5f]).ToString());

    [Fact]
    public void NegativeZeroKeepsItsSign() =>
        Assert.Equal("[-0.   1.5]", new Tensor([2], [-0f, 1.5f]).ToString());

    [Fact]
    public void ZerosPrintAsZeroPoint() => Assert.Equal("[[0. 0.]\n [0. 0.]]", Tensor.Zeros(2, 2).ToString());

    [Fact]
    public void EmptyTensorPrintsEmptyBrackets() => Assert.Equal("[]", Tensor.Zeros(0, 3).ToString());

    [Fact]
    public void SingleElementVector() => Assert.Equal("[7.]", new Tensor([1], [7f]).ToString());

    [Theory]
    [InlineData(15f, "15.0")]
    [InlineData(1e-5f, "1e-05")]
    [InlineData(1f / 3f, "0.33333334")]
    [InlineData(1e-4f, "1e-04")] // float32(1e-4) is just below 1e-4
    public void ZeroDimensionalTensorPrintsLikeANumPyScalar(float value, string expected) =>
        Assert.Equal(expected, ((Tensor)value).ToString());

    [Fact]
    public void PrecisionLimitsTheDigitsAfterThePoint()
    {
        var thirds = new Tensor([2], [1, 2]) / 3f;
        Assert.Equal("[0.333 0.667]", thirds.ToString(3));
        Assert.Equal("[0.333 0.667]", $"{thirds:F3}");
        Assert.Equal("[[ 3.142e+00 -2.500e+00]\n [ 1.000e+02  1.000e-03]]", new Tensor([2, 2], [3.14159f, -2.5f, 100f, 0.001f]).ToString("F3"));
        Assert.Equal("[ 0.9977  0.5    -0.0962]", new Tensor([3], [0.99771f, 0.5f, -0.09615f]).ToString(4));
        Assert.Equal("[0. 1. 2. 4.]", new Tensor([4], [0.05f, 0.6f, 2.5f, 3.5f]).ToString(0)); // ties round to even
    }

    [Fact]
    public void UnknownFormatIsRejectedWithAHint()
    {
        var e = Assert.Throws<FormatException>(() => Tensor.Zeros(2).ToString("X"));
        Assert.Contains("F3", e.Message);
    }

    [Fact]
    public void ShapePrintsLikeAPythonTuple()
    {
        Assert.Equal("(2, 3)", Tensor.Zeros(2, 3).Shape.ToString());
        Assert.Equal("(5,)", Tensor.Zeros(5).Shape.ToString());
        Assert.Equal("()", ((Tensor)1f).Shape.ToString());
    }
}
