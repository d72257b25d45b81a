namespace Kefu.Core.Bots;

/// <summary>
/// Where FAQ entries live durably. The bot keeps its own in-memory index for retrieval and writes
/// through this port, so an approved suggestion or an import survives a restart. Thread-safe.
/// </summary>
public interface IFaqStore
{
    /// <summary>Entries of one site, or of every site when <paramref name="siteId"/> is null.</summary>
    ValueTask<IReadOnlyList<FaqEntry>> ListAsync(string? siteId, CancellationToken cancellationToken);

    /// <summary>Adds the entry or replaces the one with the same id.</summary>
    ValueTask UpsertAsync(FaqEntry entry, CancellationToken cancellationToken);

    ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken);
}
