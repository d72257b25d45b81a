using Kefu.Bots.Chain;

namespace Kefu.Bots.Handoff;

/// <summary>
/// "N failed answers in a row means a human": pure logic over a counter the caller keeps per
/// conversation, so it is trivially testable and the server decides where the counter lives.
/// </summary>
public sealed class HandoffPolicy(HandoffPolicyOptions? options = null)
{
    private readonly HandoffPolicyOptions _options = options ?? new HandoffPolicyOptions();

    public HandoffDecision Next(int failuresInARow, BotOutcome outcome)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(failuresInARow);
        var failed = outcome switch
        {
            BotOutcome.Unknown => true,
            BotOutcome.Suggested => _options.CountSuggestionsAsFailures,
            _ => false,
        };
        if (outcome == BotOutcome.Handoff)
        {
            return new HandoffDecision(0, Handoff: true);
        }
        if (!failed)
        {
            return new HandoffDecision(0, Handoff: false);
        }
        var failures = failuresInARow + 1;
        return failures >= _options.MaxFailuresInARow
            ? new HandoffDecision(0, Handoff: true)
            : new HandoffDecision(failures, Handoff: false);
    }
}
