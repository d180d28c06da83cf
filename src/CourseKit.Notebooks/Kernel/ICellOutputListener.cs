using System.Text.Json.Nodes;

namespace CourseKit.Notebooks.Kernel;

/// <summary>
/// Sees a cell's outputs as they happen (a live kernel sends them to the editor at once; the runner only records
/// them). The same output object is passed to <see cref="Updated"/> when display(...).Update(...) changes it.
/// </summary>
internal interface ICellOutputListener
{
    /// <summary>A new output: stream text (one piece, not merged), display_data, execute_result or error.</summary>
    void Added(JsonObject output);

    /// <summary>A display_data output shown earlier (maybe by an earlier cell) whose data was replaced.</summary>
    void Updated(JsonObject output);
}
