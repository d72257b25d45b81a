using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using HdrHistogram;
using Kefu.LoadGen.Net;

namespace Kefu.LoadGen.Worker;

/// <summary>
/// A worker process: holds up to ~15k simulated clients and obeys JSON-line commands from the coordinator on
/// stdin, answering each on stdout with the same id. Commands may overlap (a storm during a run).
/// </summary>
internal sealed class WorkerHost(int workerId)
{
    private const long PingTickMicros = 5_000;
    private readonly Lock outputGate = new();
    private readonly List<SimClient> visitors = [];
    private readonly List<SimClient> agents = [];
    private WorkerContext? context;
    private Thread? pinger;
    private volatile SimClient[] pingable = [];

    public async Task<int> RunAsync()
    {
        var running = new List<Task>();
        while (await Console.In.ReadLineAsync() is { } line)
        {
            if (line.Length == 0)
                continue;
            var command = JsonNode.Parse(line)!.AsObject();
            var name = command["cmd"]!.GetValue<string>();
            if (name == "quit")
                break;
            running.Add(HandleAsync(command));
        }

        if (context is not null)
            context.Stopping = true;
        foreach (var client in visitors.Concat(agents))
            client.Close();
        await Task.WhenAll(running).WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        context?.Latency.SlowLog?.Dispose();
        return 0;
    }

    private async Task HandleAsync(JsonObject command)
    {
        var id = command["id"]!.GetValue<int>();
        JsonObject reply;
        try
        {
            reply = command["cmd"]!.GetValue<string>() switch
            {
                "connect" => await ConnectAsync(command),
                "warmup" => await WarmupAsync(command),
                "run" => await Task.Run(() => Run(command)),
                "storm" => await StormAsync(command),
                "snapshot" => Snapshot(),
                "drain" => await DrainAsync(command),
                "ledger" => Ledger(),
                "stats" => Stats(),
                var other => throw new InvalidOperationException($"unknown command {other}"),
            };
        }
        catch (Exception ex)
        {
            reply = new JsonObject { ["error"] = ex.ToString() };
        }

        reply["id"] = id;
        var text = reply.ToJsonString();
        lock (outputGate)
        {
            Console.Out.WriteLine(text);
            Console.Out.Flush();
        }
    }

    private async Task<JsonObject> ConnectAsync(JsonObject command)
    {
        var urls = command["urls"]!.AsArray().Select(u => new Uri(u!.GetValue<string>())).ToArray();
        var servers = urls.Select(u => new IPEndPoint(IPAddress.Parse(u.Host), u.Port)).ToArray();
        if (context is null)
        {
            context = new WorkerContext(workerId, command["textBytes"]?.GetValue<int>() ?? 64);
            if (command["slowLog"]?.GetValue<string>() is { } slowLog)
                context.Latency.SlowLog = new SlowEventLog($"{slowLog}-w{workerId}-{Environment.ProcessId}.tsv");
        }
        var sources = command["sources"]!.AsArray().Select(s => IPAddress.Parse(s!.GetValue<string>())).ToArray();
        var visitorCount = command["visitors"]!.GetValue<int>();
        var perSource = command["perSource"]?.GetValue<int>() ?? 5000;
        var concurrency = command["concurrency"]?.GetValue<int>() ?? 128;
        var siteKey = command["siteKey"]?.GetValue<string>() ?? "default";
        var started = Stopwatch.GetTimestamp();

        // Clients go to the nodes in turn (shifted per worker); tokens are valid on every node.
        IPEndPoint NodeOf(int n) => servers[(n + workerId) % servers.Length];
        using var api = new ApiClient(urls[workerId % urls.Length], sources[0]);
        var newClients = new List<SimClient>();
        var agentTokens = command["agents"]?.AsArray() ?? [];
        foreach (var agent in agentTokens)
        {
            var index = agents.Count;
            var client = new SimClient(context, $"w{workerId}a{index}", isAgent: true, agent!.GetValue<string>(), NodeOf(index), sources[index % sources.Length]);
            agents.Add(client);
            newClients.Add(client);
        }

        var firstVisitor = visitors.Count;
        var tokens = new string[visitorCount];
        await Parallel.ForAsync(0, visitorCount, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
            tokens[i] = (await api.CreateVisitorSessionAsync(siteKey, ct)).Token);
        var tokenSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        for (var i = 0; i < visitorCount; i++)
        {
            var index = firstVisitor + i;
            var client = new SimClient(context, $"w{workerId}v{index}", isAgent: false, tokens[i], NodeOf(index), sources[Math.Min(sources.Length - 1, index / perSource)]);
            visitors.Add(client);
            newClients.Add(client);
        }

        var failures = 0;
        string? firstError = null;
        await Parallel.ForEachAsync(newClients, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (client, ct) =>
        {
            try
            {
                await client.ConnectAsync(ct);
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or TimeoutException)
            {
                Interlocked.Increment(ref failures);
                Interlocked.CompareExchange(ref firstError, ex.Message, null);
            }
        });

        StartPinger();
        return new JsonObject
        {
            ["visitors"] = visitors.Count(v => v.Online),
            ["agents"] = agents.Count(a => a.Online),
            ["failures"] = failures,
            ["firstError"] = firstError,
            ["tokenSeconds"] = tokenSeconds,
            ["seconds"] = Stopwatch.GetElapsedTime(started).TotalSeconds,
        };
    }

