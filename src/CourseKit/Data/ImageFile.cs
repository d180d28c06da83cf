using System.Reflection;
using System.Runtime.InteropServices;
using SkiaSharp;

namespace CourseKit.Data;

/// <summary>One decoded image file: 8-bit pixels in (C, H, W) order, C = 1 (gray) or 3 (red, green, blue).</summary>
public sealed record DecodedImage(byte[] Pixels, int Channels, int Height, int Width)
{
    public Shape Shape => new(Channels, Height, Width);

    /// <summary>The image as a tensor (C, H, W) with values in [0, 1].</summary>
    public Tensor ToTensor() => new(Shape, Array.ConvertAll(Pixels, p => p / 255f));
}

/// <summary>
/// Reads PNG and JPEG files (and the other formats Skia knows: WebP, GIF, BMP) with SkiaSharp, the .NET binding of
/// Google's Skia. A gray file gives one channel, a colour file three (alpha is dropped: the course's images are opaque);
/// <c>channels</c> converts when a data set needs the other (gray = 0.299 R + 0.587 G + 0.114 B, ITU-R BT.601).
/// </summary>
public static class ImageFile
{
    static ImageFile() => NativeSkia.FindBesideTheLibrary();

    /// <summary>Decodes <paramref name="path"/>; <paramref name="channels"/> 1 or 3 converts, null keeps the file's own.</summary>
    public static DecodedImage Read(string path, int? channels = null)
    {
        if (channels is not (null or 1 or 3))
            throw new ArgumentOutOfRangeException(nameof(channels), $"ImageFile.Read: channels must be 1 (gray) or 3 (colour), not {channels}.");
        if (!File.Exists(path)) throw new FileNotFoundException($"ImageFile.Read: {path} does not exist.", path);
        using var codec = SKCodec.Create(path, out var result)
            ?? throw new InvalidDataException($"{path}: not an image file SkiaSharp can decode ({result}); PNG and JPEG are read.");
        var info = codec.Info;
        bool gray = info.ColorType == SKColorType.Gray8;
        int c = channels ?? (gray ? 1 : 3), h = info.Height, w = info.Width, plane = h * w;
        var pixels = new byte[c * plane];
        if (gray)
        {
            var decoded = new byte[plane];
            Decode(codec, info.WithColorType(SKColorType.Gray8), decoded, w, path);
            for (int k = 0; k < c; k++) decoded.CopyTo(pixels, k * plane);  // gray to colour: R = G = B
            return new DecodedImage(pixels, c, h, w);
        }
        var rgba = new byte[4 * plane];
        Decode(codec, new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Unpremul), rgba, 4 * w, path);
        for (int i = 0; i < plane; i++)
        {
            byte r = rgba[4 * i], g = rgba[4 * i + 1], b = rgba[4 * i + 2];
            if (c == 1) pixels[i] = (byte)Math.Round(0.299 * r + 0.587 * g + 0.114 * b);
            else
            {
                pixels[i] = r;
                pixels[plane + i] = g;
                pixels[2 * plane + i] = b;
            }
        }
        return new DecodedImage(pixels, c, h, w);
    }

    private static unsafe void Decode(SKCodec codec, SKImageInfo info, byte[] into, int rowBytes, string path)
    {
        fixed (byte* p = into)
        {
            var result = codec.GetPixels(info, (IntPtr)p, rowBytes, new SKCodecOptions());
            if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
                throw new InvalidDataException($"{path}: decoding failed ({result}).");
            if (result == SKCodecResult.IncompleteInput)
                throw new InvalidDataException($"{path}: the file is cut short (Skia decoded only part of the image).");
        }
    }

    /// <summary>
    /// A notebook <c>#r</c>s CourseKit.dll by path, so the host (VS Code's kernel, the runner) knows nothing of
    /// SkiaSharp's native library, which NuGet put in runtimes/RID/native beside the DLLs: look there when the
    /// usual search fails.
    /// </summary>
    private static class NativeSkia
    {
        private static int registered;

        public static void FindBesideTheLibrary()
        {
            if (Interlocked.Exchange(ref registered, 1) == 1) return;
            var skia = typeof(SKCodec).Assembly;
            try { NativeLibrary.SetDllImportResolver(skia, Resolve); }
            catch (InvalidOperationException) { }  // someone (the host, SkiaSharp itself) already resolves it
        }

        private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
        {
            if (NativeLibrary.TryLoad(name, assembly, searchPath, out var handle)) return handle;
            string folder = Path.GetDirectoryName(assembly.Location) ?? AppContext.BaseDirectory;
            string arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
            string[] rids = OperatingSystem.IsWindows() ? [$"win-{arch}"]
                : OperatingSystem.IsMacOS() ? ["osx", $"osx-{arch}"]
                : [$"linux-{arch}", $"linux-musl-{arch}"];
            string file = OperatingSystem.IsWindows() ? $"{name}.dll" : OperatingSystem.IsMacOS() ? $"{name}.dylib" : $"{name}.so";
            foreach (var rid in rids)
            {
                string candidate = Path.Combine(folder, "runtimes", rid, "native", file);
                if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out handle)) return handle;
            }
            return IntPtr.Zero;  // the runtime then reports the library as missing, naming it
        }
    }
}
