using System.Diagnostics;
using System.Globalization;
using HdrHistogram;
using Kefu.Core.Protocol;
using Kefu.Core.Storage;

namespace Kefu.Benchmarks.Appends;

/// <summary>
/// <c>appends</c>: the store's durable append rate. Many appenders (closed loop: each awaits its append,
/// acked only after the commit, then sends the next) write to many conversations for a fixed time; the
/// result is appends/s and the append latency percentiles, then a check that every conversation's seqs
/// are gapless. Runs on SQLite in a temp folder and on PostgreSQL (its own throwaway cluster, or the one
/// named by <c>--postgres</c>).
/// </summary>
internal static class AppendRateCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var settings = AppendRateSettings.Parse(args);
        Console.WriteLine($"| store | appenders | conversations | seconds | appends/s | p50 ms | p99 ms | p99.9 ms | max ms |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var kind in settings.Stores)
        {
            await using var target = await BenchStore.OpenAsync(kind, settings.PostgresConnectionString);
            var result = await MeasureAsync(target.Conversations, await CreateConversationsAsync(target, settings.Conversations), settings);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {kind} | {settings.Appenders} | {settings.Conversations} | {settings.Seconds} | {result.PerSecond:F0} | {Ms(result.Latency, 50)} | {Ms(result.Latency, 99)} | {Ms(result.Latency, 99.9)} | {result.Latency.GetMaxValue() / 1000.0:F2} |"));
            if (!result.Gapless)
            {
                await Console.Error.WriteLineAsync($"{kind}: a conversation's seqs are not gapless.");
                return 1;
            }
        }
        return 0;
    }

    private static string Ms(HistogramBase histogram, double percentile)
        => (histogram.GetValueAtPercentile(percentile) / 1000.0).ToString("F2", CultureInfo.InvariantCulture);

    private static async Task<Conversation[]> CreateConversationsAsync(BenchStore target, int count)
    {
        var boot = await target.Directory.BootstrapAsync(new BootstrapRequest("admin", "x", "Admin", false, 10), CancellationToken.None);
        return await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
        {
            var visitor = await target.Directory.GetOrCreateVisitorAsync(
                new VisitorRegistration(boot.Tenant.Id, boot.Site.Id, null, null, null, null), DateTimeOffset.UtcNow, CancellationToken.None);
            var start = await target.Conversations.StartConversationAsync(
                new StartConversation(boot.Tenant.Id, boot.Site.Id, visitor.Id, boot.Team.Id, null), CancellationToken.None);
            return start.Conversation;
        }));
    }

    private static async Task<AppendRateResult> MeasureAsync(IConversationStore store, Conversation[] conversations, AppendRateSettings settings)
    {
        var warmUpEnds = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 2;
        var ends = warmUpEnds + (long)(Stopwatch.Frequency * settings.Seconds);
        var appended = new long[conversations.Length];
        var appenders = Enumerable.Range(0, settings.Appenders).Select(appender => Task.Run(async () =>
        {
            var latency = new LongHistogram(60_000_000, 3);
            long counted = 0;
            for (var n = 0; ; n++)
            {
                var index = (appender + n * settings.Appenders) % conversations.Length;
                var conversation = conversations[index];
                var started = Stopwatch.GetTimestamp();
                if (started >= ends)
                {
                    return (latency, counted);
                }
                var result = await store.AppendAsync(
                    new NewMessage(conversation.Id, SenderTypes.Visitor, conversation.VisitorId, null, $"{appender}-{n}", MessageKinds.Text, "Hello, my order has not arrived yet.", null, null),
                    CancellationToken.None);
                if (result.Outcome != AppendOutcome.Appended)
                {
                    throw new InvalidOperationException($"Append answered {result.Outcome}.");
                }
                Interlocked.Increment(ref appended[index]);
                if (started >= warmUpEnds)
                {
                    latency.RecordValue((Stopwatch.GetTimestamp() - started) * 1_000_000 / Stopwatch.Frequency);
                    counted++;
                }
            }
        })).ToList();
        var results = await Task.WhenAll(appenders);

        var all = new LongHistogram(60_000_000, 3);
        long total = 0;
        foreach (var (latency, counted) in results)
        {
            all.Add(latency);
            total += counted;
        }
        var gapless = true;
        for (var i = 0; i < conversations.Length; i++)
        {
            var stored = await store.ReadAfterAsync(conversations[i].Id, 0, (int)appended[i] + 1, CancellationToken.None);
            gapless &= stored.Count == appended[i] && stored.Select((m, at) => m.Seq == at + 1).All(ok => ok);
        }
        return new AppendRateResult(total / settings.Seconds, all, gapless);
    }

    private sealed record AppendRateResult(double PerSecond, HistogramBase Latency, bool Gapless);
}
