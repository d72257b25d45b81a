using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using HdrHistogram;
using Kefu.LoadGen.Net;

namespace Kefu.LoadGen.Coordinator;

/// <summary>The scenarios. Each starts its own server (fresh data folder) unless --url points at one.</summary>
internal sealed class Scenarios(Settings settings, string runDir, JsonObject report, List<string> problems)
{
    private const long WindowSeconds = 10;

    public async Task IdleAsync()
    {
        Log($"idle: {settings.IdleConnections} connections, hold {settings.IdleHoldSeconds} s");
        await using var server = await StartServerAsync("idle", 10);
        await using var fleet = Fleet.Start(settings.IdleConnections, settings);

        // Warm the server's code paths with a few connections first, so the baseline is a running server.
        await fleet.ConnectAsync(server.Urls, 50 * fleet.Workers.Count, 0, [], settings);
        await Task.Delay(3000);
        var before = server.Pids.Sum(ProcStats.RssBytes);
        var connect = await fleet.ConnectAsync(server.Urls, settings.IdleConnections, 0, [], settings);
        var total = settings.IdleConnections;
        // The server trims its heap once the count has been steady for 10 s (checked every 5 s): a one-off cost
        // of the surge, not of holding connections, so the hold is measured after it.
        await Task.Delay(20_000);
        await using var sampler = new Sampler(server.Pids, fleet.Workers.Select(w => w.Pid));
        await Task.Delay(TimeSpan.FromSeconds(settings.IdleHoldSeconds));
        var window = await sampler.StopAsync();
        var stats = await fleet.CommandAsync("stats", TimeSpan.FromSeconds(30));
        var online = stats.Sum(s => s["online"]!.GetValue<int>()) - (50 * fleet.Workers.Count);
        var result = new JsonObject
        {
            ["connections"] = total,
            ["online"] = online,
            ["connectFailures"] = connect.Sum(c => c["failures"]!.GetValue<int>()),
            ["connectSeconds"] = connect.Max(c => c["seconds"]!.GetValue<double>()),
            ["warmConnections"] = 50 * fleet.Workers.Count,
            ["rssBeforeMiB"] = Mib(before),
            ["rssWithMiB"] = Mib(window.ServerRss),
            ["rssPerConnectionKiB"] = Math.Round((window.ServerRss - before) / 1024.0 / total, 2),
            ["serverCpuPercentOfCore"] = Math.Round(window.ServerCpuPercent, 2),
            ["holdSeconds"] = Math.Round(window.Seconds, 1),
            ["serverOpenFiles"] = window.ServerOpenFiles,
            ["nodes"] = server.Nodes.Count,
            ["nodeOpenFilesMax"] = window.NodeOpenFilesMax,
            ["loadGenRssPerConnectionKiB"] = Math.Round(window.WorkersRss / 1024.0 / total, 2),
            ["loadGenCpuPercentOfCore"] = Math.Round(window.WorkersCpuPercent, 2),
            ["limits"] = Limits(server),
        };
        if (online < total)
            problems.Add($"idle: only {online} of {total} connections online");
        report["idle"] = result;
    }

