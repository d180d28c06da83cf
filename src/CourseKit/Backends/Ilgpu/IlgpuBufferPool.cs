using System.Collections.Concurrent;
using ILGPU;
using ILGPU.Runtime;

namespace CourseKit.Backends.Ilgpu;

/// <summary>
/// Device buffers kept for reuse, keyed by their length. A training step asks for the same sizes every
/// mini-batch, so after the first step a new tensor takes a buffer an earlier, now unreachable tensor gave
/// back, instead of a fresh device allocation (which costs a driver call and, on a GPU, a synchronization).
/// The pool owns every buffer it ever made (they are never finalized behind its back); an
/// <see cref="IlgpuStorage"/> only borrows one and gives it back when the garbage collector finalizes it.
/// Reuse is safe because every command goes through the device's one in-order stream.
/// </summary>
internal sealed class IlgpuBufferPool(Accelerator accelerator)
{
    private readonly ConcurrentDictionary<int, ConcurrentBag<MemoryBuffer1D<float, Stride1D.Dense>>> free = new();
    private readonly Lock ownedLock = new();
    private readonly List<MemoryBuffer1D<float, Stride1D.Dense>> owned = [];
    private int created, reused;

    /// <summary>Device allocations made so far.</summary>
    public int Created => Volatile.Read(ref created);

    /// <summary>Requests served by a buffer given back earlier.</summary>
    public int Reused => Volatile.Read(ref reused);

    /// <summary>Device memory the pool holds (lent out or free), in bytes.</summary>
    public long BytesHeld { get { lock (ownedLock) return owned.Sum(b => b.LengthInBytes); } }

    /// <summary>A buffer of at least one and at least <paramref name="length"/> floats (contents undefined).</summary>
    public MemoryBuffer1D<float, Stride1D.Dense> Rent(int length)
    {
        int size = Math.Max(length, 1);
        if (free.TryGetValue(size, out var bag) && bag.TryTake(out var buffer))
        {
            Interlocked.Increment(ref reused);
        }
        else
        {
            buffer = AllocateOrCollect(size);
            Interlocked.Increment(ref created);
            lock (ownedLock) owned.Add(buffer);
        }
        GC.AddMemoryPressure(buffer.LengthInBytes);   // so the collector runs often enough to hand buffers back
        return buffer;
    }

    public void Return(MemoryBuffer1D<float, Stride1D.Dense> buffer)
    {
        GC.RemoveMemoryPressure(buffer.LengthInBytes);
        free.GetOrAdd((int)buffer.Length, _ => []).Add(buffer);
    }

    /// <summary>Frees the buffers nobody borrows (after a training run, to give the memory back to the device).</summary>
    public void Trim()
    {
        foreach (var bag in free.Values)
            while (bag.TryTake(out var buffer))
            {
                lock (ownedLock) owned.Remove(buffer);
                buffer.Dispose();
            }
    }

    private MemoryBuffer1D<float, Stride1D.Dense> AllocateOrCollect(int size)
    {
        try { return accelerator.Allocate1D<float>(size); }
        catch (Exception e) when (e is OutOfMemoryException or AcceleratorException)
        {
            // Device memory is full: unreachable tensors may still hold buffers; collect them, free the spare ones, retry.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            Trim();
            return accelerator.Allocate1D<float>(size);
        }
    }
}
