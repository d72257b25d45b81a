namespace Kefu.Server.Routing;

/// <summary>The listener until notifications exist: a log line with ids only.</summary>
internal sealed partial class LoggingOfflineMessageListener(ILogger<LoggingOfflineMessageListener> logger) : IOfflineMessageListener
{
    public Task OnOfflineMessageAsync(OfflineMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        LogLeft(logger, message.ConversationId, message.VisitorId);
        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 430, Level = LogLevel.Information, Message = "Visitor {VisitorId} left a message in conversation {ConversationId}")]
    private static partial void LogLeft(ILogger logger, string conversationId, string visitorId);
}