    /// <summary>Chat at a fixed rate, then (if asked) a reconnect storm under the same traffic, on one server.</summary>
    public async Task ChatAndStormAsync(bool chat, bool storm)
    {
        var connections = settings.ChatConnections;
        Log($"chat: {connections} connections, {settings.Pairs} pairs, {settings.Rate} msg/s for {settings.ChatSeconds} s");
        await using var server = await StartServerAsync("chat", Math.Max(100, settings.Pairs * 2));
        var (agentTokens, agentMode) = await SetupAgentsAsync(server, settings.Agents, settings.Pairs);
        await using var fleet = Fleet.Start(connections, settings);
        var visitors = Math.Max(settings.Pairs, connections - agentTokens.Count);
        var connect = await fleet.ConnectAsync(server.Urls, visitors, settings.Pairs, agentTokens, settings);
        var warmup = await fleet.WarmupAsync();
        await Task.Delay(2000);
        var assigned = await WaitForAssignmentsAsync(fleet, agentMode == "admin" ? 0 : settings.Pairs);
        var online = (await fleet.CommandAsync("stats", TimeSpan.FromSeconds(30))).Sum(s => s["online"]!.GetValue<int>());
        await fleet.CommandAsync("snapshot", TimeSpan.FromSeconds(30));
        var common = new JsonObject
        {
            ["connections"] = visitors + agentTokens.Count,
            ["online"] = online,
            ["pairs"] = settings.Pairs,
            ["agents"] = agentTokens.Count,
            ["agentMode"] = agentMode,
            ["connectFailures"] = connect.Sum(c => c["failures"]!.GetValue<int>()),
            ["warmupPending"] = warmup.Sum(w => w["pending"]!.GetValue<int>()),
            ["assignedBeforeRun"] = assigned,
            ["limits"] = Limits(server),
        };

        var visitorRate = settings.Rate * (1 - settings.AgentShare);
        var agentRate = settings.Rate * settings.AgentShare;
        if (chat && settings.WarmSeconds > 0)
        {
            // The same traffic, not measured: the collections that follow connecting thousands of clients and
            // assigning their conversations happen here, not in the steady state the run is about.
            Log($"chat: {settings.WarmSeconds} s of traffic before the measured run");
            await fleet.RunAsync(Stopwatch.GetTimestamp() + Stopwatch.Frequency, settings.WarmSeconds, visitorRate, agentRate);
            await Task.Delay(1000);
            await fleet.CommandAsync("snapshot", TimeSpan.FromSeconds(30));
        }
        if (chat)
        {
            await using var sampler = new Sampler(server.Pids, fleet.Workers.Select(w => w.Pid));
            var start = Stopwatch.GetTimestamp() + Stopwatch.Frequency;
            var run = fleet.RunAsync(start, settings.ChatSeconds, visitorRate, agentRate);
            // A snapshot every 10 s as well as the whole: one stall-heavy stretch shows as one bad window.
            var windows = new List<JsonObject[]>();
            var windowTicks = WindowSeconds * Stopwatch.Frequency;
            var end = start + (long)(settings.ChatSeconds * Stopwatch.Frequency);
            for (var due = start + windowTicks; due < end; due += windowTicks)
            {
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                if (wait > TimeSpan.Zero)
                    await Task.Delay(wait);
                windows.Add(await fleet.CommandAsync("snapshot", TimeSpan.FromSeconds(30)));
            }

            await run;
            await Task.Delay(1000);
            var window = await sampler.StopAsync();
            windows.Add(await fleet.CommandAsync("snapshot", TimeSpan.FromSeconds(30)));
            var result = (JsonObject)common.DeepClone();
            result["rateTarget"] = settings.Rate;
            result["seconds"] = settings.ChatSeconds;
            result["warmSeconds"] = settings.WarmSeconds;
            AddLatencies(result, [.. windows.SelectMany(w => w)], settings.ChatSeconds);
            result["windowSeconds"] = WindowSeconds;
            result["ackP99ByWindow"] = new JsonArray([.. windows.Select(w => Latency.Summary(Latency.Merge(w, "ack"))["p99"]?.DeepClone())]);
            result["serverCpuPercentOfCore"] = Math.Round(window.ServerCpuPercent, 1);
            result["loadGenCpuPercentOfCore"] = Math.Round(window.WorkersCpuPercent, 1);
            result["serverRssMiB"] = Mib(window.ServerRssMax);
            report["chat"] = result;
        }

        if (storm)
        {
            Log($"reconnect-storm: dropping all {online} connections under {settings.Rate} msg/s");
            var start = Stopwatch.GetTimestamp() + Stopwatch.Frequency;
            var stormAt = start + (long)(Stopwatch.Frequency * Math.Min(2, settings.StormTrafficSeconds / 4));
            var run = fleet.RunAsync(start, settings.StormTrafficSeconds, visitorRate, agentRate);
            var drops = await fleet.CommandAsync("storm", TimeSpan.FromSeconds(200), new JsonObject { ["atTicks"] = stormAt, ["timeoutSeconds"] = 120 });
            await run;
            await Task.Delay(1000);
            var snapshots = await fleet.CommandAsync("snapshot", TimeSpan.FromSeconds(30));
            var resume = Latency.Merge(drops, "resume");
            var dropped = drops.Sum(d => d["dropped"]!.GetValue<int>());
            var resumed = drops.Sum(d => d["resumed"]!.GetValue<int>());
            var result = (JsonObject)common.DeepClone();
            result["dropped"] = dropped;
            result["resumed"] = resumed;
            result["allResumedSeconds"] = resumed == dropped ? Math.Round(resume.GetMaxValue() / 1e6, 3) : null;
            result["resumeMs"] = Latency.Summary(resume);
            result["trafficSeconds"] = settings.StormTrafficSeconds;
            AddLatencies(result, snapshots, settings.StormTrafficSeconds);
            if (resumed < dropped)
                problems.Add($"reconnect-storm: only {resumed} of {dropped} connections resumed");
            report["reconnectStorm"] = result;
        }

        await CheckAsync(fleet, chat && storm ? "chat+storm" : chat ? "chat" : "storm");
    }

