using CourseKit.Data;

namespace CourseKit.Tests.Data;

public sealed class DataFolderTests
{
    [Fact]
    public void Above_joins_the_relative_path_to_the_start_and_each_folder_above_it_nearest_first()
    {
        string root = Path.GetPathRoot(Path.GetTempPath())!;
        string start = Path.Combine(root, "a", "b");
        var folders = DataFolder.Above(Path.Combine("data", "x"), start).ToArray();
        Assert.Equal(
            [Path.Combine(root, "a", "b", "data", "x"), Path.Combine(root, "a", "data", "x"), Path.Combine(root, "data", "x")],
            folders);
    }

    [Fact]
    public void Finds_a_third_party_set_in_the_shared_folder_beside_the_repository()
    {
        string shared = Path.GetFullPath(Path.Combine(CourseKit.Tests.Notebooks.RepositoryPaths.Root, "..", "shared", "data", Sunnybrook.FolderName));
        string? found = DataFolder.TryFind(Sunnybrook.FolderName, "image");
        Assert.NotNull(found);
        Assert.True(Directory.Exists(Path.Combine(found, "image")), $"{found} has no image/ folder");
        // The cache comes first; on CI (no cache) the shared copy is the one found.
        if (!Directory.Exists(DataFolder.Cache(Sunnybrook.FolderName))) Assert.Equal(shared, found);
    }

    [Fact]
    public void A_missing_set_names_the_data_set_where_to_put_it_and_where_it_comes_from()
    {
        const string name = "no-such-set-4d1c";
        Assert.Null(DataFolder.TryFind(name, "image"));
        var e = Assert.Throws<DirectoryNotFoundException>(() => DataFolder.Find(name, "Made-up set", "made up for this test"));
        Assert.Contains("Made-up set", e.Message);
        Assert.Contains(DataFolder.Cache(name), e.Message);
        Assert.Contains("COURSEKIT_DATA", e.Message);
        Assert.Contains("made up for this test", e.Message);
    }

    [Fact]
    public void The_marker_decides_which_folder_counts_so_an_empty_folder_of_the_right_name_is_passed_over()
    {
        using var temp = new TempFolder();
        string set = Path.Combine(temp.Path, "data", "set-7f2e");
        Directory.CreateDirectory(set);                                   // the right name, no image/ inside
        Assert.Null(DataFolder.TryFind("set-7f2e", "image", start: temp.Path));
        Directory.CreateDirectory(Path.Combine(set, "image"));
        Assert.Equal(set, DataFolder.TryFind("set-7f2e", "image", start: temp.Path));
    }
}
