using Kefu.Core.Messaging;

namespace Kefu.Server.Messaging;

/// <summary>
/// The bus this node uses, chosen by configuration. A Redis bus connects asynchronously during start-up, so
/// this holds the node's subscribers itself and drops publishes before the bus is attached (clients heal by
/// seq). Events of a bus between nodes pass through a <see cref="ConversationSequencer"/> first, so every
/// subscriber sees each conversation's messages in seq order.
/// </summary>
internal sealed partial class NodeBus(TimeProvider time, ILogger<NodeBus> logger) : IMessageBus, IBusConnectivity, IDisposable
{
    /// <summary>How long a message that overtook another on the way between nodes waits for it.</summary>
    internal static readonly TimeSpan ReorderWait = TimeSpan.FromMilliseconds(250);
    private readonly Lock _gate = new();
    private volatile Action<BusEvent>[] _handlers = [];
    private IMessageBus? _inner;
    private ConversationSequencer? _sequencer;

    public event EventHandler? Reconnected;

    public bool IsConnected => _inner is not IBusConnectivity c || c.IsConnected;

    public IMessageBus? Inner => _inner;

    public void Attach(IMessageBus inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        if (inner is IBusConnectivity connectivity)
        {
            _sequencer = new ConversationSequencer(Dispatch, time, ReorderWait);
            inner.Subscribe(_sequencer.Accept);
            connectivity.Reconnected += (_, _) => Reconnected?.Invoke(this, EventArgs.Empty);
        }
        else
        {
            inner.Subscribe(Dispatch);
        }
    }

    public void Publish(BusEvent busEvent) => _inner?.Publish(busEvent);

    public IDisposable Subscribe(Action<BusEvent> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_gate)
        {
            _handlers = [.. _handlers, handler];
        }
        return new Subscription(this, handler);
    }

    public void Dispose() => _sequencer?.Dispose();

    private void Dispatch(BusEvent busEvent)
    {
        foreach (var handler in _handlers)
        {
            try
            {
                handler(busEvent);
            }
#pragma warning disable CA1031 // One failing subscriber must not stop delivery to the others or to later events.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                LogHandlerFailed(logger, exception, busEvent.ConversationId);
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

    [LoggerMessage(EventId = 124, Level = LogLevel.Error, Message = "A bus subscriber failed on an event of conversation {ConversationId}")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string? conversationId);

    private sealed class Subscription(NodeBus bus, Action<BusEvent> handler) : IDisposable
    {
        public void Dispose() => bus.Unsubscribe(handler);
    }
}
