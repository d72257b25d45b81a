using System.Diagnostics;
using Kefu.Adapters.Tests.Infrastructure;
using Kefu.Core.Messaging;
using Kefu.Redis;

namespace Kefu.Adapters.Tests;

/// <summary>
/// What the Redis bus does when Redis goes away: each test owns a redis-server that it kills and starts
/// again on the same port (empty, as after a real restart).
/// </summary>
public sealed class RedisBusOutageTests
{
    /// <summary>Reconnection backs off up to 5 s, so recovery gets a longer bound than a plain await.</summary>
    private static readonly TimeSpan RecoveryTimeout = TimeSpan.FromSeconds(30);

    [SkippableFact]
    public async Task A_publish_while_Redis_is_down_neither_throws_nor_blocks()
    {
        await using var server = await RedisServer.StartAsync(RedisAvailability.RequireLocalServer());
        await using var node = await RedisNode.StartAsync(server.ConnectionString, $"kefu-outage-{Guid.NewGuid():N}");
        await server.KillAsync();

        var watch = Stopwatch.StartNew();
        for (var seq = 1; seq <= 100_000; seq++)
        {
            node.Bus.Publish(Event("c_down", seq));
        }
        watch.Stop();

        // Enqueueing 100,000 events takes milliseconds; blocking on a dead connection would take seconds.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"Publishing took {watch.Elapsed}.");
    }

    [SkippableFact]
    public async Task After_Redis_restarts_delivery_resumes_and_every_node_hears_Reconnected()
    {
        await using var server = await RedisServer.StartAsync(RedisAvailability.RequireLocalServer());
        var prefix = $"kefu-restart-{Guid.NewGuid():N}";
        await using var publisher = await RedisNode.StartAsync(server.ConnectionString, prefix);
        await using var other = await RedisNode.StartAsync(server.ConnectionString, prefix);
        var publisherReconnected = Raised(publisher.Bus);
        var otherReconnected = Raised(other.Bus);
        var before = Arrival(other.Bus, "c_before");
        publisher.Bus.Publish(Event("c_before", 1));
        await before.Within();

        await server.KillAsync();
        publisher.Bus.Publish(Event("c_during", 1));
        await server.StartAgainAsync();

        await Task.WhenAll(publisherReconnected, otherReconnected).WaitAsync(RecoveryTimeout);
        Assert.True(publisher.Bus.IsConnected && other.Bus.IsConnected);
        var afterHere = Arrival(publisher.Bus, "c_after");
        var afterThere = Arrival(other.Bus, "c_after");
        publisher.Bus.Publish(Event("c_after", 2));
        await Task.WhenAll(afterHere, afterThere).Within();
    }

    [SkippableFact]
    public async Task A_node_that_starts_while_Redis_is_down_delivers_once_Redis_is_up()
    {
        await using var server = await RedisServer.StartAsync(RedisAvailability.RequireLocalServer());
        await server.KillAsync();
        await using var node = await RedisNode.StartAsync(server.ConnectionString, $"kefu-late-{Guid.NewGuid():N}");
        var reconnected = Raised(node.Bus);
        Assert.False(node.Bus.IsConnected);

        await server.StartAgainAsync();
        await reconnected.WaitAsync(RecoveryTimeout);
        var arrived = Arrival(node.Bus, "c_late");
        node.Bus.Publish(Event("c_late", 1));
        await arrived.Within();
    }

    private static Task Raised(RedisBus bus)
    {
        var raised = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bus.Reconnected += (_, _) => raised.TrySetResult();
        return raised.Task;
    }

    /// <summary>Completes when the bus delivers an event of the conversation; the subscription ends with it.</summary>
    private static Task Arrival(RedisBus bus, string conversationId)
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var subscription = bus.Subscribe(e =>
        {
            if (e.ConversationId == conversationId)
            {
                arrived.TrySetResult();
            }
        });
        return arrived.Task.ContinueWith(_ => subscription.Dispose(), TaskScheduler.Default);
    }

    private static BusEvent Event(string conversationId, long seq)
        => new("t_outage", conversationId, seq, new Audience("v", null, TenantAgents: false, ExcludeUserId: null), "{}"u8.ToArray());
}
