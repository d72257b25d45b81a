namespace Kefu.Core.Messaging;

/// <summary>
/// Implemented by a bus between nodes, which may lose events while its connection is down. The single-node
/// bus never loses events and does not implement it.
/// </summary>
public interface IBusConnectivity
{
    /// <summary>False from the moment the bus may have lost an event until delivery is proven to work again.</summary>
    bool IsConnected { get; }

    /// <summary>
    /// Raised once per outage, after delivery is proven to work again. Events published meanwhile may be lost,
    /// so a node then tells its clients each conversation's <c>lastSeq</c> and they heal from the store.
    /// </summary>
    event EventHandler? Reconnected;
}
