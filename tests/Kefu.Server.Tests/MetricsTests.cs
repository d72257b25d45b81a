using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Kefu.Server.Tests.Infrastructure;
using Kefu.Server.Tests.Routing;

namespace Kefu.Server.Tests;

public sealed partial class MetricsTests
{
    private const string Token = "metrics-token-0123456789";

    [Fact]
    public async Task Metrics_serve_Kefu_runtime_and_Kestrel_instruments_and_the_counters_move_when_a_message_is_sent()
    {
        await using var server = await ServerProcess.StartAsync();
        var before = await ScrapeAsync(server.Http);
        var visitor = await Api.VisitorAsync(server.Http);
        var (client, _) = await server.HelloAsync(visitor.Token);
        await using var _ = client;
        for (var i = 0; i < 3; i++)
        {
            await client.SendTextAsync($"metrics {i}");
        }

        // The commit path counts after the store confirms; wait for the scrape to show it, with a bound.
        var after = await WaitForAsync(server.Http, m => Value(m, "kefu_messages_committed_total") >= Value(before, "kefu_messages_committed_total") + 3);
        Assert.Equal(1, Value(after, "kefu_connections_open"));
        // hello and three sends in; welcome and three acks (at least) out.
        Assert.True(Value(after, "kefu_frames_received_total") >= Value(before, "kefu_frames_received_total") + 4, after);
        Assert.True(Value(after, "kefu_frames_sent_total") >= Value(before, "kefu_frames_sent_total") + 4, after);
        Assert.True(Value(after, "kefu_store_commit_duration_seconds_count") >= Value(before, "kefu_store_commit_duration_seconds_count") + 1, after);
        Assert.True(Value(after, "kefu_store_commit_batch_size_sum") >= Value(before, "kefu_store_commit_batch_size_sum") + 3, after);
        // Each acked send is timed before its ack leaves, so all three are counted once the client has the acks.
        Assert.Equal(Value(before, "kefu_send_duration_seconds_count") + 3, Value(after, "kefu_send_duration_seconds_count"));
        Assert.Equal(0, Value(after, "kefu_store_errors_total"));
        Assert.True(Value(after, "kefu_sqlite_memory_bytes") > 0, after);
        Assert.Contains("dotnet_gc_collections_total", after, StringComparison.Ordinal);
        Assert.True(Value(after, "kestrel_active_connections") >= 1, after);
    }

    [Fact]
    public async Task A_queued_conversation_shows_in_the_queue_gauge_until_an_agent_takes_it_and_its_wait_is_recorded()
    {
        await using var server = await ServerProcess.StartAsync();
        var admin = await server.AdminTokenAsync();
        var (visitor, _, _) = await RoutingApi.VisitorAsync(server);
        await using var _ = visitor;

        // Nobody is online: the conversation waits.
        var queued = await WaitForAsync(server.Http, m => Value(m, "kefu_routing_queued") == 1);
        Assert.Equal(0, Value(queued, "kefu_routing_queue_wait_seconds_count"));

        var agent = await RoutingApi.AgentAsync(server, admin, "metrics-agent", 3);
        await using var __ = agent.Client!;
        // The wait is recorded in the assignment's commit; the gauge follows when routing has read that commit.
        var assigned = await WaitForAsync(server.Http, m => Value(m, "kefu_routing_queue_wait_seconds_count") == 1 && Value(m, "kefu_routing_queued") == 0);
        Assert.Equal(1, Value(assigned, "kefu_routing_queue_wait_seconds_count"));
        Assert.True(Value(assigned, "kefu_routing_queue_wait_seconds_sum") > 0, assigned);
    }

    [Fact]
    public async Task Upload_bytes_count_as_each_patch_is_stored_and_the_upload_counts_once_complete()
    {
        await using var server = await ServerProcess.StartAsync();
        var visitor = await Api.VisitorAsync(server.Http);
        var file = new byte[300_000];
        Random.Shared.NextBytes(file);
        var path = await TusClient.CreateAsync(server.Http, visitor.Token, file.Length, "metrics.bin");

        Assert.Equal(100_000, await TusClient.PatchAsync(server.Http, visitor.Token, path, 0, file.AsMemory(0, 100_000)));
        var partial = await WaitForAsync(server.Http, m => Value(m, "kefu_uploads_received_bytes_total") == 100_000);
        Assert.Equal(0, Value(partial, "kefu_uploads_completed_total"));

        Assert.Equal(file.Length, await TusClient.PatchAsync(server.Http, visitor.Token, path, 100_000, file.AsMemory(100_000)));
        var complete = await WaitForAsync(server.Http, m => Value(m, "kefu_uploads_completed_total") == 1);
        Assert.Equal(file.Length, Value(complete, "kefu_uploads_received_bytes_total"));
    }

    [Fact]
    public async Task Through_a_proxy_metrics_need_the_token_or_an_allowed_network()
    {
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["Kefu__Metrics__Token"] = Token,
            ["Kefu__Metrics__AllowedNetworks"] = "192.0.2.0/24",
        });
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(server.Http, forwardedFor: null, token: null));
        // A request that a proxy on this machine forwarded is not a local one.
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(server.Http, forwardedFor: "203.0.113.9", token: null));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(server.Http, forwardedFor: "203.0.113.9", token: "wrong-token-0123456789"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(server.Http, forwardedFor: "203.0.113.9", token: Token));
    }

    [Fact]
    public async Task Behind_a_trusted_proxy_an_allowed_network_reads_metrics_and_others_do_not()
    {
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["Kefu__Hosting__KnownProxies"] = "127.0.0.1",
            ["Kefu__Metrics__AllowedNetworks"] = "192.0.2.0/24",
        });
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(server.Http, forwardedFor: "192.0.2.7", token: null));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(server.Http, forwardedFor: "203.0.113.9", token: null));
    }

    [Fact]
    public async Task Metrics_can_be_turned_off()
    {
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string> { ["Kefu__Metrics__Enabled"] = "false" });
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(server.Http, forwardedFor: null, token: null));
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, string? forwardedFor, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "metrics");
        if (forwardedFor is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        }
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        }
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<string> ScrapeAsync(HttpClient http)
    {
        using var response = await http.GetAsync(new Uri("metrics", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {text}");
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        return text;
    }

    private static async Task<string> WaitForAsync(HttpClient http, Func<string, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        var text = await ScrapeAsync(http);
        while (!condition(text))
        {
            Assert.True(DateTime.UtcNow < deadline, "metrics did not move:\n" + text);
            await Task.Delay(100);
            text = await ScrapeAsync(http);
        }
        return text;
    }

    /// <summary>The sum of a metric's samples (0 when it has none yet: a counter appears on its first add).</summary>
    private static double Value(string exposition, string name) => Sample().Matches(exposition)
        .Where(m => m.Groups["name"].Value == name)
        .Sum(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
