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
        // ../shared/data beside the repository, or above it when the repository is a worktree one folder deeper
        string shared = DataFolder.Above(Path.Combine("..", "shared", "data", Sunnybrook.FolderName), CourseKit.Tests.Notebooks.RepositoryPaths.Root)
            .Select(Path.GetFullPath).First(Directory.Exists);
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

    [Fact]
    public void The_search_order_is_COURSEKIT_DATA_then_the_cache_then_data_then_the_shared_folder()
    {
        using var temp = new TempFolder();
        string start = Path.Combine(temp.Path, "repo"), root = Path.Combine(temp.Path, "mine");
        var order = DataFolder.Candidates("set-5a1b", start, dataVariable: root);
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        Assert.Equal(Path.Combine(root, "set-5a1b"), order[0]);
        Assert.Equal(Path.Combine(home, ".cache", "coursekit", "set-5a1b"), order[1]);
        Assert.Equal(Path.Combine(start, "data", "set-5a1b"), order[2]);
        int lastData = order.ToList().FindLastIndex(c => c.EndsWith(Path.Combine("data", "set-5a1b")) && !c.Contains(Path.Combine("shared", "data")));
        int firstShared = order.ToList().FindIndex(c => c.Contains(Path.Combine("..", "shared", "data", "set-5a1b")));
        Assert.True(lastData < firstShared, $"data/ at {lastData} should come before ../shared/data at {firstShared}");
        Assert.Equal(Path.Combine(start, "..", "shared", "data", "set-5a1b"), order[firstShared]);
        // without the variable the cache comes first
        Assert.Equal(order.Skip(1), DataFolder.Candidates("set-5a1b", start, dataVariable: null));
    }

    [Fact]
    public void The_first_folder_in_the_order_that_holds_the_set_wins()
    {
        using var temp = new TempFolder();
        string start = Path.Combine(temp.Path, "repo"), root = Path.Combine(temp.Path, "mine");
        string shared = Path.Combine(temp.Path, "shared", "data", "set-9c3d");   // ../shared/data beside the repository
        string data = Path.Combine(start, "data", "set-9c3d");
        string own = Path.Combine(root, "set-9c3d");
        Directory.CreateDirectory(Path.Combine(shared, "image"));
        Assert.Equal(shared, DataFolder.TryFind("set-9c3d", "image", start, dataVariable: root));
        Directory.CreateDirectory(Path.Combine(data, "image"));
        Assert.Equal(data, DataFolder.TryFind("set-9c3d", "image", start, dataVariable: root));
        Directory.CreateDirectory(Path.Combine(own, "image"));
        Assert.Equal(own, DataFolder.TryFind("set-9c3d", "image", start, dataVariable: root));
    }

    [Fact]
    public void A_missing_set_says_where_it_looked()
    {
        const string name = "no-such-set-8e0f";
        var e = Assert.Throws<DirectoryNotFoundException>(() => DataFolder.Find(name, "Made-up set", "made up for this test", marker: "labels"));
        Assert.Contains(Path.Combine(name, "labels"), e.Message);
        Assert.Contains(DataFolder.Cache(name), e.Message);
        Assert.Contains(Path.Combine("data", name), e.Message);
        Assert.Contains(Path.Combine("..", "shared", "data", name), e.Message);
        Assert.Contains(Directory.GetCurrentDirectory(), e.Message);
        Assert.Contains("every folder above", e.Message);
    }
}
