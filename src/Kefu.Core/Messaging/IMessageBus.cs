namespace Kefu.Core.Messaging;

/// <summary>
/// Carries frames between nodes. <see cref="Publish"/> must not block and must keep the order of events it
/// is given; delivery is best effort: correctness never depends on it.
/// </summary>
public interface IMessageBus
{
    void Publish(BusEvent busEvent);

    /// <summary>Registers a handler for every event published by any node, this one included.</summary>
    IDisposable Subscribe(Action<BusEvent> handler);
}
