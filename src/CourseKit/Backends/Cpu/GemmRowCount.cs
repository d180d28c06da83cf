namespace CourseKit.Backends;

/// <summary>
/// A number of rows known to the JIT: a micro-kernel generic over <c>TRows</c> is compiled once per count,
/// with the code for absent rows removed, so every panel height gets its own register-exact kernel.
/// </summary>
internal interface IRowCount
{
    static abstract int Count { get; }
}

internal readonly struct Rows1 : IRowCount { public static int Count => 1; }
internal readonly struct Rows2 : IRowCount { public static int Count => 2; }
internal readonly struct Rows3 : IRowCount { public static int Count => 3; }
internal readonly struct Rows4 : IRowCount { public static int Count => 4; }
internal readonly struct Rows5 : IRowCount { public static int Count => 5; }
internal readonly struct Rows6 : IRowCount { public static int Count => 6; }
internal readonly struct Rows7 : IRowCount { public static int Count => 7; }
internal readonly struct Rows8 : IRowCount { public static int Count => 8; }
internal readonly struct Rows9 : IRowCount { public static int Count => 9; }
internal readonly struct Rows10 : IRowCount { public static int Count => 10; }
internal readonly struct Rows11 : IRowCount { public static int Count => 11; }
internal readonly struct Rows12 : IRowCount { public static int Count => 12; }
internal readonly struct Rows13 : IRowCount { public static int Count => 13; }
internal readonly struct Rows14 : IRowCount { public static int Count => 14; }
