using System.Threading.Channels;
using Kefu.Core.Messaging;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Kefu.Redis;

/// <summary>
/// The bus between nodes, over one Redis pub/sub channel per deployment: every node receives every event,
/// its own included. <see cref="Publish"/> only enqueues; one loop publishes fire-and-forget on the node's
/// single connection, so one node's events reach every node in publish order. One channel rather than one
/// per tenant or conversation: nearly every node needs nearly every event (tenant-wide agent frames,
/// assignees anywhere), and a fixed subscription costs no subscribe churn per conversation.
/// While Redis is away events are dropped, never queued for later; see <see cref="IBusConnectivity"/>.
/// The multiplexer is shared with the node's other Redis users and is not disposed by the bus.
/// </summary>
public sealed partial class RedisBus : IMessageBus, IBusConnectivity, IAsyncDisposable
{
    private readonly IConnectionMultiplexer _redis;
    private readonly ISubscriber _subscriber;
    private readonly RedisChannel _channel;
    private readonly RedisBusOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<RedisBus> _logger;
    private readonly Channel<BusEvent> _outbox;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private volatile Action<BusEvent>[] _handlers = [];
    private ChannelMessageQueue? _inbox;
    private Task _publishing = Task.CompletedTask;
    private Task _receiving = Task.CompletedTask;
    private int _disposed;

    private RedisBus(IConnectionMultiplexer redis, RedisBusOptions options, TimeProvider timeProvider, ILogger<RedisBus> logger)
    {
        _redis = redis;
        _subscriber = redis.GetSubscriber();
        _channel = RedisChannel.Literal(options.ChannelPrefix + ":bus");
        _options = options;
        _time = timeProvider;
        _logger = logger;
        _outbox = Channel.CreateBounded<BusEvent>(new BoundedChannelOptions(options.MaxQueuedEvents)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Subscribes to the deployment's channel and starts publishing; returns once this node receives.</summary>
    public static async Task<RedisBus> StartAsync(IConnectionMultiplexer redis, RedisBusOptions options, TimeProvider timeProvider, ILogger<RedisBus> logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        var bus = new RedisBus(redis, options, timeProvider, logger);
        await bus.SubscribeAsync(cancellationToken);
        return bus;
    }

    public void Publish(BusEvent busEvent)
    {
        ArgumentNullException.ThrowIfNull(busEvent);
        if (!_outbox.Writer.TryWrite(busEvent) && Volatile.Read(ref _disposed) == 0)
        {
            Dropped("the local queue is full");
        }
    }

    public IDisposable Subscribe(Action<BusEvent> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_gate)
        {
            _handlers = [.. _handlers, handler];
        }
        return new Subscription(this, handler);
    }

    /// <summary>Publishes what is queued, then leaves the channel.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _redis.ConnectionFailed -= OnConnectionFailed;
        _outbox.Writer.TryComplete();
        await _publishing;
        await _stopping.CancelAsync();
        if (_inbox is not null)
        {
            try
            {
                await _inbox.UnsubscribeAsync();
            }
            catch (RedisException exception)
            {
                _logger.PublishFailed(exception);
            }
        }
        await _receiving;
        await _recovering;
        _stopping.Dispose();
    }

    private async Task SubscribeAsync(CancellationToken cancellationToken)
    {
        _redis.ConnectionFailed += OnConnectionFailed;
        var connected = true;
        try
        {
            _inbox = await _subscriber.SubscribeAsync(_channel).WaitAsync(cancellationToken);
        }
        catch (RedisConnectionException)
        {
            // Redis is away at start: register the subscription without waiting for the server; the
            // multiplexer subscribes when it connects, and the probe loop proves when that has happened.
            _inbox = await _subscriber.SubscribeAsync(_channel, CommandFlags.FireAndForget).WaitAsync(cancellationToken);
            connected = false;
        }
        _receiving = Task.Run(() => ReceiveAsync(_inbox, _stopping.Token), CancellationToken.None);
        _publishing = Task.Run(PublishQueuedAsync, CancellationToken.None);
        if (!connected || !_redis.IsConnected)
        {
            EnterOutage("not connected at start");
        }
    }

    private async Task PublishQueuedAsync()
    {
        var reader = _outbox.Reader;
        while (await reader.WaitToReadAsync())
        {
            while (reader.TryRead(out var busEvent))
            {
                if (!_redis.IsConnected)
                {
                    Dropped("not connected");
                    continue;
                }
                try
                {
                    // Fire-and-forget on one connection: written in this order, nothing awaited per event.
                    await _subscriber.PublishAsync(_channel, BusEnvelope.Encode(busEvent, _busId), CommandFlags.FireAndForget);
                }
                catch (RedisException exception)
                {
                    _logger.PublishFailed(exception);
                    Dropped("publishing failed");
                }
            }
        }
    }

    private async Task ReceiveAsync(ChannelMessageQueue inbox, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in inbox.WithCancellation(cancellationToken))
            {
                Dispatch((ReadOnlyMemory<byte>)message.Message);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private void Dispatch(ReadOnlyMemory<byte> message)
    {
        if (!BusEnvelope.TryDecode(message, out var busEvent, out var probe, _busId))
        {
            _logger.MalformedMessage(message.Length);
            return;
        }
        if (busEvent is null)
        {
            ProbeReceived(probe.BusId, probe.Nonce);
            return;
        }
        foreach (var handler in _handlers)
        {
            try
            {
                handler(busEvent);
            }
#pragma warning disable CA1031 // One failing handler must not stop delivery to the others or to later events.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                _logger.HandlerFailed(exception, busEvent.ConversationId);
            }
        }
    }

    private void Unsubscribe(Action<BusEvent> handler)
    {
        lock (_gate)
        {
            _handlers = Array.FindAll(_handlers, h => h != handler);
        }
    }

    private sealed class Subscription(RedisBus bus, Action<BusEvent> handler) : IDisposable
    {
        public void Dispose() => bus.Unsubscribe(handler);
    }
}
