using Kefu.Core.Messaging;

namespace Kefu.Server.Messaging;

/// <summary>
/// The bus this node uses, chosen by configuration. A Redis bus connects asynchronously during start-up, so
/// this holds subscriptions until it is attached and drops publishes before that (clients heal by seq).
/// </summary>
internal sealed class NodeBus : IMessageBus, IBusConnectivity
{
    private readonly Lock _gate = new();
    private readonly List<(Action<BusEvent> Handler, Subscription Subscription)> _pending = [];
    private IMessageBus? _inner;

    public event EventHandler? Reconnected;

    public bool IsConnected => _inner is not IBusConnectivity c || c.IsConnected;

    public IMessageBus? Inner => _inner;

    public void Attach(IMessageBus inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        lock (_gate)
        {
            _inner = inner;
            foreach (var (handler, subscription) in _pending)
            {
                subscription.Inner = inner.Subscribe(handler);
            }
            _pending.Clear();
        }
        if (inner is IBusConnectivity connectivity)
        {
            connectivity.Reconnected += (_, _) => Reconnected?.Invoke(this, EventArgs.Empty);
        }
    }

    public void Publish(BusEvent busEvent) => _inner?.Publish(busEvent);

    public IDisposable Subscribe(Action<BusEvent> handler)
    {
        lock (_gate)
        {
            if (_inner is not null)
            {
                return _inner.Subscribe(handler);
            }
            var subscription = new Subscription();
            _pending.Add((handler, subscription));
            return subscription;
        }
    }

    private sealed class Subscription : IDisposable
    {
        public IDisposable? Inner { get; set; }

        public void Dispose() => Inner?.Dispose();
    }
}
