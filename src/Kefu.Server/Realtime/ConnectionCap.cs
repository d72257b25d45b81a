using System.Runtime.InteropServices;
using Kefu.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Realtime;

/// <summary>
/// How many connections this process holds. The .NET runtime ends the process ("Out of memory.") when it cannot
/// open a file it needs (a collection reads <c>/proc/self/status</c>), so sockets must never take the last file
/// descriptors: the descriptors open at start-up (about 300, most of them the loaded assemblies) and a headroom
/// for what opens later (SQLite's files, the store's and the bus's sockets, uploads being written) stay free.
/// <see cref="AcceptLimit"/> bounds every accepted socket (<see cref="AcceptGate"/>); <see cref="Value"/>, a
/// little lower, bounds the WebSockets, so plain HTTP (tokens, health checks) still gets through at the cap.
/// </summary>
internal sealed partial class ConnectionCap
{
    public ConnectionCap(IOptions<LimitsOptions> limits)
        : this(ReadOpenFileLimit(), CountOpenDescriptors(), limits.Value.MaxConnections)
    {
    }

    internal ConnectionCap(long openFileLimit, int openAtStart, int configured)
    {
        OpenFileLimit = openFileLimit;
        OpenAtStart = openAtStart;
        // Descriptors kept free beyond those open at start: a tenth of the limit, 200 to 400.
        var headroom = Math.Clamp(openFileLimit / 10, 200, 400);
        AcceptLimit = (int)Math.Clamp(openFileLimit - openAtStart - headroom, 32, int.MaxValue);
        var derived = Math.Max(16, AcceptLimit - HttpRoom(AcceptLimit));
        Value = configured > 0 ? Math.Min(configured, derived) : derived;
    }

    public long OpenFileLimit { get; }

    /// <summary>Descriptors the process held when the cap was computed (when the server binds its first address).</summary>
    public int OpenAtStart { get; }

    /// <summary>Sockets accepted and not yet closed, of every kind; one more is answered 503 and closed at once.</summary>
    public int AcceptLimit { get; }

    /// <summary>Upgraded WebSockets (<c>Kefu:Limits:MaxConnections</c> can only lower it).</summary>
    public int Value { get; }

    /// <summary>Sockets kept for plain HTTP when the WebSockets are at their cap: a twentieth of the accept limit, 16 to 100.</summary>
    private static int HttpRoom(int acceptLimit) => Math.Clamp(acceptLimit / 20, 16, 100);

    private static int CountOpenDescriptors()
    {
        // About what a Kefu server holds once started, for systems without a descriptor folder.
        const int Typical = 300;
        var folder = OperatingSystem.IsLinux() ? "/proc/self/fd" : OperatingSystem.IsMacOS() ? "/dev/fd" : null;
        if (folder is null)
        {
            return Typical;
        }
        try
        {
            return Directory.EnumerateFileSystemEntries(folder).Count();
        }
        catch (IOException)
        {
            return Typical;
        }
        catch (UnauthorizedAccessException)
        {
            return Typical;
        }
    }

    private static long ReadOpenFileLimit()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return 1 << 20;
        }
        try
        {
            return GetRLimit(OperatingSystem.IsMacOS() ? 8 : 7 /* RLIMIT_NOFILE */, out var limit) == 0 ? (long)Math.Min(limit.Current, (ulong)int.MaxValue) : 1024;
        }
        catch (DllNotFoundException)
        {
            return 1024;
        }
        catch (EntryPointNotFoundException)
        {
            return 1024;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [LibraryImport("libc", EntryPoint = "getrlimit")]
    private static partial int GetRLimit(int resource, out RLimit limit);
}
