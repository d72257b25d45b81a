using Kefu.Core.Leases;
using Kefu.Core.Protocol;
using Kefu.Core.Storage;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Conversations;

/// <summary>
/// Closes open conversations nobody wrote in for a while: first a warning event in the history, then, if
/// the silence goes on, the close (by the system). Off unless <c>Kefu:Lifecycle:InactivityWarningSeconds</c> is set.
/// With several nodes only the holder of the job's lease sweeps, so each warning and close happens once. A
/// node hears only its own clients, so before acting on a conversation that looks silent the sweeper reads
/// its latest messages from the store: activity and warnings from any node, or from a former lease holder,
/// count.
/// </summary>
internal sealed partial class InactivitySweeper(
    ActivityTracker activity,
    IConversationStore store,
    IJobLease lease,
    IOptions<LifecycleOptions> options,
    TimeProvider time,
    ILogger<InactivitySweeper> logger) : BackgroundService
{
    internal const string Job = "inactivity-sweep";
    private const int RecentMessages = 50;
    private const string WarningEvent = "\"event\":\"inactivityWarning\"";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (o.InactivityWarningSeconds <= 0)
        {
            return;
        }
        await SeedAsync(stoppingToken);
        var period = TimeSpan.FromSeconds(Math.Clamp(Math.Min(o.InactivityWarningSeconds, o.InactivityCloseSeconds) / 4, 0.1, 30));
        using var timer = new PeriodicTimer(period, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (await lease.HoldAsync(Job, stoppingToken))
                {
                    await SweepAsync(o, stoppingToken);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
            {
                LogSweepFailed(logger, ex);
            }
        }
    }

    /// <summary>Conversations already open at start count as active from now.</summary>
    private async Task SeedAsync(CancellationToken cancellationToken)
    {
        try
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            foreach (var r in await store.ListRoutableAsync(cancellationToken))
            {
                if (r.Conversation.Status == ConversationStatuses.Open)
                {
                    activity.Seen(r.Conversation.Id, now);
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            LogSweepFailed(logger, ex);
        }
    }

    private async Task SweepAsync(LifecycleOptions o, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var warnAfter = (long)(o.InactivityWarningSeconds * 1000);
        var closeAfter = (long)(o.InactivityCloseSeconds * 1000);
        foreach (var (conversationId, (seenMs, seenWarnedMs)) in activity.Open)
        {
            if (!(seenWarnedMs == 0 && now - seenMs >= warnAfter) && !(seenWarnedMs != 0 && now - seenWarnedMs >= closeAfter))
            {
                continue;
            }
            var (lastMs, warnedMs) = await ReadActivityAsync(conversationId, seenMs, cancellationToken);
            activity.Set(conversationId, lastMs, warnedMs);
            if (warnedMs == 0 && now - lastMs >= warnAfter)
            {
                activity.Warned(conversationId, now);
                var meta = $$"""{"event":"inactivityWarning","closesInSeconds":{{(long)o.InactivityCloseSeconds}}}""";
                var warned = await store.AppendAsync(
                    new NewMessage(conversationId, SenderTypes.System, SenderTypes.System, null, null, MessageKinds.Event, null, null, meta), cancellationToken);
                if (warned.Outcome != AppendOutcome.Appended)
                {
                    activity.Forget(conversationId);
                }
            }
            else if (warnedMs != 0 && now - warnedMs >= closeAfter)
            {
                activity.Forget(conversationId);
                await store.CloseAsync(conversationId, SenderTypes.System, SenderTypes.System, null, cancellationToken);
                LogClosed(logger, conversationId);
            }
        }
    }

    /// <summary>
    /// The last visitor or agent message (no earlier than what this node saw) and, if nothing was said since,
    /// when the warning went out; 0 when not warned.
    /// </summary>
    private async Task<(long LastMs, long WarnedMs)> ReadActivityAsync(string conversationId, long seenMs, CancellationToken cancellationToken)
    {
        var lastMs = seenMs;
        var warnedMs = 0L;
        foreach (var message in await store.ReadBeforeAsync(conversationId, long.MaxValue, RecentMessages, cancellationToken))
        {
            var at = message.CreatedAt.ToUnixTimeMilliseconds();
            if (message.SenderType is SenderTypes.Visitor or SenderTypes.Agent)
            {
                lastMs = Math.Max(lastMs, at);
            }
            else if (message.Kind == MessageKinds.Event && message.MetaJson?.Contains(WarningEvent, StringComparison.Ordinal) == true)
            {
                warnedMs = at;
            }
        }
        return (lastMs, warnedMs >= lastMs ? warnedMs : 0);
    }

    [LoggerMessage(EventId = 420, Level = LogLevel.Information, Message = "Conversation {ConversationId} closed after inactivity")]
    private static partial void LogClosed(ILogger logger, string conversationId);

    [LoggerMessage(EventId = 421, Level = LogLevel.Warning, Message = "An inactivity sweep failed; the next one retries")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
