using System.Threading.Channels;
using Kefu.Core.Messaging;
using Kefu.Core.Protocol;
using Kefu.Core.Storage;
using Kefu.Server.Conversations;
using Kefu.Server.Routing;

namespace Kefu.Server.Messaging;

/// <summary>
/// Another node's store changes reach this node only as bus events, yet routing and the inactivity sweeper
/// here must follow every conversation started, assigned, requeued or closed anywhere (a visitor queued on
/// one node is served by an agent on another). So each conversation snapshot another node publishes is read
/// back from the store, the truth, and applied here as a change committed elsewhere. Ids are gathered for a
/// moment and read in one pass; the routing requirements (skills, priority) are read only for conversations
/// this pass sees for the first time. After a bus outage every queued and open conversation is read again,
/// since changes published meanwhile are lost.
/// </summary>
internal sealed partial class ChangesFromOtherNodes(
    NodeBus bus,
    IConversationStore store,
    RoutingSignals routing,
    ActivityTracker activity,
    TimeProvider time,
    ILogger<ChangesFromOtherNodes> logger) : BackgroundService
{
    private static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);
    private readonly Channel<string?> _changed = Channel.CreateUnbounded<string?>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var subscription = bus.Subscribe(OnEvent);
        bus.Reconnected += OnReconnected;
        try
        {
            var pending = new HashSet<string>(StringComparer.Ordinal);
            var everything = false;
            var reader = _changed.Reader;
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                await Task.Delay(Gather, time, stoppingToken);
                while (reader.TryRead(out var id))
                {
                    everything |= id is null;
                    if (id is not null)
                    {
                        pending.Add(id);
                    }
                }
                try
                {
                    await ApplyAsync(pending, everything, stoppingToken);
                    pending.Clear();
                    everything = false;
                }
                catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
                {
                    // The store is away: keep what is pending and read it when the store answers again.
                    LogReadFailed(logger, ex, pending.Count);
                    await Task.Delay(RetryAfter, time, stoppingToken);
                    _changed.Writer.TryWrite(everything ? null : pending.FirstOrDefault());
                }
            }
        }
        finally
        {
            bus.Reconnected -= OnReconnected;
        }
    }

    private void OnEvent(BusEvent busEvent)
    {
        // Conversation snapshots for the tenant's agents accompany every change of a conversation.
        if (busEvent.FromOtherNode && busEvent.ConversationId is { } id && busEvent.Seq == 0 && busEvent.Audience.TenantAgents)
        {
            _changed.Writer.TryWrite(id);
        }
    }

    private void OnReconnected(object? sender, EventArgs e) => _changed.Writer.TryWrite(null);

    private async Task ApplyAsync(HashSet<string> ids, bool everything, CancellationToken cancellationToken)
    {
        Dictionary<string, RoutableConversation>? routable = null;
        if (everything)
        {
            routable = (await store.ListRoutableAsync(cancellationToken)).ToDictionary(r => r.Conversation.Id, StringComparer.Ordinal);
            ids.UnionWith(routable.Keys);
            ids.UnionWith(_known);
        }
        var fresh = new List<Conversation>(ids.Count);
        foreach (var id in ids)
        {
            if (routable is not null)
            {
                if (!routable.ContainsKey(id) && await store.GetConversationAsync(id, cancellationToken) is { } gone)
                {
                    fresh.Add(gone);
                }
                continue;
            }
            if (await store.GetConversationAsync(id, cancellationToken) is { } conversation)
            {
                fresh.Add(conversation);
            }
        }
        if (routable is null && fresh.Exists(c => IsRoutable(c) && !_known.Contains(c.Id)))
        {
            routable = (await store.ListRoutableAsync(cancellationToken)).ToDictionary(r => r.Conversation.Id, StringComparer.Ordinal);
        }
        if (everything)
        {
            fresh.AddRange(routable!.Values.Select(r => r.Conversation));
        }
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var conversation in fresh)
        {
            var requirements = routable?.GetValueOrDefault(conversation.Id);
            routing.CommittedElsewhere(requirements is not null && IsRoutable(conversation) ? requirements with { Conversation = conversation } : new RoutableConversation(conversation, [], 0));
            if (IsRoutable(conversation))
            {
                _known.Add(conversation.Id);
            }
            else
            {
                _known.Remove(conversation.Id);
            }
            if (conversation.Status == ConversationStatuses.Open)
            {
                activity.Seen(conversation.Id, now);
            }
            else
            {
                activity.Forget(conversation.Id);
            }
        }
    }

    private static bool IsRoutable(Conversation c) => c.Status is ConversationStatuses.Queued or ConversationStatuses.Open;

    [LoggerMessage(EventId = 123, Level = LogLevel.Warning, Message = "Reading {Count} conversations changed on other nodes failed; retrying")]
    private static partial void LogReadFailed(ILogger logger, Exception exception, int count);
}