    public async Task BurstAsync()
    {
        Log($"burst: {settings.BurstPairs} pairs, steps {string.Join(',', settings.BurstSteps)} msg/s, {settings.BurstStepSeconds} s each");
        await using var server = await StartServerAsync("burst", Math.Max(100, settings.BurstPairs * 2));
        var (agentTokens, agentMode) = await SetupAgentsAsync(server, settings.BurstAgents, settings.BurstPairs);
        await using var fleet = Fleet.Start(settings.BurstPairs + agentTokens.Count, settings);
        await fleet.ConnectAsync(server.Urls, settings.BurstPairs, settings.BurstPairs, agentTokens, settings);
        await fleet.WarmupAsync();
        // Steady-state chat, as in the chat scenario: a message to a queued conversation also goes to every agent.
        var assigned = await WaitForAssignmentsAsync(fleet, agentMode == "admin" ? 0 : settings.BurstPairs);
        await Task.Delay(2000);
        await fleet.CommandAsync("snapshot", TimeSpan.FromSeconds(30));
        var steps = new JsonArray();
        double? best = null, failed = null;
        foreach (var rate in settings.BurstSteps)
        {
            if (!await BurstStepAsync(server, fleet, rate, steps))
            {
                failed = rate;
                break;
            }

            best = rate;
        }

        // The ladder's steps are coarse (2,500 msg/s apart at the bottom): halve the gap between the last rate
        // that held and the first that did not, a few times, to a multiple of 250 msg/s.
        for (var i = 0; i < settings.BurstRefineSteps && failed is { } over; i++)
        {
            var under = best ?? 0;
            var middle = Math.Round((under + over) / 2 / 250) * 250;
            if (middle <= under || middle >= over)
                break;
            if (await BurstStepAsync(server, fleet, middle, steps))
                best = middle;
            else
                failed = middle;
        }

        report["burst"] = new JsonObject
        {
            ["pairs"] = settings.BurstPairs,
            ["agents"] = agentTokens.Count,
            ["agentMode"] = agentMode,
            ["stepSeconds"] = settings.BurstStepSeconds,
            ["assignedBeforeRun"] = assigned,
            ["highestRateAtP99Under50Ms"] = best,
            ["steps"] = steps,
            ["limits"] = Limits(server),
        };
        await CheckAsync(fleet, "burst");
    }

    /// <summary>
    /// One rate of the burst for <c>BurstStepSeconds</c>, added to <paramref name="steps"/>; then waits for the
    /// backlog to drain (and forgets what the drain recorded). It held when the ack p99 stayed ≤ 50 ms and at
    /// least 98 % of the sends were acked.
    /// </summary>
    private async Task<bool> BurstStepAsync(ServerGroup server, Fleet fleet, double rate, JsonArray steps)
    {
        bool held;
        await using (var sampler = new Sampler(server.Pids, fleet.Workers.Select(w => w.Pid)))
        {
            var start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 2;
            await fleet.RunAsync(start, settings.BurstStepSeconds, rate * (1 - settings.AgentShare), rate * settings.AgentShare);
            await Task.Delay(1000);
            var window = await sampler.StopAsync();
            var snapshots = await fleet.CommandAsync("snapshot", TimeSpan.FromSeconds(30));
            var step = new JsonObject { ["rateTarget"] = rate };
            AddLatencies(step, snapshots, settings.BurstStepSeconds);
            step["serverCpuPercentOfCore"] = Math.Round(window.ServerCpuPercent, 1);
            step["loadGenCpuPercentOfCore"] = Math.Round(window.WorkersCpuPercent, 1);
            var p99 = step["ackMs"]!["p99"]?.GetValue<double>();
            var counters = step["counters"]!.AsObject();
            var keptUp = counters["acked"]!.GetValue<long>() >= 0.98 * counters["scheduled"]!.GetValue<long>();
            held = p99 is <= 50 && keptUp;
            step["held"] = held;
            steps.Add(step);
            Log($"burst {rate} msg/s: ack p99 {p99} ms, acked {counters["acked"]} of {counters["scheduled"]}{(held ? "" : ": did not hold")}");
        }

        // Acks of a backlog arrive while draining; they belong to this step, not to the next one's histograms.
        await fleet.CommandAsync("drain", TimeSpan.FromSeconds(60), new JsonObject { ["timeoutSeconds"] = 20 });
        await fleet.CommandAsync("snapshot", TimeSpan.FromSeconds(30));
        return held;
    }

