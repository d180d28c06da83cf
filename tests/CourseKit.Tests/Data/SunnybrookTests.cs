using CourseKit.Data;

namespace CourseKit.Tests.Data;

public class SunnybrookTests
{
    // ../shared/data beside the repository, or above it when the repository is a worktree one folder deeper
    private static string SharedData(string name)
    {
        var candidates = DataFolder.Above(Path.Combine("..", "shared", "data", name), CourseKit.Tests.Notebooks.RepositoryPaths.Root).ToList();
        return candidates.FirstOrDefault(Directory.Exists) ?? candidates[0];
    }

    private static readonly Lazy<SegmentationDataset> Frames = new(() => Sunnybrook.Load(SharedData(Sunnybrook.FolderName)));

    [Fact]
    public void Loads_96_frames_of_5_patients_with_the_mask_areas_of_the_index()
    {
        var data = Frames.Value;
        Assert.Equal(96, data.Count);
        Assert.Equal(new Shape(96, 1, 256, 256), data.Images.Shape);
        Assert.Equal(data.Images.Shape, data.Masks.Shape);
        Assert.Equal(5, data.GroupNames.Length);
        // index.csv counts each mask's pixels independently of our PNG decoder.
        var index = File.ReadAllLines(Path.Combine(SharedData(Sunnybrook.FolderName), "index.csv")).Skip(1).Select(l => l.Split(',')).ToArray();
        var masks = data.Masks.ToArray();
        for (int i = 0; i < data.Count; i++)
        {
            Assert.Equal(index[i][0], data.Files[i]);
            Assert.Equal(index[i][1], data.Groups[i]);
            int area = 0;
            for (int p = 0; p < 256 * 256; p++) area += masks[i * 256 * 256 + p] == 1 ? 1 : 0;
            Assert.Equal(int.Parse(index[i][3]), area);
        }
        Assert.All(data.Images.ToArray(), v => Assert.InRange(v, 0f, 1f));
    }

    [Fact]
    public void Split_by_patient_puts_no_patient_in_both_sets()
    {
        var data = Frames.Value;
        var (train, test) = data.SplitByGroup("SCD0000401", "SCD0000501");
        Assert.Equal(data.Count, train.Count + test.Count);
        Assert.Empty(train.GroupNames.Intersect(test.GroupNames));
        Assert.Equal(new[] { "SCD0000401", "SCD0000501" }, test.GroupNames);
        Assert.Equal(40, test.Count);
        // The frames keep their pixels: the first test frame is the data set's frame of the same file.
        int original = Array.IndexOf(data.Files, test.Files[0]);
        Assert.Equal(data.Images[(Slice)original].ToArray(), test.Images[(Slice)0].ToArray());
        Assert.Contains("SCD0000101", Assert.Throws<ArgumentException>(() => data.SplitByGroup("nobody")).Message);
    }

    [Fact]
    public void Downsample_averages_blocks_and_keeps_a_mask_pixel_where_half_its_block_is_on()
    {
        var images = new Tensor([1, 1, 2, 4], new float[] { 0, 1, 1, 1, 0, 1, 0, 0 });
        var masks = new Tensor([1, 1, 2, 4], new float[] { 0, 1, 1, 0, 0, 1, 0, 0 });
        var small = new SegmentationDataset("t", images, masks, ["a"], ["f"]).Downsample(2);
        Assert.Equal(new float[] { 0.5f, 0.5f }, small.Images.ToArray());
        Assert.Equal(new float[] { 1, 0 }, small.Masks.ToArray());   // 2 of 4 on: kept; 1 of 4: dropped
        Assert.Equal(new Shape(96, 1, 64, 64), Frames.Value.Downsample(4).Images.Shape);
        Assert.Throws<ArgumentException>(() => Frames.Value.Downsample(3));
    }

    [Fact]
    public void A_missing_folder_says_where_to_get_the_data()
    {
        using var empty = new TempFolder();
        var e = Assert.Throws<DirectoryNotFoundException>(() => Sunnybrook.Load(empty.Path));
        Assert.Contains("cardiacatlas.org", e.Message);
        Assert.Contains("index.csv", e.Message);
        Assert.Contains(empty.Path, e.Message);
    }

    [Fact]
    public void Isbi2012_loads_30_slices_with_the_membranes_as_the_mask()
    {
        var data = Isbi2012.Load(SharedData(Isbi2012.FolderName));
        Assert.Equal(new Shape(30, 1, 512, 512), data.Images.Shape);
        Assert.Equal(30, data.GroupNames.Length);
        // Membranes are the thin dark lines between cells: a minority of the pixels, but not a tiny one.
        double membrane = data.Masks.Mean().Item();
        Assert.InRange(membrane, 0.1, 0.4);
        Assert.Contains("isbi-2012", Assert.Throws<DirectoryNotFoundException>(() => Isbi2012.Load("/nonexistent/isbi")).Message);
    }
}
