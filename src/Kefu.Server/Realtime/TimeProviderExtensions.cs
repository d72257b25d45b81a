namespace Kefu.Server.Realtime;

internal static class TimeProviderExtensions
{
    /// <summary>Monotonic milliseconds, for timeouts and windows (never for stored times).</summary>
    public static long GetTimestampMs(this TimeProvider time) =>
        (long)(time.GetTimestamp() * 1000.0 / time.TimestampFrequency);
}
