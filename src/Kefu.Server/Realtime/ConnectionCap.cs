using System.Runtime.InteropServices;
using Kefu.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Realtime;

/// <summary>
/// How many WebSockets this process accepts. Kestrel aborts the process when accept() runs out of file
/// descriptors, so the cap stays below the open-file limit with room for the store, logs and plain HTTP.
/// </summary>
internal sealed partial class ConnectionCap
{
    /// <summary>Descriptors kept free for everything that is not an upgraded connection.</summary>
    public const int Reserve = 500;

    public ConnectionCap(IOptions<LimitsOptions> limits)
    {
        OpenFileLimit = ReadOpenFileLimit();
        var derived = (int)Math.Clamp(OpenFileLimit - Reserve, 16, int.MaxValue);
        var configured = limits.Value.MaxConnections;
        Value = configured > 0 ? Math.Min(configured, derived) : derived;
    }

    public long OpenFileLimit { get; }

    public int Value { get; }

    /// <summary>A ceiling for Kestrel's own connection limit: the cap plus room for plain HTTP requests.</summary>
    public long KestrelLimit => Math.Max(Value + 16, Math.Min(OpenFileLimit - 100, (long)Value + (Reserve / 2)));

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
