using System.Diagnostics;

namespace Kefu.LoadGen.Worker;

internal static partial class NativeSleep
{
    /// <summary>
    /// Sleeps until a <see cref="Stopwatch"/> timestamp (at most 100 ms at a time): <c>Thread.Sleep(1)</c> wakes a
    /// millisecond or more later whatever is due, which made each send up to a millisecond late (and the latency,
    /// counted from the intended time, that much longer). <c>usleep</c> wakes within the kernel's timer slack (50 µs).
    /// </summary>
    public static void Until(long dueTicks)
    {
        var micros = (dueTicks - Stopwatch.GetTimestamp()) * 1_000_000 / Stopwatch.Frequency;
        if (micros <= 0)
            return;
        if (!OperatingSystem.IsLinux())
        {
            Thread.Sleep(1);
            return;
        }

        _ = usleep((uint)Math.Min(micros, 100_000));
    }

    [System.Runtime.InteropServices.LibraryImport("libc", SetLastError = false)]
    private static partial int usleep(uint microseconds);
}
