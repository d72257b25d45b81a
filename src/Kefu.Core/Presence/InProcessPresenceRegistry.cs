namespace Kefu.Core.Presence;

/// <summary>
/// The single-node presence registry: entries in memory, expiring by the injected clock. Expired entries are
/// pruned when their user is read or held again.
/// </summary>
public sealed class InProcessPresenceRegistry(TimeProvider timeProvider, TimeSpan entryLifetime) : IPresenceRegistry
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Dictionary<string, DateTimeOffset>> _expiries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _chosen = new(StringComparer.Ordinal);

    public TimeSpan EntryLifetime { get; } = entryLifetime > TimeSpan.Zero
        ? entryLifetime
        : throw new ArgumentOutOfRangeException(nameof(entryLifetime), entryLifetime, "The presence entry lifetime must be positive.");

    public Task HoldAsync(string nodeId, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nodeId);
        ArgumentNullException.ThrowIfNull(userIds);
        var expiresAt = timeProvider.GetUtcNow() + EntryLifetime;
        lock (_gate)
        {
            foreach (var userId in userIds)
            {
                if (!_expiries.TryGetValue(userId, out var nodes))
                {
                    nodes = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
                    _expiries.Add(userId, nodes);
                }
                nodes[nodeId] = expiresAt;
            }
        }
        return Task.CompletedTask;
    }

    public Task<bool> ReleaseAsync(string nodeId, string userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nodeId);
        ArgumentNullException.ThrowIfNull(userId);
        var now = timeProvider.GetUtcNow();
        lock (_gate)
        {
            if (!_expiries.TryGetValue(userId, out var nodes))
            {
                return Task.FromResult(true);
            }
            nodes.Remove(nodeId);
            foreach (var expired in nodes.Where(n => n.Value <= now).Select(n => n.Key).ToList())
            {
                nodes.Remove(expired);
            }
            if (nodes.Count == 0)
            {
                _expiries.Remove(userId);
                return Task.FromResult(true);
            }
            return Task.FromResult(false);
        }
    }

    public Task SetChosenAsync(string userId, string status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(status);
        lock (_gate)
        {
            _chosen[userId] = status;
        }
        return Task.CompletedTask;
    }

    public Task<string?> ChosenOfAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userId);
        lock (_gate)
        {
            return Task.FromResult(_chosen.GetValueOrDefault(userId));
        }
    }

    public Task<IReadOnlyList<string>> NodesOfAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userId);
        var now = timeProvider.GetUtcNow();
        lock (_gate)
        {
            if (!_expiries.TryGetValue(userId, out var nodes))
            {
                return Task.FromResult<IReadOnlyList<string>>([]);
            }
            var live = new List<string>(nodes.Count);
            foreach (var (nodeId, expiresAt) in nodes)
            {
                if (expiresAt > now)
                {
                    live.Add(nodeId);
                }
            }
            if (live.Count == 0)
            {
                _expiries.Remove(userId);
            }
            else if (live.Count < nodes.Count)
            {
                _expiries[userId] = live.ToDictionary(n => n, n => nodes[n], StringComparer.Ordinal);
            }
            return Task.FromResult<IReadOnlyList<string>>(live);
        }
    }
}
