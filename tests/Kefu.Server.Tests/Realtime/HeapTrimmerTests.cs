using Kefu.Server.Realtime;
using Microsoft.Extensions.Logging;

namespace Kefu.Server.Tests.Realtime;

/// <summary>When the trim after a surge of connections runs: steady count, and clients quiet besides their pings.</summary>
public sealed class HeapTrimmerTests
{
    private const long TickMs = 500;

    [Fact]
    public void A_surge_is_trimmed_once_the_count_is_steady_and_the_clients_quiet()
    {
        var log = new TrimLog();
        var trimmer = new HeapTrimmer(threshold: 1000, log);
        var now = 0L;
        for (var count = 0; count <= 5000; count += 500)
        {
            trimmer.Tick(count, framesBesidesPings: count, now += TickMs);
        }
        Assert.Equal(0, log.Trims);

        Tick(trimmer, 5000, frames: 5000, ref now, seconds: 11);

        Assert.Equal(1, log.Trims);
        Tick(trimmer, 5000, frames: 5000, ref now, seconds: 30);
        Assert.Equal(1, log.Trims);
    }

    [Fact]
    public void Clients_chatting_after_the_surge_put_the_trim_off_until_they_are_quiet()
    {
        var log = new TrimLog();
        var trimmer = new HeapTrimmer(threshold: 1000, log);
        var now = 0L;
        trimmer.Tick(5000, framesBesidesPings: 0, now += TickMs);

        // 200 frames a second besides pings, steady connections: no stop-the-world collection in the middle of it.
        var frames = 0L;
        for (var i = 0; i < 60; i++)
        {
            frames += 200 * TickMs / 1000;
            trimmer.Tick(5000, frames, now += TickMs);
        }
        Assert.Equal(0, log.Trims);

        Tick(trimmer, 5000, frames, ref now, seconds: 11);
        Assert.Equal(1, log.Trims);
    }

    private static void Tick(HeapTrimmer trimmer, int count, long frames, ref long now, int seconds)
    {
        for (var i = 0; i < seconds * 1000 / TickMs; i++)
        {
            trimmer.Tick(count, frames, now += TickMs);
        }
    }

    private sealed class TrimLog : ILogger
    {
        public int Trims { get; private set; }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == 130)
            {
                Trims++;
            }
        }
    }
}
