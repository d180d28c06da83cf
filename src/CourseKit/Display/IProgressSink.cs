namespace CourseKit.Display;

/// <summary>
/// Where a <see cref="Progress"/> shows itself: a console bar, plain lines, or an updatable notebook output.
/// A sink may skip reports (to refresh at a sensible rate) but must always show the finished state.
/// </summary>
public interface IProgressSink
{
    void Report(ProgressState state);

    void Finish(ProgressState state);
}
