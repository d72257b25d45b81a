namespace Kefu.Core.Bots;

/// <summary>
/// Where FAQ entries live durably. The bot keeps its own in-memory index for retrieval and writes
/// through this port, so an approved suggestion or an import survives a restart, and compares the site's
/// revision before answering, so a change made through another node answers from the next question. Thread-safe.
/// </summary>
public interface IFaqStore
{
    /// <summary>Entries of one site, or of every site when <paramref name="siteId"/> is null.</summary>
    ValueTask<IReadOnlyList<FaqEntry>> ListAsync(string? siteId, CancellationToken cancellationToken);

    /// <summary>Adds the entry or replaces the one with the same id.</summary>
    ValueTask UpsertAsync(FaqEntry entry, CancellationToken cancellationToken);

    ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Grows with every change to the site's entries (in the same commit as the change), so every node can tell
    /// cheaply whether its index of the site is behind the store.
    /// </summary>
    ValueTask<long> GetRevisionAsync(string siteId, CancellationToken cancellationToken);
}
