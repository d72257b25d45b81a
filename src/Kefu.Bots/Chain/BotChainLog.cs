using Microsoft.Extensions.Logging;

namespace Kefu.Bots.Chain;

internal static partial class BotChainLog
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "Bot {Bot} failed and was skipped ({ExceptionType})")]
    public static partial void BotFailed(ILogger logger, string bot, string exceptionType, Exception exception);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning, Message = "Bot {Bot} did not answer within {TimeoutMs} ms and was skipped")]
    public static partial void BotTimedOut(ILogger logger, string bot, double timeoutMs);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Debug, Message = "Bot {Bot} answered with confidence {Confidence:F2} ({Outcome})")]
    public static partial void BotAnswered(ILogger logger, string bot, double confidence, BotOutcome outcome);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Warning, Message = "Bot {Bot} faulted after it had been skipped ({ExceptionType})")]
    public static partial void AbandonedBotFaulted(ILogger logger, string bot, string exceptionType);
}
