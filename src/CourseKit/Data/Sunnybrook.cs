using CourseKit.Display;

namespace CourseKit.Data;

/// <summary>
/// The lecture's segmentation exercise (5.5): the left ventricle in short-axis cardiac MRI, from the Sunnybrook
/// Cardiac Data (Radau et al. 2009; Cardiac Atlas Project, CC0). The folder holds <c>image/&lt;patient&gt;_&lt;frame&gt;.png</c>
/// (8-bit gray), <c>mask/&lt;same name&gt;.png</c> (255 = left ventricle, the expert's inner contour filled) and
/// <c>index.csv</c> (file, patient, frame, mask_pixels).
/// </summary>
public static class Sunnybrook
{
    public const string FolderName = "sunnybrook-lv";

    /// <summary>Where the data set comes from, for the message when it is missing.</summary>
    public const string Source =
        "the Sunnybrook Cardiac Data (Cardiac Atlas Project, https://www.cardiacatlas.org/sunnybrook-cardiac-data/, CC0): " +
        "its DICOM images and expert contours, converted to image/<patient>_<frame>.png (8-bit gray), mask/<same name>.png " +
        "(inner contour filled, 255 = left ventricle) and index.csv with the columns file,patient,frame,mask_pixels";

    /// <summary>
    /// Reads all frames. Without a folder: $COURSEKIT_DATA/sunnybrook-lv, ~/.cache/coursekit/sunnybrook-lv, or
    /// data/sunnybrook-lv or ../shared/data/sunnybrook-lv above the current directory (the course's copy of 96 frames of 5 patients).
    /// </summary>
    public static SegmentationDataset Load(string? folder = null)
    {
        folder ??= DataFolder.Find(FolderName, "Sunnybrook", Source);
        SegmentationFolder.Expect(folder, "Sunnybrook", Source);
        return SegmentationFolder.Read(folder, "Sunnybrook LV", ReadIndex(folder));
    }

    private static IReadOnlyList<(string File, string Group)> ReadIndex(string folder)
    {
        string index = Path.Combine(folder, "index.csv");
        if (!File.Exists(index)) throw new FileNotFoundException($"Sunnybrook: {index} is missing; the folder must hold index.csv, image/ and mask/ ({Source}).", index);
        var lines = File.ReadAllLines(index).Where(l => l.Length > 0).ToArray();
        var header = lines[0].Split(',');
        int fileColumn = Array.IndexOf(header, "file"), patientColumn = Array.IndexOf(header, "patient");
        if (fileColumn < 0 || patientColumn < 0)
            throw new InvalidDataException($"Sunnybrook: {index} must start with a header naming the columns file and patient, got '{lines[0]}'.");
        return [.. lines.Skip(1).Select(l => l.Split(',')).Select(f => (f[fileColumn], f[patientColumn]))];
    }
}

/// <summary>
/// The ISBI 2012 EM segmentation challenge (Cardona et al. 2010), the data set of the original U-Net paper: 30 slices
/// of 512×512 electron microscopy of neural tissue, <c>image/NN.png</c> 8-bit gray and <c>label/NN.png</c> with 255 = cell
/// interior, 0 = membrane. The mask is the membrane (label 0), the thin structure the U-Net paper segments.
/// All slices are of one stack: split by slice number (neighbouring slices are alike, so keep the test slices together).
/// </summary>
public static class Isbi2012
{
    public const string FolderName = "isbi2012-em";

    public const string Source =
        "the ISBI 2012 EM segmentation challenge training data (Cardona et al. 2010, https://imagej.net/events/isbi-2012-segmentation-challenge, " +
        "free for non-commercial research and teaching; cite TrakEM2 and Cardona et al. 2010): train-volume.tif and train-labels.tif, " +
        "each page saved as image/NN.png and label/NN.png (NN = 00..29)";

    /// <summary>Reads all slices; each slice is its own group (named by its number).</summary>
    public static SegmentationDataset Load(string? folder = null)
    {
        folder ??= DataFolder.Find(FolderName, "ISBI 2012", Source);
        SegmentationFolder.Expect(folder, "ISBI 2012", Source);
        var imageFolder = Path.Combine(folder, "image");
        var files = Directory.GetFiles(imageFolder, "*.png").Select(Path.GetFileName).Order().ToArray();
        if (files.Length == 0) throw new FileNotFoundException($"ISBI 2012: no PNG files in {imageFolder} ({Source}).");
        return SegmentationFolder.Read(folder, "ISBI 2012 EM", [.. files.Select(f => (f!, Path.GetFileNameWithoutExtension(f!)))], maskFolder: "label", invertMask: true);
    }
}

/// <summary>Reads image/&lt;file&gt; and its mask/&lt;file&gt; PNGs into a <see cref="SegmentationDataset"/>.</summary>
internal static class SegmentationFolder
{
    /// <summary>Throws, saying where the data comes from, when <paramref name="folder"/> has no image/ folder.</summary>
    public static void Expect(string folder, string title, string source)
    {
        if (!Directory.Exists(Path.Combine(folder, "image")))
            throw new DirectoryNotFoundException($"{title}: {Path.GetFullPath(folder)} has no image/ folder. The data set is {source}.");
    }

    public static SegmentationDataset Read(string folder, string name, IReadOnlyList<(string File, string Group)> entries,
                                           string maskFolder = "mask", bool invertMask = false)
    {
        if (entries.Count == 0) throw new InvalidDataException($"{name}: the index of {folder} lists no images.");
        DecodedImage? first = null;
        float[]? images = null, masks = null;
        for (int i = 0; i < entries.Count; i++)
        {
            var image = ImageFile.Read(Path.Combine(folder, "image", entries[i].File));
            var mask = ImageFile.Read(Path.Combine(folder, maskFolder, entries[i].File));
            first ??= image;
            if (image.Width != first.Width || image.Height != first.Height || mask.Width != image.Width || mask.Height != image.Height || image.Channels != 1 || mask.Channels != 1)
                throw new InvalidDataException($"{name}: {entries[i].File} is {image.Width}x{image.Height} with mask {mask.Width}x{mask.Height}; " +
                                               $"all images and masks must be 8-bit gray and {first.Width}x{first.Height} like the first.");
            int plane = image.Width * image.Height;
            images ??= new float[entries.Count * plane];
            masks ??= new float[entries.Count * plane];
            for (int p = 0; p < plane; p++)
            {
                images[i * plane + p] = image.Pixels[p] / 255f;
                bool on = mask.Pixels[p] >= 128;
                masks[i * plane + p] = on != invertMask ? 1 : 0;
            }
        }
        Shape shape = [entries.Count, 1, first!.Height, first.Width];
        return new SegmentationDataset(name, new Tensor(shape, images!), new Tensor(shape, masks!),
                                       [.. entries.Select(e => e.Group)], [.. entries.Select(e => e.File)]);
    }
}
