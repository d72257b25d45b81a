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
        var count = 0;
        try
        {
            foreach (var connection in registry.All)
            {
                if (connection.Caller is not { } caller)
                {
                    continue;
                }
                var conversations = caller.IsVisitor
                    ? await store.ListForVisitorAsync(caller.UserId, VisitorConversations, CancellationToken.None)
                    : await store.ListOpenForAgentAsync(caller.UserId, CancellationToken.None);
                foreach (var conversation in conversations)
                {
                    connection.Enqueue(new Outgoing(FrameSerializer.Serialize(ConversationFrames.Snapshot(conversation), ProtocolJsonContext.Default.ConversationFrame)));
                }
                count++;
            }
            LogRefreshed(logger, count, reason);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogRefreshFailed(logger, ex, reason);
        }
    }

    [LoggerMessage(EventId = 121, Level = LogLevel.Information, Message = "Sent conversation state to {Count} connections ({Reason}) so they heal from the store")]
    private static partial void LogRefreshed(ILogger logger, int count, string reason);

    [LoggerMessage(EventId = 122, Level = LogLevel.Warning, Message = "Refreshing clients ({Reason}) failed; they heal on their next gap or reconnect")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception, string reason);
}
