namespace Kefu.Core.Messaging;

/// <summary>
/// The single-node bus: delivers each event synchronously, in publish order, to this process's handlers.
/// Handlers only enqueue frames into bounded per-connection queues, so publishing never blocks.
/// </summary>
public sealed class InProcessBus : IMessageBus
{
    private volatile Action<BusEvent>[] _handlers = [];
    private readonly Lock _gate = new();

    public void Publish(BusEvent busEvent)
    {
        ArgumentNullException.ThrowIfNull(busEvent);
        foreach (var handler in _handlers)
        {
            handler(busEvent);
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

    private void Unsubscribe(Action<BusEvent> handler)
    {
        lock (_gate)
        {
            _handlers = Array.FindAll(_handlers, h => h != handler);
        }
    }

    private sealed class Subscription(InProcessBus bus, Action<BusEvent> handler) : IDisposable
    {
        public void Dispose() => bus.Unsubscribe(handler);
    }
}
