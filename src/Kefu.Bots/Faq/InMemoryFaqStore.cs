using Kefu.Core.Bots;

namespace Kefu.Bots.Faq;

/// <summary>An FAQ store for tests and trials; lost on restart.</summary>
public sealed class InMemoryFaqStore : IFaqStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, FaqEntry> _entries = new(StringComparer.Ordinal);

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
            _entries[entry.Id] = entry;
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_entries.Remove(id));
        }
    }
}
