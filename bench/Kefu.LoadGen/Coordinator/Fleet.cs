using System.Text.Json.Nodes;

namespace Kefu.LoadGen.Coordinator;

/// <summary>The worker processes of one scenario, each with its own source addresses.</summary>
internal sealed class Fleet : IAsyncDisposable
{
    private const int AddressesPerWorker = 8;

    private Fleet(List<WorkerProcess> workers) => Workers = workers;

    public List<WorkerProcess> Workers { get; }

    public int[] ActiveVisitors { get; private set; } = [];

    public int[] AgentsPerWorker { get; private set; } = [];

    public static Fleet Start(int connections, Settings settings)
    {
        var count = Math.Max(settings.MinWorkers, (connections + settings.MaxPerWorker - 1) / settings.MaxPerWorker);
        return new Fleet(Enumerable.Range(0, count).Select(WorkerProcess.Start).ToList());
    }

    public static int[] Split(int total, int parts)
        => Enumerable.Range(0, parts).Select(i => (total / parts) + (i < total % parts ? 1 : 0)).ToArray();

    /// <summary>
    /// Connects <paramref name="visitors"/> visitors in all (of which <paramref name="active"/> will chat) and the
    /// agents, spread evenly over the nodes at <paramref name="urls"/>.
    /// </summary>
    public async Task<JsonObject[]> ConnectAsync(IReadOnlyList<Uri> urls, int visitors, int active, IReadOnlyList<string> agentTokens, Settings settings)
    {
        var visitorSplit = Split(visitors, Workers.Count);
        ActiveVisitors = Split(active, Workers.Count);
        // A single fallback agent (the admin) goes to worker 0; real agents are spread evenly.
        var agentLists = Workers.Select(_ => new JsonArray()).ToArray();
        for (var i = 0; i < agentTokens.Count; i++)
            agentLists[i % Workers.Count].Add(agentTokens[i]);
        AgentsPerWorker = agentLists.Select(a => a.Count).ToArray();
        return await AllAsync(w =>
        {
            var sources = new JsonArray();
            for (var a = 0; a < AddressesPerWorker; a++)
                sources.Add($"127.0.{1 + w.Index}.{2 + a}");
            return new JsonObject
            {
                ["cmd"] = "connect",
                ["urls"] = new JsonArray(urls.Select(u => (JsonNode)u.ToString()).ToArray()),
                ["visitors"] = visitorSplit[w.Index],
                ["agents"] = agentLists[w.Index],
                ["sources"] = sources,
                ["perSource"] = 5000,
                ["concurrency"] = 128,
                ["textBytes"] = settings.TextBytes,
                ["slowLog"] = settings.SlowLog,
            };
        }, TimeSpan.FromMinutes(10));
    }

    public Task<JsonObject[]> WarmupAsync()
        => AllAsync(w => new JsonObject { ["cmd"] = "warmup", ["active"] = ActiveVisitors[w.Index] }, TimeSpan.FromMinutes(2));

    /// <summary>Runs the open-loop schedule on every worker from a common start; visitor and agent rates are totals.</summary>
    public Task<JsonObject[]> RunAsync(long startTicks, double seconds, double visitorRate, double agentRate)
    {
        var totalActive = Math.Max(1, ActiveVisitors.Sum());
        var totalAgents = Math.Max(1, AgentsPerWorker.Sum());
        return AllAsync(w => new JsonObject
        {
            ["cmd"] = "run",
            ["startTicks"] = startTicks,
            ["seconds"] = seconds,
            ["active"] = ActiveVisitors[w.Index],
            ["visitorRate"] = visitorRate * ActiveVisitors[w.Index] / totalActive,
            ["agentRate"] = agentRate * AgentsPerWorker[w.Index] / totalAgents,
        }, TimeSpan.FromSeconds(seconds + 120));
    }

    public Task<JsonObject[]> CommandAsync(string name, TimeSpan timeout, JsonObject? extra = null)
        => AllAsync(_ =>
        {
            var command = new JsonObject { ["cmd"] = name };
            if (extra is not null)
            {
                foreach (var (key, value) in extra)
                    command[key] = value?.DeepClone();
            }

            return command;
        }, timeout);

    public async Task<JsonObject[]> AllAsync(Func<WorkerProcess, JsonObject> build, TimeSpan timeout)
        => await Task.WhenAll(Workers.Select(w => w.SendAsync(build(w), timeout)));

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in Workers)
            await worker.DisposeAsync();
    }
}
