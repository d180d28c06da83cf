using System.Globalization;

namespace CourseKit.Data;

public sealed partial class ImageDataset
{
    private static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp"];

    /// <summary>
    /// A folder of images with one sub-folder per class (folder/cat/001.png, folder/dog/…): the classes are the sub-folders
    /// in alphabetical order, named after them. Every image must have the size and channel count of the first (or of
    /// <paramref name="channels"/>, which converts gray and colour); an image that differs is named in the error.
    /// </summary>
    public static ImageDataset FromFolder(string folder, int? channels = null, string? name = null)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"ImageDataset.FromFolder: the folder {folder} does not exist.");
        var classes = Directory.GetDirectories(folder).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();
        if (classes.Length == 0)
            throw new ArgumentException($"ImageDataset.FromFolder: {folder} has no sub-folders; put the images of each class in a sub-folder named after it, or list them in a CSV (ImageDataset.FromCsv).");
        var files = new List<(string Path, int Label)>();
        for (int label = 0; label < classes.Length; label++)
            files.AddRange(ImagesIn(Path.Combine(folder, classes[label])).Select(f => (f, label)));
        return FromFiles(files, classes, channels, name ?? Path.GetFileName(Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar)));
    }

    /// <summary>
    /// Images listed in a CSV file with a header: the column <paramref name="fileColumn"/> holds each image's path (relative
    /// to the CSV's folder), <paramref name="labelColumn"/> its class, as a number 0, 1, … or as a name (then the classes
    /// are the names in alphabetical order).
    /// </summary>
    public static ImageDataset FromCsv(string csvPath, string fileColumn = "file", string labelColumn = "label", int? channels = null, string? name = null)
    {
        if (!File.Exists(csvPath)) throw new FileNotFoundException($"ImageDataset.FromCsv: {csvPath} does not exist.", csvPath);
        var lines = File.ReadAllLines(csvPath).Where(l => l.Trim().Length > 0).ToArray();
        string csvName = Path.GetFileName(csvPath);
        if (lines.Length < 2) throw new InvalidDataException($"{csvName}: expected a header line and at least one image, found {lines.Length} line(s).");
        var header = lines[0].Split(',').Select(h => h.Trim()).ToArray();
        int fileAt = Array.IndexOf(header, fileColumn), labelAt = Array.IndexOf(header, labelColumn);
        if (fileAt < 0 || labelAt < 0)
            throw new InvalidDataException($"{csvName}: the header ({lines[0]}) needs the columns '{fileColumn}' and '{labelColumn}'.");
        string root = Path.GetDirectoryName(Path.GetFullPath(csvPath))!;
        var rows = lines.Skip(1).Select((line, i) =>
        {
            var cells = line.Split(',').Select(c => c.Trim()).ToArray();
            if (cells.Length <= Math.Max(fileAt, labelAt))
                throw new InvalidDataException($"{csvName}, line {i + 2}: '{line}' has {cells.Length} columns, the header {header.Length}.");
            return (File: Path.Combine(root, cells[fileAt]), Label: cells[labelAt]);
        }).ToArray();
        bool numeric = rows.All(r => int.TryParse(r.Label, NumberStyles.None, CultureInfo.InvariantCulture, out _));
        string[] classes = numeric
            ? [.. Enumerable.Range(0, rows.Max(r => int.Parse(r.Label, CultureInfo.InvariantCulture)) + 1).Select(i => i.ToString(CultureInfo.InvariantCulture))]
            : [.. rows.Select(r => r.Label).Distinct().Order(StringComparer.Ordinal)];
        var files = rows.Select(r => (r.File, numeric ? int.Parse(r.Label, CultureInfo.InvariantCulture) : Array.IndexOf(classes, r.Label))).ToList();
        return FromFiles(files, numeric ? null : classes, channels, name ?? Path.GetFileNameWithoutExtension(csvPath), classes.Length);
    }

    /// <summary>Decodes the files into one data set (N, C, H, W); all must share the first one's shape.</summary>
    public static ImageDataset FromFiles(IReadOnlyList<(string Path, int Label)> files, IReadOnlyList<string>? classNames,
                                         int? channels = null, string name = "images", int? classCount = null)
    {
        if (files.Count == 0) throw new ArgumentException($"{name}: no image files were found.");
        DecodedImage? first = null;
        byte[] pixels = [];
        var labels = new int[files.Count];
        for (int i = 0; i < files.Count; i++)
        {
            var (path, label) = files[i];
            var image = ImageFile.Read(path, channels);
            if (first is null)
            {
                first = image;
                pixels = new byte[files.Count * image.Pixels.Length];
            }
            else if (image.Shape != first.Shape)
            {
                string what = image.Channels != first.Channels
                    ? $"{image.Channels} channel(s), but {Path.GetFileName(files[0].Path)} has {first.Channels}: pass channels: 1 or 3 to convert them all"
                    : $"is {image.Width}×{image.Height}, but {Path.GetFileName(files[0].Path)} is {first.Width}×{first.Height}: all images must have one size (resize them first)";
                throw new InvalidDataException($"{name}: the image {path} has {(image.Channels != first.Channels ? "" : "the wrong size: it ")}{what}.");
            }
            image.Pixels.CopyTo(pixels, i * image.Pixels.Length);
            labels[i] = label;
        }
        return new ImageDataset(pixels, first!.Shape, labels, classCount ?? classNames?.Count ?? labels.Max() + 1, name) { ClassNames = classNames };
    }

    private static IEnumerable<string> ImagesIn(string folder) =>
        Directory.EnumerateFiles(folder)
            .Where(f => ImageExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Order(StringComparer.Ordinal);
}
