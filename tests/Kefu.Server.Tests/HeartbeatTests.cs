using System.Diagnostics;
using Kefu.Server.Tests.Infrastructure;

namespace Kefu.Server.Tests;

/// <summary>The server drops a connection silent for three heartbeats and keeps one that pings.</summary>
public sealed class HeartbeatTests : IAsyncLifetime
{
    private ServerProcess _server = null!;

    public async Task InitializeAsync() =>
        _server = await ServerProcess.StartAsync(new Dictionary<string, string> { ["Kefu__Limits__HeartbeatSeconds"] = "1" });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_connection_silent_for_three_heartbeats_is_dropped_and_a_pinging_one_is_kept()
    {
        var silentVisitor = await Api.VisitorAsync(_server.Http);
        var pingingVisitor = await Api.VisitorAsync(_server.Http);
        // Started before the silent client's hello, the last frame the server gets from it.
        var started = Stopwatch.StartNew();
        await using var silent = (await ProtocolClient.HelloAsync(_server.WebSocketUri, silentVisitor.Token)).Client;
        await using var pinging = (await ProtocolClient.HelloAsync(_server.WebSocketUri, pingingVisitor.Token)).Client;

        using var stopPinging = new CancellationTokenSource();
        var pings = PingEveryAsync(pinging, TimeSpan.FromMilliseconds(300), stopPinging.Token);

        // Three heartbeats of 1 s, plus at most one pass of the sweep over all connections (5 s).
        await silent.WaitForCloseAsync(TimeSpan.FromSeconds(20));
        Assert.True(started.Elapsed >= TimeSpan.FromSeconds(3), $"dropped after {started.Elapsed}, before three heartbeats");

        // The pinging connection outlived the silent one and still answers.
        Assert.False(pinging.Closed.Task.IsCompleted, "the pinging connection was dropped");
        await stopPinging.CancelAsync();
        await pings;
        var rid = pinging.NextRid();
        await pinging.SendAsync(new { type = "ping", rid });
        var pong = await pinging.WaitForAsync(f => (string?)f["rid"] == rid);
        Assert.Equal("pong", ProtocolClient.Type(pong));
    }

    private static async Task PingEveryAsync(ProtocolClient client, TimeSpan interval, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                await client.SendAsync(new { type = "ping", rid = client.NextRid() });
            }
        }
        catch (OperationCanceledException)
        {
            // Done.
        }
    }
}
