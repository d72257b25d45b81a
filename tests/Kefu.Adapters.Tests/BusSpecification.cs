using Kefu.Core.Messaging;

namespace Kefu.Adapters.Tests;

/// <summary>
/// What every bus must do. Delivery may be asynchronous (a bus between nodes), so every check waits, with a
/// bound, for the events it expects instead of assuming they have arrived when Publish returns.
/// </summary>
public abstract class BusSpecification : IAsyncLifetime
{
    private IMessageBus? _bus;

    protected IMessageBus Bus => _bus ??= CreateBus();

    /// <summary>A bus connected to the test's own channel, fresh for every test.</summary>
    protected abstract IMessageBus CreateBus();

    /// <summary>The bus of another node on the same channel; a single-node bus is its own peer.</summary>
    protected virtual IMessageBus CreatePeer() => Bus;

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => (_bus as IAsyncDisposable)?.DisposeAsync().AsTask() ?? Task.CompletedTask;

    [SkippableFact]
    public async Task Events_of_each_publisher_arrive_in_publish_order()
    {
        const int Publishers = 4;
        const int PerPublisher = 500;
        var received = new Collector(Publishers * PerPublisher);
        using var subscription = Bus.Subscribe(received.Add);

        await Task.WhenAll(Enumerable.Range(0, Publishers).Select(p => Task.Run(() =>
        {
            for (var seq = 1; seq <= PerPublisher; seq++)
            {
                Bus.Publish(Event($"publisher-{p}", seq));
            }
        }))).Within();
        var events = await received.Complete.Within();

        foreach (var group in events.GroupBy(e => e.ConversationId))
        {
            Assert.Equal(Enumerable.Range(1, PerPublisher).Select(i => (long)i), group.Select(e => e.Seq));
        }
    }

    [SkippableFact]
    public async Task Every_subscriber_gets_every_event()
    {
        var subscribers = Enumerable.Range(0, 3).Select(_ => new Collector(100)).ToList();
        var subscriptions = subscribers.Select(s => Bus.Subscribe(s.Add)).ToList();

        for (var seq = 1; seq <= 100; seq++)
        {
            Bus.Publish(Event("c_all", seq));
        }

        foreach (var subscriber in subscribers)
        {
            var events = await subscriber.Complete.Within();
            Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), events.Select(e => e.Seq));
        }
        subscriptions.ForEach(s => s.Dispose());
    }

    [SkippableFact]
    public async Task An_event_carries_its_frame_and_audience_unchanged()
    {
        var received = new Collector(1);
        using var subscription = Bus.Subscribe(received.Add);
        var sent = new BusEvent("t_1", "c_1", 7, new Audience("v_1", "a_1", TenantAgents: true, ExcludeUserId: "v_1"), "{\"type\":\"typing\"}"u8.ToArray());

        Bus.Publish(sent);

        var got = Assert.Single(await received.Complete.Within());
        Assert.Equal((sent.TenantId, sent.ConversationId, sent.Seq, sent.Audience), (got.TenantId, got.ConversationId, got.Seq, got.Audience));
        Assert.Equal(sent.Frame.ToArray(), got.Frame.ToArray());
    }

    [SkippableFact]
    public async Task An_unsubscribed_handler_gets_nothing_more()
    {
        var leaving = new Collector(int.MaxValue);
        var staying = new Collector(2);
        var leavingSubscription = Bus.Subscribe(leaving.Add);
        using var stayingSubscription = Bus.Subscribe(staying.Add);

        leavingSubscription.Dispose();
        Bus.Publish(Event("c_x", 1));
        Bus.Publish(Event("c_x", 2));
        await staying.Complete.Within();

        // The staying handler saw both events, so the leaving one would have seen them by now.
        Assert.Empty(leaving.Events);
    }

    [SkippableFact]
    public async Task Every_node_gets_every_event_of_every_node_in_each_publishers_order()
    {
        const int PerNode = 1_000;
        var peer = CreatePeer();
        var onThisNode = new Collector(2 * PerNode);
        var onPeer = new Collector(2 * PerNode);
        using var here = Bus.Subscribe(onThisNode.Add);
        using var there = peer.Subscribe(onPeer.Add);

        await Task.WhenAll(
            Task.Run(() => PublishRange(Bus, "from-this-node", PerNode)),
            Task.Run(() => PublishRange(peer, "from-peer", PerNode))).Within();

        foreach (var received in new[] { onThisNode, onPeer })
        {
            var events = await received.Complete.Within();
            foreach (var conversation in new[] { "from-this-node", "from-peer" })
            {
                Assert.Equal(Enumerable.Range(1, PerNode).Select(i => (long)i), events.Where(e => e.ConversationId == conversation).Select(e => e.Seq));
            }
        }
    }

    [SkippableFact]
    public async Task A_burst_of_large_frames_arrives_whole_and_in_order()
    {
        const int Count = 20_000;
        var frame = Enumerable.Range(0, 512).Select(i => (byte)i).ToArray();
        var received = new Collector(Count);
        using var subscription = Bus.Subscribe(received.Add);

        for (var seq = 1; seq <= Count; seq++)
        {
            Bus.Publish(new BusEvent("t_load", "c_load", seq, new Audience("v", "a", TenantAgents: false, ExcludeUserId: null, AlsoUserId: "s"), frame));
        }

        var events = await received.Complete.Within();
        Assert.Equal(Enumerable.Range(1, Count).Select(i => (long)i), events.Select(e => e.Seq));
        Assert.All(events, e => Assert.True(e.Frame.Span.SequenceEqual(frame)));
    }

    private static void PublishRange(IMessageBus bus, string conversationId, int count)
    {
        for (var seq = 1; seq <= count; seq++)
        {
            bus.Publish(Event(conversationId, seq));
        }
    }

    private static BusEvent Event(string conversationId, long seq)
        => new("t_spec", conversationId, seq, new Audience(null, null, TenantAgents: true, ExcludeUserId: null), ReadOnlyMemory<byte>.Empty);

    /// <summary>Collects events from any thread and completes once it has <c>expected</c> of them.</summary>
    private sealed class Collector(int expected)
    {
        private readonly Lock _gate = new();
        private readonly List<BusEvent> _events = [];
        private readonly TaskCompletionSource<List<BusEvent>> _complete = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<List<BusEvent>> Complete => _complete.Task;

        public List<BusEvent> Events
        {
            get
            {
                lock (_gate)
                {
                    return [.. _events];
                }
            }
        }

        public void Add(BusEvent busEvent)
        {
            lock (_gate)
            {
                _events.Add(busEvent);
                if (_events.Count == expected)
                {
                    _complete.TrySetResult([.. _events]);
                }
            }
        }
    }
}
