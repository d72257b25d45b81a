using System.Text.RegularExpressions;
using Kefu.Core.Bots;
using Microsoft.Extensions.Logging;

namespace Kefu.Bots.Rules;

/// <summary>Answers with the reply of the highest-priority rule that matches, at full confidence.</summary>
public sealed partial class RuleBot(RuleSet rules, ILogger<RuleBot> logger) : IBot
{
    public string Name => "rules";

    public ValueTask<BotReply?> AnswerAsync(BotContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var rule in rules.Snapshot)
        {
            if (!rule.AppliesTo(context))
            {
                continue;
            }
            bool matched;
            try
            {
                matched = rule.Matches(context.Question);
            }
            catch (RegexMatchTimeoutException)
            {
                LogRegexTimeout(logger, rule.Rule.Id);
                continue;
            }
            if (matched)
            {
                return ValueTask.FromResult<BotReply?>(rule.Rule.Reply with { Confidence = 1.0, SourceId = rule.Rule.Id });
            }
        }
        return ValueTask.FromResult<BotReply?>(null);
    }

    public ValueTask TrainAsync(IReadOnlyList<TrainingPair> pairs, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    [LoggerMessage(EventId = 7101, Level = LogLevel.Warning, Message = "Rule {RuleId} regular expression timed out and was skipped")]
    private static partial void LogRegexTimeout(ILogger logger, string ruleId);
}
