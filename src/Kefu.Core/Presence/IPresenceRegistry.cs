namespace Kefu.Core.Presence;

/// <summary>
/// Which nodes hold which users' connections, shared by every node. An entry lives for
/// <see cref="EntryLifetime"/> unless its node refreshes it, so the entries of a node that dies expire by
/// themselves. Operations throw <see cref="PresenceUnavailableException"/> when the registry cannot be reached.
/// </summary>
public interface IPresenceRegistry
{
    /// <summary>How long an entry lives after its node last held or refreshed it.</summary>
    TimeSpan EntryLifetime { get; }

    /// <summary>Records, or refreshes, that <paramref name="nodeId"/> holds these users, for one lifetime from now.</summary>
    Task HoldAsync(string nodeId, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken);

    /// <summary>
    /// Removes the entry of one user on one node (its last connection there closed). Returns true when no
    /// unexpired entry of the user is left on any node. Atomic: of several nodes releasing the same user at
    /// once, only the last one is told the user is gone.
    /// </summary>
    Task<bool> ReleaseAsync(string nodeId, string userId, CancellationToken cancellationToken);

    /// <summary>The nodes whose entry for the user has not expired; empty when the user is offline.</summary>
    Task<IReadOnlyList<string>> NodesOfAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Records the status the user chose (an agent's online or away), one value for every node.</summary>
    Task SetChosenAsync(string userId, string status, CancellationToken cancellationToken);

    /// <summary>The status the user chose last, or null when none is recorded (never chosen, or the registry lost it).</summary>
    Task<string?> ChosenOfAsync(string userId, CancellationToken cancellationToken);
}
