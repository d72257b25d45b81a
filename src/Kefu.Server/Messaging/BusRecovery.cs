using System.Diagnostics;
using Kefu.Core.Protocol;
using Kefu.Core.Storage;
using Kefu.Server.Conversations;
using Kefu.Server.Realtime;

namespace Kefu.Server.Messaging;

/// <summary>
/// After a bus outage, events published meanwhile may be lost; a node that died may have committed messages it
/// never published (<see cref="NodeWatch"/>). This node then sends each of its clients a fresh
/// <c>conversation</c> snapshot (with <c>lastSeq</c>) of every conversation it follows, and clients sync
/// whatever they missed from the store.
/// </summary>
internal sealed partial class BusRecovery(NodeBus bus, ConnectionRegistry registry, IConversationStore store, ILogger<BusRecovery> logger) : IHostedService
{
    private const int VisitorConversations = 20;
    private const int UsersPerRead = 1000;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        bus.Reconnected += OnReconnected;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        bus.Reconnected -= OnReconnected;
        return Task.CompletedTask;
    }

    private void OnReconnected(object? sender, EventArgs e) => _ = RefreshAllAsync("the bus is back");

    internal async Task RefreshAllAsync(string reason)
    {
        var started = Stopwatch.GetTimestamp();
        var visitors = new Dictionary<string, List<ClientConnection>>(StringComparer.Ordinal);
        var agents = new Dictionary<string, List<ClientConnection>>(StringComparer.Ordinal);
        var count = 0;
        foreach (var connection in registry.All)
        {
            if (connection.Caller is not { } caller)
            {
                continue;
            }
            var byUser = caller.IsVisitor ? visitors : agents;
            if (!byUser.TryGetValue(caller.UserId, out var connections))
            {
                byUser[caller.UserId] = connections = [];
            }
            connections.Add(connection);
            count++;
        }
        try
        {
            // One read per batch of users rather than one per connection: after a bus outage every node refreshes
            // all of its clients at once, and one query each would be tens of thousands against a shared database.
            foreach (var batch in visitors.Keys.Chunk(UsersPerRead))
            {
                Send(visitors, c => c.VisitorId, await store.ListForVisitorsAsync(batch, VisitorConversations, CancellationToken.None));
            }
            foreach (var batch in agents.Keys.Chunk(UsersPerRead))
            {
                Send(agents, c => c.AssigneeId, await store.ListOpenForAgentsAsync(batch, CancellationToken.None));
            }
            var elapsedMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            LogRefreshed(logger, count, visitors.Count + agents.Count, reason, elapsedMs);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogRefreshFailed(logger, ex, reason);
        }
    }

    /// <summary>Each conversation's snapshot is serialised once and queued to every connection of the user it belongs to.</summary>
    private static void Send(Dictionary<string, List<ClientConnection>> byUser, Func<Conversation, string?> owner, IReadOnlyList<Conversation> conversations)
    {
        foreach (var conversation in conversations)
        {
            if (owner(conversation) is not { } userId || !byUser.TryGetValue(userId, out var connections))
            {
                continue;
            }
            var frame = new Outgoing(FrameSerializer.Serialize(ConversationFrames.Snapshot(conversation), ProtocolJsonContext.Default.ConversationFrame));
            foreach (var connection in connections)
            {
                connection.Enqueue(frame);
            }
        }
    }

    [LoggerMessage(EventId = 121, Level = LogLevel.Information, Message = "Sent conversation state to {Count} connections of {Users} users ({Reason}) in {ElapsedMs} ms so they heal from the store")]
    private static partial void LogRefreshed(ILogger logger, int count, int users, string reason, long elapsedMs);

    [LoggerMessage(EventId = 122, Level = LogLevel.Warning, Message = "Refreshing clients ({Reason}) failed; they heal on their next gap or reconnect")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception, string reason);
}