    /// <summary>
    /// Waits (at most 60 s) until the agents hold <paramref name="pairs"/> conversations, so that the measured
    /// window has both parties talking; with several nodes, assignments reach agents on other nodes through the bus.
    /// </summary>
    private static async Task<int> WaitForAssignmentsAsync(Fleet fleet, int pairs)
    {
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 60;
        while (true)
        {
            var assigned = (await fleet.CommandAsync("stats", TimeSpan.FromSeconds(30))).Sum(s => s["assigned"]!.GetValue<int>());
            if (assigned >= pairs || Stopwatch.GetTimestamp() > deadline)
            {
                if (assigned < pairs)
                    Log($"only {assigned} of {pairs} conversations assigned to agents after 60 s; measuring anyway");
                return assigned;
            }

            await Task.Delay(500);
        }
    }

    private async Task CheckAsync(Fleet fleet, string name)
    {
        var drain = await fleet.CommandAsync("drain", TimeSpan.FromSeconds(120), new JsonObject { ["timeoutSeconds"] = 60 });
        var ledgers = await fleet.CommandAsync("ledger", TimeSpan.FromSeconds(60));
        var check = Reconciler.Check(ledgers);
        var pending = drain.Sum(d => d["pending"]!.GetValue<int>());
        check["unackedAfterDrain"] = pending;
        check["offlineAfterDrain"] = drain.Sum(d => d["offline"]!.GetValue<int>());
        ((JsonObject)report["checks"]!)[name] = check;
        Log($"{name} check: {check.ToJsonString()}");
        if (!check["ok"]!.GetValue<bool>())
            problems.Add($"{name}: lost {check["lost"]}, duplicated {check["duplicated"]}, reordered {check["reordered"]}, seq holes {check["seqHoles"]}");
        // Between nodes a bus may drop an event (an outage, a node's death) and the client heals the jump; with the
        // in-process bus nothing can, so a jump there is a fault even though the client healed it.
        if (check["gapSyncs"]!.GetValue<long>() > 0 && (string?)settings.DescribeServers()["bus"] == "inprocess")
            problems.Add($"{name}: {check["gapSyncs"]} seq jumps with the in-process bus (healed by sync, but nothing should drop a live message there)");
        if (pending > 0 || check["sendErrors"]!.GetValue<long>() > 0 || check["unexpectedCloses"]!.GetValue<long>() > 0)
            problems.Add($"{name}: {pending} sends never acked, {check["sendErrors"]} send errors, {check["unexpectedCloses"]} unexpected closes");
    }

    private static void AddLatencies(JsonObject result, JsonObject[] snapshots, double seconds)
    {
        var counters = Latency.SumCounters(snapshots);
        result["ackMs"] = Latency.Summary(Latency.Merge(snapshots, "ack"));
        result["deliveryMs"] = Latency.Summary(Latency.Merge(snapshots, "delivery"));
        result["pongMs"] = Latency.Summary(Latency.Merge(snapshots, "pong"));
        result["latenessMs"] = Latency.Summary(Latency.Merge(snapshots, "lateness"));
        result["ackedPerSecond"] = Math.Round(counters["acked"]!.GetValue<long>() / seconds, 1);
        result["counters"] = counters;
    }

    private async Task<ServerGroup> StartServerAsync(string name, int maxConcurrent)
    {
        var server = await ServerGroup.StartAsync(settings, runDir, name, maxConcurrent);
        foreach (var node in server.Nodes)
            Log($"server pid {node.Pid} at {node.Url}");
        return server;
    }

    /// <summary>Creates agents through the admin API when the server has it; otherwise the admin is the only agent.</summary>
    private async Task<(List<string> Tokens, string Mode)> SetupAgentsAsync(ServerGroup server, int count, int pairs)
    {
        using var api = new ApiClient(server.Urls[0], null);
        var adminToken = await api.LoginAsync(settings.AdminUser, settings.AdminPassword, CancellationToken.None);
        var capacity = Math.Max(10, (pairs * 2 / Math.Max(1, count)) + 5);
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var tokens = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var username = $"bench-{suffix}-{i.ToString(CultureInfo.InvariantCulture)}";
            var created = await api.TryCreateAgentAsync(adminToken, username, settings.AdminPassword, capacity, CancellationToken.None);
            if (created is null || (created == false && i == 0))
            {
                Log("agents API not available: the admin is the only agent");
                return ([adminToken], "admin");
            }

            if (created == false)
                throw new InvalidOperationException($"creating agent {username} failed");
            tokens.Add(await api.LoginAsync(username, settings.AdminPassword, CancellationToken.None));
        }

        return (tokens, $"{count} agents, capacity {capacity}");
    }

    private static JsonObject Limits(ServerGroup server)
    {
        var limits = new JsonObject();
        foreach (var (key, value) in server.Limits)
            limits[key] = value;
        return limits;
    }

    private static double Mib(long bytes) => Math.Round(bytes / 1024.0 / 1024.0, 1);

    public static void Log(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}
