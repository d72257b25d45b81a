using Kefu.Core.Storage;
using Kefu.Server.Agents;

namespace Kefu.Server.Routing;

/// <summary>
/// Assignment until full routing lands: a new conversation goes to the online agent with the fewest open
/// conversations and spare capacity, else waits queued; an agent that comes online or frees capacity
/// takes the oldest queued ones. The capacity check and the assignment happen in one store write, so
/// concurrent attempts never exceed an agent's capacity.
/// </summary>
internal sealed partial class SimpleAssigner(IConversationStore store, AgentPresence presence, ILogger<SimpleAssigner> logger)
{
    public async Task AssignAsync(Conversation conversation, CancellationToken cancellationToken)
    {
        var candidates = presence.Online(conversation.TenantId);
        if (candidates.Count == 0)
        {
            return;
        }
        await store.TryAssignAsync(conversation.Id, candidates, cancellationToken);
    }

    /// <summary>Gives an agent queued conversations, oldest first, while it has room.</summary>
    public async Task FillAsync(string tenantId, string agentId, CancellationToken cancellationToken)
    {
        var agent = presence.Find(tenantId, agentId);
        if (agent is null)
        {
            return;
        }
        var queued = await store.ListQueuedAsync(tenantId, agent.MaxConcurrent, cancellationToken);
        foreach (var conversation in queued)
        {
            await store.TryAssignAsync(conversation.Id, [agent], cancellationToken);
        }
    }

    /// <summary>Runs an assignment in the background: the caller (a send, a close) does not wait for it.</summary>
    public void Background(Func<CancellationToken, Task> work)
    {
        _ = Task.Run(async () =>
        {
            try
            {
                await work(CancellationToken.None);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogAssignmentFailed(logger, ex);
            }
        });
    }

    [LoggerMessage(EventId = 400, Level = LogLevel.Warning, Message = "Assignment failed; the conversation stays queued")]
    private static partial void LogAssignmentFailed(ILogger logger, Exception exception);
}
