namespace Kefu.Core.Routing;

/// <summary>
/// The routing state every node shares: each queued conversation's place in line (a ticket, so positions are
/// the same on every node) and each agent's load with atomic capacity reservations (so two nodes never both
/// assign past an agent's capacity, even before the store's write). It is derived state: the store's
/// capacity-checked assignment stays the final guard, and when the shared state is lost (a Redis restart or
/// flush) every call answers <see cref="ReservationOutcome.Lost"/> or null until one node rebuilds it from
/// the store with <see cref="RebuildAsync"/>. Operations throw <see cref="SharedStateUnavailableException"/>
/// when the state cannot be reached; routing then goes on with the store alone.
/// </summary>
public interface IClusterRoutingState
{
    /// <summary>
    /// The conversation's ticket in its queue: the first call hands out the next number, later calls (from any
    /// node) return the same one until <see cref="DropTicketAsync"/>. Null when the state was lost.
    /// </summary>
    Task<long?> TicketAsync(string conversationId, CancellationToken cancellationToken);

    /// <summary>Forgets the ticket of a conversation that left its queue (assigned, closed); requeued, it gets a new one.</summary>
    Task DropTicketAsync(string conversationId, CancellationToken cancellationToken);

    /// <summary>
    /// Reserves a place for the conversation with the agent when the agent's load (confirmed plus unexpired
    /// reservations) is below <paramref name="capacity"/>; refuses when another agent holds an unexpired
    /// reservation for the same conversation. A reservation expires unless confirmed.
    /// </summary>
    Task<ReservationOutcome> TryReserveAsync(string agentId, string conversationId, int capacity, CancellationToken cancellationToken);

    /// <summary>Turns a reservation into load that lasts until <see cref="ReleaseAsync"/> (the store committed the assignment).</summary>
    Task ConfirmAsync(string agentId, string conversationId, CancellationToken cancellationToken);

    /// <summary>Removes the conversation from the agent's load (closed, requeued, transferred, or the store refused it).</summary>
    Task ReleaseAsync(string agentId, string conversationId, CancellationToken cancellationToken);

    /// <summary>Sets the agent's confirmed load to the store's open conversations, keeping unexpired reservations.</summary>
    Task ResetLoadAsync(string agentId, IReadOnlyCollection<string> openConversationIds, CancellationToken cancellationToken);

    /// <summary>The agent's load: confirmed conversations plus unexpired reservations.</summary>
    Task<int> LoadOfAsync(string agentId, CancellationToken cancellationToken);

    /// <summary>
    /// Builds the state from the store's snapshot unless it exists (another node rebuilt it first): tickets in
    /// the snapshot's queue order, loads from its open conversations. True when this call built it.
    /// </summary>
    Task<bool> RebuildAsync(RoutingSnapshot snapshot, CancellationToken cancellationToken);

    /// <summary>
    /// Which build of the state this is: a value set by the <see cref="RebuildAsync"/> call that built it and kept
    /// until the state is lost and built again; null while it is lost. A node that sees it change takes the new
    /// build's tickets for its queued conversations (comparing one conversation's ticket could match by chance).
    /// </summary>
    Task<string?> GenerationAsync(CancellationToken cancellationToken);
}
