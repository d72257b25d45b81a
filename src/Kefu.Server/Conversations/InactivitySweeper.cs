using Kefu.Core.Protocol;
using Kefu.Core.Storage;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Conversations;

/// <summary>
/// Closes open conversations nobody wrote in for a while: first a warning event in the history, then, if
/// the silence goes on, the close (by the system). Off unless <c>Kefu:Lifecycle:InactivityWarningSeconds</c> is set.
/// </summary>
internal sealed partial class InactivitySweeper(
    ActivityTracker activity, IConversationStore store, IOptions<LifecycleOptions> options, TimeProvider time, ILogger<InactivitySweeper> logger) : BackgroundService
{
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
                await SweepAsync(o, stoppingToken);
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
        foreach (var (conversationId, (lastMs, warnedMs)) in activity.Open)
        {
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

    [LoggerMessage(EventId = 420, Level = LogLevel.Information, Message = "Conversation {ConversationId} closed after inactivity")]
    private static partial void LogClosed(ILogger logger, string conversationId);

    [LoggerMessage(EventId = 421, Level = LogLevel.Warning, Message = "An inactivity sweep failed; the next one retries")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