    private async Task<JsonObject> WarmupAsync(JsonObject command)
    {
        var active = Math.Min(command["active"]!.GetValue<int>(), visitors.Count);
        var now = Stopwatch.GetTimestamp();
        for (var i = 0; i < active; i++)
            visitors[i].ScheduleSend(now);
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 60;
        while (Stopwatch.GetTimestamp() < deadline && visitors.Take(active).Any(v => v.PendingCount > 0))
            await Task.Delay(100);
        return new JsonObject
        {
            ["pending"] = visitors.Take(active).Sum(v => v.PendingCount),
            ["seconds"] = Stopwatch.GetElapsedTime(now).TotalSeconds,
        };
    }

    private JsonObject Run(JsonObject command)
    {
        var active = Math.Min(command["active"]!.GetValue<int>(), visitors.Count);
        var (visitorSends, agentSends) = SendSchedule.Run(
            command["startTicks"]!.GetValue<long>(),
            command["seconds"]!.GetValue<double>(),
            command["visitorRate"]!.GetValue<double>(),
            visitors.GetRange(0, active),
            command["agentRate"]!.GetValue<double>(),
            agents);
        return new JsonObject { ["visitorSends"] = visitorSends, ["agentSends"] = agentSends };
    }

    private async Task<JsonObject> StormAsync(JsonObject command)
    {
        var ctx = context!;
        var atTicks = command["atTicks"]!.GetValue<long>();
        var timeout = command["timeoutSeconds"]?.GetValue<double>() ?? 120;
        while (Stopwatch.GetTimestamp() < atTicks)
            await Task.Delay(1);
        ctx.TakeResumeHistogram();
        Interlocked.Exchange(ref ctx.StormResumed, 0);
        ctx.StormDropTicks = Stopwatch.GetTimestamp();
        var all = visitors.Concat(agents).ToList();
        foreach (var client in all)
            client.Drop();
        var deadline = ctx.StormDropTicks + (long)(timeout * Stopwatch.Frequency);
        while (Volatile.Read(ref ctx.StormResumed) < all.Count && Stopwatch.GetTimestamp() < deadline)
            await Task.Delay(20);
        var resumed = Volatile.Read(ref ctx.StormResumed);
        var histogram = ctx.TakeResumeHistogram();
        return new JsonObject
        {
            ["dropped"] = all.Count,
            ["resumed"] = resumed,
            ["allResumedSeconds"] = resumed == all.Count ? histogram.GetMaxValue() / 1e6 : null,
            ["resume"] = LatencyRecorder.Encode(histogram),
        };
    }

