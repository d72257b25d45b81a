using System.Diagnostics;

namespace Kefu.LoadGen.Coordinator;

/// <summary>
/// Samples the server's (and the workers') RSS and CPU once a second during a measurement window. With
/// several nodes, the server's numbers are their sums.
/// </summary>
internal sealed class Sampler : IAsyncDisposable
{
    private readonly int[] serverPids;
    private readonly int[] workerPids;
    private readonly double serverCpuStart;
    private readonly double workersCpuStart;
    private readonly long startTicks;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private long serverRssMax;
    private long serverRssSum;
    private int samples;

    public Sampler(IEnumerable<int> serverPids, IEnumerable<int> workerPids)
    {
        this.serverPids = serverPids.ToArray();
        this.workerPids = workerPids.ToArray();
        serverCpuStart = this.serverPids.Sum(ProcStats.CpuSeconds);
        workersCpuStart = this.workerPids.Sum(ProcStats.CpuSeconds);
        startTicks = Stopwatch.GetTimestamp();
        loop = Task.Run(LoopAsync);
    }

    public async Task<SampleWindow> StopAsync()
    {
        await stop.CancelAsync();
        await loop;
        var seconds = Stopwatch.GetElapsedTime(startTicks).TotalSeconds;
        var rss = serverPids.Sum(ProcStats.RssBytes);
        return new SampleWindow(
            seconds,
            (serverPids.Sum(ProcStats.CpuSeconds) - serverCpuStart) / seconds * 100,
            (workerPids.Sum(ProcStats.CpuSeconds) - workersCpuStart) / seconds * 100,
            rss,
            Math.Max(serverRssMax, rss),
            samples == 0 ? rss : serverRssSum / samples,
            workerPids.Sum(ProcStats.RssBytes),
            serverPids.Sum(ProcStats.OpenFiles),
            serverPids.Max(ProcStats.OpenFiles));
    }

    private async Task LoopAsync()
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(1000, stop.Token);
                var rss = serverPids.Sum(ProcStats.RssBytes);
                serverRssMax = Math.Max(serverRssMax, rss);
                serverRssSum += rss;
                samples++;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!stop.IsCancellationRequested)
            await StopAsync();
        stop.Dispose();
    }
}

/// <summary>CPU is in percent of one core.</summary>
internal sealed record SampleWindow(
    double Seconds, double ServerCpuPercent, double WorkersCpuPercent, long ServerRss, long ServerRssMax, long ServerRssAvg, long WorkersRss, int ServerOpenFiles, int NodeOpenFilesMax);
