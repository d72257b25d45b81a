using Kefu.Core.Bots;

namespace Kefu.Bots.Faq;

/// <summary>An FAQ store for tests and trials; lost on restart.</summary>
public sealed class InMemoryFaqStore : IFaqStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, FaqEntry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _revisions = new(StringComparer.Ordinal);

    /// <param name="entries">What the store holds from the start.</param>
    public InMemoryFaqStore(IEnumerable<FaqEntry>? entries = null)
    {
        foreach (var entry in entries ?? [])
        {
            _entries[entry.Id] = entry;
            Bump(entry.SiteId);
        }
    }

    public ValueTask<IReadOnlyList<FaqEntry>> ListAsync(string? siteId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<FaqEntry> list = [.. _entries.Values.Where(e => siteId is null || e.SiteId == siteId).OrderBy(e => e.Id, StringComparer.Ordinal)];
            return ValueTask.FromResult(list);
        }
    }

    public ValueTask UpsertAsync(FaqEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_gate)
        {
            if (_entries.TryGetValue(entry.Id, out var before) && before.SiteId != entry.SiteId)
            {
                Bump(before.SiteId);
            }
            _entries[entry.Id] = entry;
            Bump(entry.SiteId);
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_entries.Remove(id, out var gone))
            {
                return ValueTask.FromResult(false);
            }
            Bump(gone.SiteId);
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask<long> GetRevisionAsync(string siteId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_revisions.GetValueOrDefault(siteId));
        }
    }

    private void Bump(string siteId) => _revisions[siteId] = _revisions.GetValueOrDefault(siteId) + 1;
}