    private JsonObject Snapshot()
    {
        var result = context!.Latency.SnapshotAndReset();
        result["counters"] = context.Counters.SnapshotAndReset();
        return result;
    }

    private async Task<JsonObject> DrainAsync(JsonObject command)
    {
        var timeout = command["timeoutSeconds"]?.GetValue<double>() ?? 30;
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(timeout * Stopwatch.Frequency);
        long lastReceived = -1;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var received = Interlocked.Read(ref context!.Counters.Received) + Interlocked.Read(ref context.Counters.Replayed);
            var pendingNow = visitors.Sum(v => v.PendingCount) + agents.Sum(a => a.PendingCount);
            if (pendingNow == 0 && received == lastReceived)
                break;
            lastReceived = received;
            await Task.Delay(500);
        }

        return new JsonObject
        {
            ["pending"] = visitors.Sum(v => v.PendingCount) + agents.Sum(a => a.PendingCount),
            ["offline"] = visitors.Count(v => !v.Online) + agents.Count(a => !a.Online),
            ["seconds"] = Stopwatch.GetElapsedTime(started).TotalSeconds,
        };
    }

    private JsonObject Ledger()
    {
        var acked = new JsonObject();
        long conversations = 0, holes = 0;
        foreach (var client in visitors.Concat(agents))
        {
            if (client.Acked is { } set)
                acked[client.Endpoint] = set.ToJson();
            var (count, missing) = client.CheckConversations();
            conversations += count;
            holes += missing;
        }

        return new JsonObject
        {
            ["acked"] = acked,
            ["received"] = context!.Ledger.ToJson(),
            ["conversationViews"] = conversations,
            ["seqHoles"] = holes,
            ["totals"] = context.Counters.Totals(),
            ["agentAssignments"] = new JsonArray(agents.Select(a => (JsonNode)a.AssignedCount).ToArray()),
        };
    }

    private JsonObject Stats()
    {
        using var self = Process.GetCurrentProcess();
        return new JsonObject
        {
            ["pid"] = Environment.ProcessId,
            ["rssBytes"] = self.WorkingSet64,
            ["online"] = visitors.Count(v => v.Online) + agents.Count(a => a.Online),
            ["clients"] = visitors.Count + agents.Count,
            ["assigned"] = agents.Sum(a => a.AssignedCount),
        };
    }

    /// <summary>
    /// Each client pings once per heartbeat at a phase of its own, spread evenly over the heartbeat, like real
    /// clients that came online at different moments. Ticks are 5 ms apart: at 100 ms ticks the pings of a tick
    /// left together (30-60 at once over the workers), a burst of server work every 100 ms that made the chat's
    /// latency tail partly the generator's and flattered the idle server's CPU.
    /// </summary>
    private void StartPinger()
    {
        pingable = [.. visitors, .. agents];
        if (pinger is not null)
            return;
        pinger = new Thread(() =>
        {
            var tickTicks = Stopwatch.Frequency * PingTickMicros / 1_000_000;
            var next = Stopwatch.GetTimestamp();
            // Workers share client indexes; a per-worker offset keeps their pings apart.
            var offset = workerId * 7919L;
            for (var tick = 0L; context is { Stopping: false }; tick++)
            {
                next += tickTicks;
                NativeSleep.Until(next);
                var all = pingable;
                if (all.Length == 0)
                    continue;
                // The server gives every client the same heartbeat. The clients are spread evenly over its slots:
                // client i pings in the slot s with ceil(s·n/slots) ≤ i < ceil((s+1)·n/slots).
                long slots = Math.Max(1, all[0].HeartbeatSeconds * (1_000_000 / PingTickMicros));
                var slot = (tick + offset) % slots;
                long n = all.Length;
                for (var i = ((slot * n) + slots - 1) / slots; i < (((slot + 1) * n) + slots - 1) / slots; i++)
                    all[i].SendPing();
            }
        })
        { IsBackground = true, Name = "pinger" };
        pinger.Start();
    }
}
