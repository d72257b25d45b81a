using Kefu.Core.Protocol;
using Kefu.Core.Routing;
using Kefu.Core.Storage;

namespace Kefu.Server.Routing;

/// <summary>
/// The router's use of the state shared between nodes: queue tickets (one line order on every node),
/// capacity reservations before the store's write (so nodes racing for one agent do not all write), and the
/// load changes that keep reservations true. The state is derived: when it is lost it is rebuilt from the
/// store; while it is unreachable the router goes on with provisional tickets and the store's checked
/// write alone, and gives the provisional conversations their shared tickets once it answers again.
/// </summary>
internal sealed partial class Router
{
    /// <summary>Provisional tickets sort after every shared one: a conversation that arrived during an outage waits behind those before it.</summary>
    private const long ProvisionalTickets = 1L << 50;
    private static readonly TimeSpan LostCheckInterval = TimeSpan.FromSeconds(1);
    private readonly HashSet<string> _provisional = new(StringComparer.Ordinal);
    private readonly List<SharedChange> _sharedChanges = [];
    private long _lastLostCheckMs;
    private bool _sharedUnavailable;
    private ITimer? _sharedCheckTimer;
    private volatile bool _anyQueued;
    private string? _generation;

    /// <summary>
    /// With state that can be lost (Redis), wakes the router once a second while conversations wait, so a loss or
    /// another node's rebuild is noticed even when nothing else happens on this node.
    /// </summary>
    private void WatchShared()
    {
        _anyQueued = state.QueuedTeams.Any();
        if (_sharedCheckTimer is null && shared is not InProcessClusterRoutingState)
        {
            _sharedCheckTimer = time.CreateTimer(_ =>
            {
                if (_anyQueued)
                {
                    signals.Kick();
                }
            }, null, LostCheckInterval, LostCheckInterval);
        }
    }

    private async Task<long> TicketAsync(string conversationId, CancellationToken cancellationToken)
    {
        try
        {
            // A drop noted for this conversation (it moved to another team) goes first, or it would get its old ticket back.
            await FlushSharedAsync(cancellationToken);
            var ticket = await shared.TicketAsync(conversationId, cancellationToken);
            if (ticket is null)
            {
                await RecoverSharedAsync(cancellationToken);
                ticket = await shared.TicketAsync(conversationId, cancellationToken);
            }
            if (ticket is { } t)
            {
                _provisional.Remove(conversationId);
                SharedAnswered();
                return t;
            }
        }
        catch (SharedStateUnavailableException ex)
        {
            SharedUnavailable(ex);
        }
        _provisional.Add(conversationId);
        return ProvisionalTickets + ++_sequence;
    }

    /// <summary>Reserves the agent's place before the store's write; Reserved too when the shared state is unreachable (the store decides alone).</summary>
    private async Task<ReservationOutcome> ReserveAsync(AgentCandidate agent, string conversationId, CancellationToken cancellationToken)
    {
        try
        {
            await FlushSharedAsync(cancellationToken);
            var outcome = await shared.TryReserveAsync(agent.AgentId, conversationId, agent.MaxConcurrent, cancellationToken);
            if (outcome == ReservationOutcome.Lost)
            {
                await RecoverSharedAsync(cancellationToken);
                outcome = await shared.TryReserveAsync(agent.AgentId, conversationId, agent.MaxConcurrent, cancellationToken);
            }
            SharedAnswered();
            return outcome == ReservationOutcome.Lost ? ReservationOutcome.Reserved : outcome;
        }
        catch (SharedStateUnavailableException ex)
        {
            SharedUnavailable(ex);
            return ReservationOutcome.Reserved;
        }
    }

    /// <summary>The shared state says the agent is full: when the store says otherwise, the shared load is set to the store's.</summary>
    private async Task CorrectSharedLoadAsync(string agentId, int storeLoad, CancellationToken cancellationToken)
    {
        var open = book.OpenOf(agentId);
        if (open.Count != storeLoad)
        {
            return; // this node's view is behind; the next change brings it level
        }
        await SharedAsync(() => shared.ResetLoadAsync(agentId, open, cancellationToken));
    }

    private void NoteShared(SharedChange change) => _sharedChanges.Add(change);

    /// <summary>Applies the load and ticket changes noted since the last flush, in order.</summary>
    private async Task FlushSharedAsync(CancellationToken cancellationToken)
    {
        if (_sharedChanges.Count == 0)
        {
            return;
        }
        var changes = _sharedChanges.ToArray();
        _sharedChanges.Clear();
        await SharedAsync(async () =>
        {
            foreach (var change in changes)
            {
                await (change.Kind switch
                {
                    SharedChangeKind.Confirm => shared.ConfirmAsync(change.AgentId!, change.ConversationId, cancellationToken),
                    SharedChangeKind.Release => shared.ReleaseAsync(change.AgentId!, change.ConversationId, cancellationToken),
                    _ => shared.DropTicketAsync(change.ConversationId, cancellationToken),
                });
            }
        });
    }

