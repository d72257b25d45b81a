using System.Collections.Concurrent;
using Kefu.Core.Bots;

namespace Kefu.Bots.Faq;

/// <summary>
/// The knowledge base as the rest of the server changes it: every change goes to the store first
/// (durable), then to the index (answers from the next question). Searching goes to <see cref="Index"/>, after
/// <see cref="EnsureFreshAsync"/>: the store's revision of the site tells whether another node (sharing the store)
/// changed its entries, and then the index takes the differences.
/// </summary>
public sealed class FaqCatalog(IFaqStore store, FaqIndex index) : IDisposable
{
    private readonly ConcurrentDictionary<string, long> _loaded = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _patch = new(1, 1);

    public FaqIndex Index => index;

    /// <summary>
    /// Brings the site's entries in the index up to the store when the site's revision moved since this index
    /// last looked: one revision read when nothing changed; otherwise the site's entries are read and only those
    /// added, changed or removed are re-indexed.
    /// </summary>
    public async ValueTask EnsureFreshAsync(string siteId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(siteId);
        var revision = await store.GetRevisionAsync(siteId, cancellationToken);
        if (_loaded.TryGetValue(siteId, out var loaded) && loaded == revision)
        {
            return;
        }
        await _patch.WaitAsync(cancellationToken);
        try
        {
            // Read before the entries: a change committed after this read moves the revision again.
            revision = await store.GetRevisionAsync(siteId, cancellationToken);
            if (_loaded.TryGetValue(siteId, out loaded) && loaded == revision)
            {
                return;
            }
            var stored = await store.ListAsync(siteId, cancellationToken);
            var current = index.List(siteId).ToDictionary(e => e.Id, StringComparer.Ordinal);
            foreach (var entry in stored)
            {
                if (!current.Remove(entry.Id, out var known) || !Same(known, entry))
                {
                    index.Upsert(entry);
                }
            }
            foreach (var gone in current.Keys)
            {
                index.Remove(gone);
            }
            _loaded[siteId] = revision;
        }
        finally
        {
            _patch.Release();
        }
    }

    /// <summary>The entry as the store has it now (its site brought up to date first); null when it does not exist.</summary>
    public async ValueTask<FaqEntry?> GetFreshAsync(string id, CancellationToken cancellationToken)
    {
        var siteId = index.Get(id)?.SiteId;
        if (siteId is null)
        {
            // Not known here: perhaps added through another node.
            siteId = (await store.ListAsync(null, cancellationToken)).FirstOrDefault(e => e.Id == id)?.SiteId;
            if (siteId is null)
            {
                return null;
            }
        }
        await EnsureFreshAsync(siteId, cancellationToken);
        return index.Get(id);
    }

    public void Dispose() => _patch.Dispose();

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
        var entry = await GetFreshAsync(id, cancellationToken);
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

    private static bool Same(FaqEntry a, FaqEntry b) =>
        a.SiteId == b.SiteId && a.Question == b.Question && a.Answer == b.Answer && a.Category == b.Category
        && a.Alternates.SequenceEqual(b.Alternates, StringComparer.Ordinal);
}
