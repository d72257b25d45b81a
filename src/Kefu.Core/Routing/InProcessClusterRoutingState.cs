namespace Kefu.Core.Routing;

/// <summary>
/// The shared routing state of a single node: the same rules as the Redis one, in memory, with reservations
/// expiring by the injected clock. It starts lost, like an empty Redis, until the router rebuilds it.
/// Thread-safe.
/// </summary>
public sealed class InProcessClusterRoutingState(TimeProvider timeProvider, TimeSpan reservationLifetime) : IClusterRoutingState
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _tickets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, DateTimeOffset>> _loads = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string AgentId, DateTimeOffset Until)> _claims = new(StringComparer.Ordinal);
    private readonly TimeSpan _lifetime = reservationLifetime > TimeSpan.Zero
        ? reservationLifetime
        : throw new ArgumentOutOfRangeException(nameof(reservationLifetime), reservationLifetime, "The reservation lifetime must be positive.");
    private long _lastTicket;
    private bool _built;
    private string? _generation;

    public Task<long?> TicketAsync(string conversationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conversationId);
        lock (_gate)
        {
            if (!_built)
            {
                return Task.FromResult<long?>(null);
            }
            if (!_tickets.TryGetValue(conversationId, out var ticket))
            {
                ticket = ++_lastTicket;
                _tickets[conversationId] = ticket;
            }
            return Task.FromResult<long?>(ticket);
        }
    }

    public Task DropTicketAsync(string conversationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conversationId);
        lock (_gate)
        {
            _tickets.Remove(conversationId);
        }
        return Task.CompletedTask;
    }

    public Task<ReservationOutcome> TryReserveAsync(string agentId, string conversationId, int capacity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agentId);
        ArgumentNullException.ThrowIfNull(conversationId);
        var now = timeProvider.GetUtcNow();
        lock (_gate)
        {
            if (!_built)
            {
                return Task.FromResult(ReservationOutcome.Lost);
            }
            if (_claims.TryGetValue(conversationId, out var claim) && claim.Until > now && claim.AgentId != agentId)
            {
                return Task.FromResult(ReservationOutcome.Taken);
            }
            var load = LoadLocked(agentId, now);
            if (load.ContainsKey(conversationId))
            {
                return Task.FromResult(ReservationOutcome.Reserved);
            }
            if (load.Count >= capacity)
            {
                return Task.FromResult(ReservationOutcome.Full);
            }
            var until = now + _lifetime;
            load[conversationId] = until;
            _claims[conversationId] = (agentId, until);
            return Task.FromResult(ReservationOutcome.Reserved);
        }
    }

    public Task ConfirmAsync(string agentId, string conversationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agentId);
        ArgumentNullException.ThrowIfNull(conversationId);
        lock (_gate)
        {
            LoadLocked(agentId, timeProvider.GetUtcNow())[conversationId] = DateTimeOffset.MaxValue;
            _claims.Remove(conversationId);
        }
        return Task.CompletedTask;
    }

    public Task ReleaseAsync(string agentId, string conversationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agentId);
        ArgumentNullException.ThrowIfNull(conversationId);
        lock (_gate)
        {
            if (_loads.TryGetValue(agentId, out var load))
            {
                load.Remove(conversationId);
            }
            if (_claims.TryGetValue(conversationId, out var claim) && claim.AgentId == agentId)
            {
                _claims.Remove(conversationId);
            }
        }
        return Task.CompletedTask;
    }

    public Task ResetLoadAsync(string agentId, IReadOnlyCollection<string> openConversationIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agentId);
        ArgumentNullException.ThrowIfNull(openConversationIds);
        lock (_gate)
        {
            var load = LoadLocked(agentId, timeProvider.GetUtcNow());
            foreach (var confirmed in load.Where(e => e.Value == DateTimeOffset.MaxValue).Select(e => e.Key).ToList())
            {
                load.Remove(confirmed);
            }
            foreach (var id in openConversationIds)
            {
                load[id] = DateTimeOffset.MaxValue;
            }
        }
        return Task.CompletedTask;
    }

    public Task<int> LoadOfAsync(string agentId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agentId);
        lock (_gate)
        {
            return Task.FromResult(LoadLocked(agentId, timeProvider.GetUtcNow()).Count);
        }
    }

    public Task<bool> RebuildAsync(RoutingSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        lock (_gate)
        {
            if (_built)
            {
                return Task.FromResult(false);
            }
            foreach (var conversationId in snapshot.QueuedInOrder)
            {
                _tickets[conversationId] = ++_lastTicket;
            }
            foreach (var (agentId, open) in snapshot.OpenByAgent)
            {
                var load = LoadLocked(agentId, timeProvider.GetUtcNow());
                foreach (var id in open)
                {
                    load[id] = DateTimeOffset.MaxValue;
                }
            }
            _built = true;
            _generation = Guid.NewGuid().ToString("N");
            return Task.FromResult(true);
        }
    }

    public Task<string?> GenerationAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_generation);
        }
    }

    /// <summary>The agent's load with expired reservations dropped.</summary>
    private Dictionary<string, DateTimeOffset> LoadLocked(string agentId, DateTimeOffset now)
    {
        if (!_loads.TryGetValue(agentId, out var load))
        {
            load = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
            _loads[agentId] = load;
        }
        foreach (var expired in load.Where(e => e.Value <= now).Select(e => e.Key).ToList())
        {
            load.Remove(expired);
        }
        return load;
    }
}
