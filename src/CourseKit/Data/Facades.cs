using CourseKit.Data.Augmentation;

namespace CourseKit.Data;

/// <summary>Photos and label maps of the same facades, one pair per index: (N, 3, H, W) each, values in [0, 1].</summary>
public sealed record FacadePairs(string Name, Tensor Photos, Tensor Labels, string[] Files)
{
    public int Count => Files.Length;

    /// <summary>The pairs <paramref name="start"/> … start + count − 1.</summary>
    public FacadePairs Take(int count, int start = 0) =>
        new(Name, Photos[start..(start + count)], Labels[start..(start + count)], Files[start..(start + count)]);

    public override string ToString() => $"{Name}: {Count} pairs of {Photos.Shape[1]}×{Photos.Shape[2]}×{Photos.Shape[3]} photos and label maps";
}

/// <summary>
/// The CMP Facade Database (Tyleček and Šára 2013) as pix2pix uses it (lecture 5.9–5.10): photos of building fronts and
/// label maps (wall, window, door, balcony … as colours). The course's copy is 128×128, 400 train and 106 test pairs, in
/// <c>&lt;split&gt;/photo/NNN.png</c> and <c>&lt;split&gt;/label/NNN.png</c>.
/// </summary>
public static class Facades
{
    public const string FolderName = "facades-128";

    private const string Source =
        "the CMP Facade Database (Tyleček and Šára 2013) in pix2pix's split: download facades.tar.gz from the pix2pix " +
        "datasets page (see github.com/phillipi/pix2pix, datasets/download_dataset.sh), split each 512×256 image into its photo " +
        "(left half) and label map (right half), resize to 128×128 and save them as train/photo/NNN.png, train/label/NNN.png, test/…";

    /// <summary>Reads <paramref name="split"/> ("train" or "test") from <paramref name="folder"/> or the usual places: $COURSEKIT_DATA, the cache, ../shared/data.</summary>
    public static FacadePairs Load(string split = "train", string? folder = null)
    {
        if (split is not ("train" or "test")) throw new ArgumentException($"Facades.Load: the split is \"train\" or \"test\", not \"{split}\".");
        folder ??= DataFolder.Find(FolderName, "Facades", Source, marker: Path.Combine("train", "photo"));
        string photos = Path.Combine(folder, split, "photo"), labels = Path.Combine(folder, split, "label");
        if (!Directory.Exists(photos)) throw new DirectoryNotFoundException($"Facades: {photos} does not exist; the data set is {Source}.");
        var files = Directory.GetFiles(photos, "*.png").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0) throw new InvalidDataException($"Facades: {photos} holds no PNG files.");
        var photoList = new List<Tensor>();
        var labelList = new List<Tensor>();
        foreach (var file in files)
        {
            var photo = ImageFile.Read(Path.Combine(photos, file!), channels: 3);
            string labelPath = Path.Combine(labels, file!);
            if (!File.Exists(labelPath)) throw new FileNotFoundException($"Facades: the photo {file} has no label map {labelPath}.", labelPath);
            var label = ImageFile.Read(labelPath, channels: 3);
            if (label.Shape != photo.Shape)
                throw new InvalidDataException($"Facades: {file} is {photo.Shape} as a photo but {label.Shape} as a label map; a pair must be of one size.");
            if (photoList.Count > 0 && photo.Shape != photoList[0].Shape)
                throw new InvalidDataException($"Facades: {file} is {photo.Shape}, the first pair {photoList[0].Shape}; all pairs must be of one size.");
            photoList.Add(photo.ToTensor());
            labelList.Add(label.ToTensor());
        }
        return new FacadePairs($"Facades {split}", Tensor.Stack(photoList), Tensor.Stack(labelList), [.. files!]);
    }

    /// <summary>Colour photos (N, 3, H, W) in gray (N, 1, H, W): 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601), the colourisation task's input.</summary>
    public static Tensor ToGray(Tensor photos)
    {
        if (photos.Rank != 4 || photos.Shape[1] != 3)
            throw new ArgumentException($"Facades.ToGray: expects colour images (N, 3, H, W), got {photos.Shape}.");
        return 0.299f * photos[.., 0..1] + 0.587f * photos[.., 1..2] + 0.114f * photos[.., 2..3];
    }

    /// <summary>
    /// pix2pix's random jitter, the same for input and target of each pair: resize to 1.12× (286 for 256) and crop back at a
    /// random place — as a window of 1/1.12 of the image cut out and stretched back (<see cref="Augment.Cut"/>, bilinear) —
    /// and mirror left–right with probability ½.
    /// </summary>
    public static (Tensor Inputs, Tensor Targets) Jitter(Tensor inputs, Tensor targets, Xoshiro256 random)
    {
        if (inputs.Rank != 4 || targets.Rank != 4 || inputs.Shape[0] != targets.Shape[0] || inputs.Shape[2] != targets.Shape[2] || inputs.Shape[3] != targets.Shape[3])
            throw new ArgumentException($"Facades.Jitter: inputs {inputs.Shape} and targets {targets.Shape} must be pairs of images of one size.");
        int n = inputs.Shape[0], h = inputs.Shape[2], w = inputs.Shape[3];
        int ch = (int)Math.Round(h / 1.12), cw = (int)Math.Round(w / 1.12);
        var x = new Tensor[n];
        var y = new Tensor[n];
        for (int i = 0; i < n; i++)
        {
            int top = random.NextInt(h - ch + 1), left = random.NextInt(w - cw + 1);
            bool mirror = random.NextInt(2) == 1;
            Tensor Apply(Tensor image)
            {
                var cut = Augment.Cut(image, top, left, ch, cw);
                return mirror ? Augment.FlipHorizontal(cut) : cut;
            }
            x[i] = Apply(inputs[i, ..]);
            y[i] = Apply(targets[i, ..]);
        }
        return (Tensor.Stack(x), Tensor.Stack(y));
    }
}
