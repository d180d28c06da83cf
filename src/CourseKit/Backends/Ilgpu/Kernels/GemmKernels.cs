using ILGPU;

namespace CourseKit.Backends.Ilgpu;

/// <summary>
/// C = alpha·op(A)·op(B) + beta·C (row-major), three ways, each a step of lecture 2.6's GPU section:
/// <see cref="Naive"/> (one thread per element of C, every operand read from global memory),
/// <see cref="Tiled"/> (a group of T×T threads copies T×T tiles of A and B into shared memory, then each
/// thread reads its row and column there: every global value is read once per tile instead of T times), and
/// <see cref="Blocked"/> (as tiled, but each thread keeps a 4×4 square of C in registers, so each value read
/// from shared memory is used four times). The grid's third axis is the batch: product z uses A, B and C
/// from their offsets plus z times their batch strides.
/// </summary>
internal static class GemmKernels
{
    /// <summary>Elements of C per thread along each side in <see cref="Blocked"/>.</summary>
    public const int Work = 4;

    /// <summary>One thread computes one element C[row, column] of product z (grid x = column, y = row, z = product).</summary>
    public static void Naive(Index3D e, GemmArgs p, ArrayView<float> a, ArrayView<float> b, ArrayView<float> c)
    {
        int column = e.X, row = e.Y, z = e.Z;
        float sum = 0f;
        for (int q = 0; q < p.K; q++) sum += p.A(a, z, row, q) * p.B(b, z, q, column);
        p.Store(c, z, row, column, sum);
    }

    /// <summary>
    /// One thread computes one element of C; its group of T×T threads shares T×T tiles of op(A) and op(B) in
    /// shared memory, each thread copying one element of each tile per step along k.
    /// </summary>
    public static void Tiled(GemmArgs p, ArrayView<float> a, ArrayView<float> b, ArrayView<float> c)
    {
        int t = Group.DimX, tx = Group.IdxX, ty = Group.IdxY, z = Grid.IdxZ;
        int row = Grid.IdxY * t + ty, column = Grid.IdxX * t + tx;
        var shared = SharedMemory.GetDynamic<float>();
        var aTile = shared.SubView(0, t * t);      // aTile[r·T + q] = op(A)[row0 + r, k0 + q]
        var bTile = shared.SubView(t * t, t * t);  // bTile[q·T + s] = op(B)[k0 + q, column0 + s]
        float sum = 0f;
        for (int k0 = 0; k0 < p.K; k0 += t)
        {
            aTile[ty * t + tx] = row < p.M && k0 + tx < p.K ? p.A(a, z, row, k0 + tx) : 0f;
            bTile[ty * t + tx] = k0 + ty < p.K && column < p.N ? p.B(b, z, k0 + ty, column) : 0f;
            Group.Barrier();   // the tiles are complete before anyone reads them
            for (int q = 0; q < t; q++) sum += aTile[ty * t + q] * bTile[q * t + tx];
            Group.Barrier();   // everyone is done reading before the next tiles overwrite them
        }
        if (row < p.M && column < p.N) p.Store(c, z, row, column, sum);
    }

    /// <summary>
    /// One thread computes a 4×4 square of C: rows ty + i·T and columns tx + j·T (i, j &lt; 4) of its group's
    /// 4T×4T block; the group shares a 4T×T slice of op(A) and a T×4T slice of op(B) in shared memory.
    /// </summary>
    public static void Blocked(GemmArgs p, ArrayView<float> a, ArrayView<float> b, ArrayView<float> c)
    {
        int t = Group.DimX, tx = Group.IdxX, ty = Group.IdxY, z = Grid.IdxZ;
        int block = t * Work, row0 = Grid.IdxY * block, column0 = Grid.IdxX * block;
        var shared = SharedMemory.GetDynamic<float>();
        var aTile = shared.SubView(0, block * t);      // aTile[r·T + q] = op(A)[row0 + r, k0 + q]
        var bTile = shared.SubView(block * t, t * block);  // bTile[q·4T + s] = op(B)[k0 + q, column0 + s]
        var sums = LocalMemory.Allocate<float>(Work * Work);
        for (int i = 0; i < Work * Work; i++) sums[i] = 0f;
        for (int k0 = 0; k0 < p.K; k0 += t)
        {
            // Each thread copies Work elements of each slice: rows ty + i·T of the A slice, columns tx + i·T of the B slice.
            for (int i = 0; i < Work; i++)
            {
                int r = ty + i * t, s = tx + i * t;
                aTile[r * t + tx] = row0 + r < p.M && k0 + tx < p.K ? p.A(a, z, row0 + r, k0 + tx) : 0f;
                bTile[ty * block + s] = k0 + ty < p.K && column0 + s < p.N ? p.B(b, z, k0 + ty, column0 + s) : 0f;
            }
            Group.Barrier();
            for (int q = 0; q < t; q++)
                for (int i = 0; i < Work; i++)
                {
                    float aValue = aTile[(ty + i * t) * t + q];
                    for (int j = 0; j < Work; j++) sums[i * Work + j] += aValue * bTile[q * block + tx + j * t];
                }
            Group.Barrier();
        }
        for (int i = 0; i < Work; i++)
            for (int j = 0; j < Work; j++)
            {
                int row = row0 + ty + i * t, column = column0 + tx + j * t;
                if (row < p.M && column < p.N) p.Store(c, z, row, column, sums[i * Work + j]);
            }
    }
}

/// <summary>
/// The sizes of one (batched) GEMM as a kernel argument: op(A) is M×K, op(B) K×N, C M×N, all row-major with
/// leading dimensions; product z of a batch starts at offset + z·stride. Reading through <see cref="A"/> and
/// <see cref="B"/> applies the transposes (1 = transposed; a kernel argument cannot hold a bool), so the kernels index op(A) and op(B) as the formula does.
/// </summary>
internal readonly record struct GemmArgs(int TransA, int TransB, int M, int N, int K, float Alpha, float Beta,
                                         int AOffset, int Lda, int AStride, int BOffset, int Ldb, int BStride,
                                         int COffset, int Ldc, int CStride)
{
    /// <summary>op(A)[row, q] of product z.</summary>
    public float A(ArrayView<float> a, int z, int row, int q) =>
        a[AOffset + z * AStride + (TransA != 0 ? q * Lda + row : row * Lda + q)];

    /// <summary>op(B)[q, column] of product z.</summary>
    public float B(ArrayView<float> b, int z, int q, int column) =>
        b[BOffset + z * BStride + (TransB != 0 ? column * Ldb + q : q * Ldb + column)];

    /// <summary>C[row, column] = alpha·sum + beta·C[row, column]; with beta = 0, C's old value (even NaN) is not read.</summary>
    public void Store(ArrayView<float> c, int z, int row, int column, float sum)
    {
        int index = COffset + z * CStride + row * Ldc + column;
        c[index] = Beta == 0f ? Alpha * sum : Alpha * sum + Beta * c[index];
    }
}