    /// <summary>
    /// Once a second while conversations wait: whether the shared state was lost (Redis flushed or restarted),
    /// so that this node's line order follows the rebuilt one at once; and whether provisional tickets can
    /// become shared ones.
    /// </summary>
    private async Task CheckSharedAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (now - _lastLostCheckMs < LostCheckInterval.TotalMilliseconds && _provisional.Count == 0)
        {
            return;
        }
        _lastLostCheckMs = now;
        var anyShared = state.QueuedTeams.SelectMany(state.Queue).Any(i => !_provisional.Contains(i.ConversationId));
        await SharedAsync(async () =>
        {
            if (anyShared)
            {
                var generation = await shared.GenerationAsync(cancellationToken);
                if (generation is null)
                {
                    await RecoverSharedAsync(cancellationToken);
                }
                else if (generation != _generation)
                {
                    // Another node rebuilt the lost state: its tickets replace the ones this node still holds.
                    await AdoptSharedTicketsAsync(cancellationToken);
                    _generation = generation;
                }
            }
            foreach (var id in _provisional.ToList())
            {
                if (state.Find(id) is not { } item)
                {
                    _provisional.Remove(id);
                }
                else if (await shared.TicketAsync(id, cancellationToken) is { } ticket)
                {
                    state.Enqueue(item with { Sequence = ticket });
                    _dirtyTeams.Add(item.TeamId);
                    _provisional.Remove(id);
                }
            }
        });
    }

    /// <summary>
    /// Rebuilds the lost shared state from the store (unless another node did so first) and takes the
    /// shared tickets for every conversation this node has queued.
    /// </summary>
    private async Task RecoverSharedAsync(CancellationToken cancellationToken)
    {
        var routable = await store.ListRoutableAsync(cancellationToken);
        var built = await shared.RebuildAsync(SnapshotOf(routable), cancellationToken);
        _sharedChanges.Clear();
        LogSharedRebuilt(logger, built, routable.Count);
        await AdoptSharedTicketsAsync(cancellationToken);
        _generation = await shared.GenerationAsync(cancellationToken);
    }

    /// <summary>Takes the shared tickets for every conversation this node has queued.</summary>
    private async Task AdoptSharedTicketsAsync(CancellationToken cancellationToken)
    {
        foreach (var item in state.QueuedTeams.SelectMany(state.Queue).ToList())
        {
            if (await shared.TicketAsync(item.ConversationId, cancellationToken) is { } ticket)
            {
                state.Enqueue(item with { Sequence = ticket });
                _provisional.Remove(item.ConversationId);
                _dirtyTeams.Add(item.TeamId);
            }
        }
    }

    private static RoutingSnapshot SnapshotOf(IReadOnlyList<RoutableConversation> routable)
    {
        var queued = routable
            .Where(r => r.Conversation.Status == ConversationStatuses.Queued)
            .OrderBy(r => r.Conversation.CreatedAt)
            .ThenBy(r => r.Conversation.Id, StringComparer.Ordinal)
            .Select(r => r.Conversation.Id)
            .ToList();
        var open = routable
            .Where(r => r.Conversation.Status == ConversationStatuses.Open && r.Conversation.AssigneeId is not null)
            .GroupBy(r => r.Conversation.AssigneeId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(r => r.Conversation.Id)], StringComparer.Ordinal);
        return new RoutingSnapshot(queued, open);
    }

    private async Task SharedAsync(Func<Task> operation)
    {
        try
        {
            await operation();
            SharedAnswered();
        }
        catch (SharedStateUnavailableException ex)
        {
            SharedUnavailable(ex);
        }
    }

    private void SharedAnswered()
    {
        if (_sharedUnavailable)
        {
            _sharedUnavailable = false;
            LogSharedBack(logger);
        }
    }

    private void SharedUnavailable(SharedStateUnavailableException ex)
    {
        // Changes noted meanwhile are lost with it; a full agent is set right from the store, a lost state rebuilt.
        _sharedChanges.Clear();
        if (!_sharedUnavailable)
        {
            _sharedUnavailable = true;
            LogSharedUnavailable(logger, ex);
        }
    }

    [LoggerMessage(EventId = 402, Level = LogLevel.Warning, Message = "The shared routing state is unreachable; routing goes on with the store's checked writes alone")]
    private static partial void LogSharedUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 403, Level = LogLevel.Information, Message = "The shared routing state answers again")]
    private static partial void LogSharedBack(ILogger logger);

    [LoggerMessage(EventId = 404, Level = LogLevel.Information, Message = "The shared routing state was lost; rebuilt from the store (by this node: {Built}, {Count} conversations queued or open)")]
    private static partial void LogSharedRebuilt(ILogger logger, bool built, int count);

    private enum SharedChangeKind
    {
        Confirm,
        Release,
        DropTicket,
    }

    private readonly record struct SharedChange(SharedChangeKind Kind, string? AgentId, string ConversationId);
}
