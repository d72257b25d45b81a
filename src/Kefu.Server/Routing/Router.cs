using Kefu.Core.Diagnostics;
using Kefu.Core.Protocol;
using Kefu.Core.Routing;
using Kefu.Core.Storage;
using Kefu.Server.Agents;
using Kefu.Server.Realtime;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Routing;

/// <summary>
/// Assigns queued conversations. One loop owns the routing state: it rebuilds it from the store at start,
/// then applies committed conversation changes and agent changes as they arrive, makes every assignment the
/// state allows (each reserved in the shared state, then written through the store's capacity-checked
/// write), and announces queue positions. Agents held by any node count, so every node's router may assign
/// any queued conversation; the shared reservation lets one node at a time try a conversation.
/// </summary>
internal sealed partial class Router(
    RoutingSignals signals,
    IRoutingState state,
    IClusterRoutingState shared,
    RouterBook book,
    QueueAnnouncer announcer,
    AgentPresence presence,
    OpeningHours hours,
    IConversationStore store,
    IDirectoryStore directory,
    IOptions<RoutingOptions> options,
    TimeProvider time,
    ILogger<Router> logger,
    Bots.BotFlow bots) : BackgroundService
{
    private const int MaxFailedAssignmentsPerRound = 8;

    /// <summary>How often a round that assigns many conversations tells the rest of the queue where it stands.</summary>
    private const long AnnounceDuringRoundMs = 250;
    private static readonly TimeSpan TakenRetry = TimeSpan.FromSeconds(2);
    private readonly HashSet<string> _dirtyTeams = new(StringComparer.Ordinal);
    private ITimer? _expiryTimer;
    private ITimer? _retryTimer;
    private long _expiryDueMs = long.MaxValue;
    private volatile bool _expiryFired;
    private long _sequence;
    private long _announcedInRoundAtMs = -AnnounceDuringRoundMs;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                await RebuildAsync(stoppingToken);
                break;
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
            {
                // The store is the truth: without it there is nothing to route yet. Try again shortly.
                LogRoundFailed(logger, ex);
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
            }
        }
        var reader = signals.Reader;
        while (await reader.WaitToReadAsync(stoppingToken))
        {
            try
            {
                while (reader.TryRead(out var signal))
                {
                    await ApplyAsync(signal, stoppingToken);
                }
                await CheckSharedAsync(stoppingToken);
                state.Expire(time.GetUtcNow().ToUnixTimeMilliseconds());
                foreach (var teamId in state.QueuedTeams)
                {
                    _dirtyTeams.Add(teamId);
                }
                var paused = await PauseClosedTeamsAsync(stoppingToken);
                await MatchAsync(stoppingToken);
                await FlushSharedAsync(stoppingToken);
                foreach (var teamId in _dirtyTeams)
                {
                    announcer.Announce(teamId, refresh: _sharedCheckTimer is not null);
                }
                _dirtyTeams.Clear();
                ScheduleExpiry(paused);
                WatchShared();
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
            {
                LogRoundFailed(logger, ex);
                _dirtyTeams.Clear();
                signals.Kick();
                await Task.Delay(TimeSpan.FromMilliseconds(200), time, stoppingToken);
            }
        }
    }

    public override void Dispose()
    {
        _expiryTimer?.Dispose();
        _retryTimer?.Dispose();
        _sharedCheckTimer?.Dispose();
        base.Dispose();
    }

    private async Task RebuildAsync(CancellationToken cancellationToken)
    {
        var routable = await store.ListRoutableAsync(cancellationToken);
        try
        {
            // The first node to start (or the first after Redis lost its data) builds the shared state; the others find it.
            await shared.RebuildAsync(SnapshotOf(routable), cancellationToken);
        }
        catch (SharedStateUnavailableException ex)
        {
            SharedUnavailable(ex);
        }
        foreach (var r in routable)
        {
            await book.EnsureTenantAsync(r.Conversation.TenantId, cancellationToken);
            var tracked = book.Track(r.Conversation, r.Skills, r.Priority);
            if (r.Conversation.Status == ConversationStatuses.Open && r.Conversation.AssigneeId is { } assignee)
            {
                tracked.AssigneeId = assignee;
                tracked.AssignedAtMs = time.GetUtcNow().ToUnixTimeMilliseconds();
                book.AddLoad(assignee, 1);
            }
            else if (r.Conversation.Status == ConversationStatuses.Queued)
            {
                signals.MarkQueued(r.Conversation.Id);
                await EnqueueAsync(tracked, cancellationToken);
            }
        }
        LogRebuilt(logger, routable.Count);
        signals.Kick();
    }

    private async Task ApplyAsync(RoutingSignal signal, CancellationToken cancellationToken)
    {
        if (signal.Conversation is { } conversation)
        {
            await ApplyConversationAsync(conversation, cancellationToken, signal.Elsewhere);
        }
        else if (signal.AgentId is { } agentId)
        {
            await RefreshAgentAsync(agentId, signal.AgentWentOffline, cancellationToken);
        }
        else if (signal.TenantId is { } tenantId)
        {
            await book.LoadTeamsAsync(tenantId, cancellationToken);
        }
    }

    private async Task ApplyConversationAsync(Conversation c, CancellationToken cancellationToken, RoutableConversation? elsewhere = null, bool readBack = false)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var tracked = book.Find(c.Id);
        if (elsewhere is not null && tracked is not null && tracked.Conversation.LastSeq > c.LastSeq)
        {
            // Read back before a change this node has already applied: every change appends an event, so older is lower.
            return;
        }
        if (c.Status == ConversationStatuses.Closed || c.Status == ConversationStatuses.Bot)
        {
            if (tracked is not null)
            {
                LeaveQueue(tracked);
                if (tracked.AssigneeId is { } assignee)
                {
                    book.AddLoad(assignee, -1);
                    NoteShared(new SharedChange(SharedChangeKind.Release, assignee, c.Id));
                    book.HandleTimesOf(tracked.TeamId).Add(Math.Max(0, now - tracked.AssignedAtMs) / 1000.0);
                    _dirtyTeams.Add(tracked.TeamId);
                }
                book.Forget(c.Id);
            }
            return;
        }
        var wasQueued = tracked?.Conversation.Status == ConversationStatuses.Queued;
        if (tracked is null && elsewhere is not null)
        {
            // The node that started it left the hint and told the visitor if nobody answers.
            await book.EnsureTenantAsync(c.TenantId, cancellationToken);
            tracked = book.Track(c, elsewhere.Skills, elsewhere.Priority);
        }
        else if (tracked is null)
        {
            await book.EnsureTenantAsync(c.TenantId, cancellationToken);
            var hint = signals.TakeHint(c.VisitorId);
            tracked = book.Track(c, hint?.Skills ?? [], hint?.Priority ?? 0);
            if (hint?.PreferredAgentId is { } preferred && presence.TakesConversations(preferred) && options.Value.StickyWaitSeconds > 0)
            {
                tracked.PreferredAgentId = preferred;
            }
            if (c.Status == ConversationStatuses.Queued && (c.LastSeq == 0 || hint?.Announce == true))
            {
                await TellIfNobodyAnswersAsync(c, tracked.TeamId, cancellationToken);
            }
        }
        var teamBefore = tracked.TeamId;
        tracked.Conversation = c;
        tracked.TeamId = book.TeamOf(c);
        if (c.Status == ConversationStatuses.Queued)
        {
            if (!wasQueued)
            {
                tracked.QueuedAtMs = now;
            }
            if (tracked.AssigneeId is { } previous)
            {
                book.AddLoad(previous, -1);
                NoteShared(new SharedChange(SharedChangeKind.Release, previous, c.Id));
                tracked.AssigneeId = null;
            }
            if (state.Find(c.Id) is null || teamBefore != tracked.TeamId)
            {
                LeaveQueue(tracked, teamBefore);
                await EnqueueAsync(tracked, cancellationToken);
            }
            return;
        }
        // Open: assigned, claimed, transferred or reopened.
        LeaveQueue(tracked);
        tracked.PreferredAgentId = null;
        if (!readBack)
        {
            // Only the node that committed the assignment records the wait, so it counts once however many nodes see it.
            // A state read back after a refused assignment may be another node's change: its own signal will say whose.
            if (tracked.QueuedAtMs is { } queuedAt && c.AssigneeId is not null && elsewhere is null)
            {
                KefuMetrics.QueueWait.Record(Math.Max(0, now - queuedAt) / 1000.0);
            }
            tracked.QueuedAtMs = null;
        }
        if (tracked.AssigneeId != c.AssigneeId)
        {
            if (tracked.AssigneeId is { } previous)
            {
                book.AddLoad(previous, -1);
                NoteShared(new SharedChange(SharedChangeKind.Release, previous, c.Id));
            }
            if (c.AssigneeId is { } assignee)
            {
                book.AddLoad(assignee, 1, now);
                NoteShared(new SharedChange(SharedChangeKind.Confirm, assignee, c.Id));
            }
            tracked.AssigneeId = c.AssigneeId;
            tracked.AssignedAtMs = now;
        }
    }

    /// <summary>A new conversation outside business hours, or with nobody of its team online, gets a system event saying so.</summary>
    private async Task TellIfNobodyAnswersAsync(Conversation c, string teamId, CancellationToken cancellationToken)
    {
        string? meta = null;
        if (!await hours.IsOpenAsync(c.TenantId, teamId, c.SiteId, cancellationToken))
        {
            meta = """{"event":"outsideBusinessHours","leaveMessage":true}""";
        }
        else if (options.Value.AnnounceAgentsAway && book.AvailableIn(teamId) == 0)
        {
            meta = """{"event":"agentsAway"}""";
        }
        if (meta is not null)
        {
            await store.AppendAsync(new NewMessage(c.Id, SenderTypes.System, SenderTypes.System, null, null, MessageKinds.Event, null, null, meta), cancellationToken);
        }
    }

    private async Task RefreshAgentAsync(string agentId, bool wentOffline, CancellationToken cancellationToken)
    {
        var profile = await directory.GetAgentProfileAsync(agentId, cancellationToken);
        if (profile is null)
        {
            return;
        }
        await book.EnsureTenantAsync(profile.Agent.TenantId, cancellationToken);
        var available = !profile.Agent.Disabled && presence.TakesConversations(agentId);
        foreach (var teamId in book.UpdateAgent(profile, available))
        {
            _dirtyTeams.Add(teamId);
        }
        if (available)
        {
            // Conversations the bot serves only while nobody is there now have somebody.
            bots.AgentAvailable(profile.TeamIds);
        }
        if (wentOffline && options.Value.RequeueOnOffline && presence.StatusOf(agentId) == AgentStatuses.Offline)
        {
            var by = new RoutingActor(SenderTypes.System, SenderTypes.System, null, "agent offline");
            foreach (var conversationId in book.OpenOf(agentId))
            {
                // Only while it is still this agent's: a transfer committed meanwhile, on any node, stands.
                if (await store.RequeueAsync(conversationId, teamId: null, expectedAssigneeId: agentId, by, cancellationToken) is { } requeued)
                {
                    await ApplyConversationAsync(requeued, cancellationToken);
                }
            }
        }
    }

    private async Task MatchAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        while (failures < MaxFailedAssignmentsPerRound && state.NextMatch() is { } match)
        {
            var agent = book.Candidate(match.AgentId);
            var id = match.Item.ConversationId;
            var reservation = agent is null ? ReservationOutcome.Full : await ReserveAsync(agent, id, cancellationToken);
            if (reservation == ReservationOutcome.Taken)
            {
                // Another node is assigning it now: its committed change will tell this node. Should that node
                // die first, its reservation expires and a later round here tries again.
                ScheduleRetry();
                break;
            }
            var assignment = reservation == ReservationOutcome.Reserved ? await store.TryAssignAsync(id, [agent!], cancellationToken) : null;
            if (assignment is not null)
            {
                await ApplyConversationAsync(assignment.Conversation, cancellationToken);
                // Every announcement goes to each visitor still queued, so one after every assignment made a round
                // that drains a long queue (agents coming online, a surge) send a number of frames growing with the
                // square of the queue. The first assignment is announced at once, later ones a few times a second,
                // and the end of the round announces every team it touched.
                _dirtyTeams.Add(match.Item.TeamId);
                var now = time.GetTimestampMs();
                if (now - _announcedInRoundAtMs >= AnnounceDuringRoundMs)
                {
                    _announcedInRoundAtMs = now;
                    announcer.Announce(match.Item.TeamId);
                }
                continue;
            }
            if (reservation == ReservationOutcome.Reserved && agent is not null)
            {
                NoteShared(new SharedChange(SharedChangeKind.Release, agent.AgentId, id));
            }
            // The state was behind the store: learn the truth and go on.
            failures++;
            var current = await store.GetConversationAsync(id, cancellationToken);
            if (current is null)
            {
                state.Remove(id);
            }
            else
            {
                await ApplyConversationAsync(current, cancellationToken, readBack: true);
            }
            var loads = await store.GetAgentLoadsAsync([match.AgentId], cancellationToken);
            book.SetLoad(match.AgentId, loads[0].OpenConversations);
            if (reservation == ReservationOutcome.Full && agent is not null && loads[0].OpenConversations < agent.MaxConcurrent)
            {
                await CorrectSharedLoadAsync(match.AgentId, loads[0].OpenConversations, cancellationToken);
            }
            await RefreshAgentAsync(match.AgentId, wentOffline: false, cancellationToken);
        }
    }

    private void ScheduleRetry()
    {
        _retryTimer?.Dispose();
        _retryTimer = time.CreateTimer(_ => signals.Kick(), null, TakenRetry, Timeout.InfiniteTimeSpan);
    }

    private async Task EnqueueAsync(TrackedConversation tracked, CancellationToken cancellationToken)
    {
        var c = tracked.Conversation;
        var ticket = await TicketAsync(c.Id, cancellationToken);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var skillTimeout = book.SkillTimeoutSecondsOf(tracked.TeamId);
        state.Enqueue(new QueuedItem(
            c.Id,
            c.TenantId,
            tracked.TeamId,
            tracked.Skills,
            tracked.Priority,
            ticket,
            tracked.Skills.Count > 0 && skillTimeout > 0 ? c.CreatedAt.ToUnixTimeMilliseconds() + (skillTimeout * 1000L) : 0,
            tracked.PreferredAgentId,
            tracked.PreferredAgentId is null ? 0 : now + (long)(options.Value.StickyWaitSeconds * 1000)));
        _dirtyTeams.Add(tracked.TeamId);
    }

    private void LeaveQueue(TrackedConversation tracked, string? teamId = null)
    {
        if (state.Remove(tracked.Conversation.Id))
        {
            _dirtyTeams.Add(teamId ?? tracked.TeamId);
            _provisional.Remove(tracked.Conversation.Id);
            NoteShared(new SharedChange(SharedChangeKind.DropTicket, null, tracked.Conversation.Id));
        }
        tracked.Announced = default;
    }

    /// <summary>Pauses the queues of teams outside business hours; true when any is paused.</summary>
    private async Task<bool> PauseClosedTeamsAsync(CancellationToken cancellationToken)
    {
        var any = false;
        foreach (var teamId in state.QueuedTeams.ToList())
        {
            var closed = book.TenantOf(teamId) is { } tenantId && !await hours.IsOpenAsync(tenantId, teamId, null, cancellationToken);
            state.SetTeamPaused(teamId, closed);
            any |= closed;
        }
        return any;
    }

    private void ScheduleExpiry(bool recheckHours)
    {
        var next = state.NextExpiryMs ?? long.MaxValue;
        if (recheckHours)
        {
            // Hours open on the minute: look again within one.
            next = Math.Min(next, time.GetUtcNow().ToUnixTimeMilliseconds() + 30_000);
        }
        // The same due time needs no new timer, unless that timer already fired: a round it woke may run a
        // moment before the wall clock reaches the due time, and must then look again.
        if (next == _expiryDueMs && !_expiryFired)
        {
            return;
        }
        _expiryTimer?.Dispose();
        _expiryTimer = null;
        _expiryDueMs = next;
        if (next != long.MaxValue)
        {
            var delay = TimeSpan.FromMilliseconds(Math.Max(0, next - time.GetUtcNow().ToUnixTimeMilliseconds()));
            _expiryFired = false;
            _expiryTimer = time.CreateTimer(_ =>
            {
                _expiryFired = true;
                signals.Kick();
            }, null, delay, Timeout.InfiniteTimeSpan);
        }
    }

    [LoggerMessage(EventId = 400, Level = LogLevel.Warning, Message = "A routing round failed; conversations stay queued and routing retries")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 401, Level = LogLevel.Information, Message = "Routing rebuilt from the store: {Count} conversations queued or open")]
    private static partial void LogRebuilt(ILogger logger, int count);
}
