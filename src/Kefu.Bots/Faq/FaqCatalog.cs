using Kefu.Core.Bots;

namespace Kefu.Bots.Faq;

/// <summary>
/// The knowledge base as the rest of the server changes it: every change goes to the store first
/// (durable), then to the index (answers from the next question). Searching goes to <see cref="Index"/>.
/// </summary>
public sealed class FaqCatalog(IFaqStore store, FaqIndex index)
{
    public FaqIndex Index => index;

    /// <summary>Fills the index from the store; call once at start-up.</summary>
    public async Task<int> LoadAsync(CancellationToken cancellationToken)
    {
        var entries = await store.ListAsync(null, cancellationToken);
        foreach (var entry in entries)
        {
            index.Upsert(entry);
        }
        return entries.Count;
    }

    public async ValueTask UpsertAsync(FaqEntry entry, CancellationToken cancellationToken)
    {
        var checkedEntry = FaqValidation.Check(entry);
        await store.UpsertAsync(checkedEntry, cancellationToken);
        index.Upsert(checkedEntry);
    }

    public async ValueTask<bool> RemoveAsync(string id, CancellationToken cancellationToken)
    {
        var removed = await store.DeleteAsync(id, cancellationToken);
        return index.Remove(id) || removed;
    }

    /// <summary>Adds a phrasing to an entry; returns the updated entry, or null when it no longer exists.</summary>
    public async ValueTask<FaqEntry?> AddAlternateAsync(string id, string phrasing, CancellationToken cancellationToken)
    {
        var entry = index.Get(id);
        if (entry is null)
        {
            return null;
        }
        var trimmed = phrasing.Trim();
        if (trimmed.Length == 0 || entry.Question == trimmed || entry.Alternates.Contains(trimmed, StringComparer.Ordinal))
        {
            return entry;
        }
        var updated = entry with { Alternates = [.. entry.Alternates, trimmed] };
        await UpsertAsync(updated, cancellationToken);
        return updated;
    }

    /// <summary>Adds or replaces every entry (an import); returns how many.</summary>
    public async ValueTask<int> ImportAsync(IEnumerable<FaqEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var count = 0;
        foreach (var entry in entries)
        {
            await UpsertAsync(entry, cancellationToken);
            count++;
        }
        return count;
    }
}
