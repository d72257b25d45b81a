namespace Kefu.Server.Bots;

internal static partial class BotFlowLog
{
    [LoggerMessage(EventId = 701, Level = LogLevel.Warning, Message = "A bot step of conversation {ConversationId} failed; the conversation goes on")]
    public static partial void StepFailed(ILogger logger, string conversationId, Exception exception);

    [LoggerMessage(EventId = 702, Level = LogLevel.Information, Message = "Conversation {ConversationId} handed from the bot to the queue ({Reason})")]
    public static partial void HandedOff(ILogger logger, string conversationId, string reason);

    [LoggerMessage(EventId = 703, Level = LogLevel.Information, Message = "Bot conversation {ConversationId} closed after being idle")]
    public static partial void ClosedIdle(ILogger logger, string conversationId);

    [LoggerMessage(EventId = 704, Level = LogLevel.Warning, Message = "A bot sweep failed; it runs again shortly")]
    public static partial void SweepFailed(ILogger logger, Exception exception);
}
