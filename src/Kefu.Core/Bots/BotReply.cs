namespace Kefu.Core.Bots;

/// <summary>
/// A bot's answer. <see cref="Confidence"/> is in [0, 1]; the chain sends it only when it reaches the
/// chain's threshold. <see cref="Handoff"/> asks for a human agent (the text, if any, is sent first).
/// </summary>
public sealed record BotReply
{
    public BotReply(BotReplyKind kind, string? text, double confidence)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(confidence, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(confidence, 1.0);
        Kind = kind;
        Text = text;
        Confidence = confidence;
    }

    public BotReplyKind Kind { get; init; }

    public string? Text { get; init; }

    public double Confidence { get; init; }

    /// <summary>Buttons, when <see cref="Kind"/> is <see cref="BotReplyKind.QuickReplies"/>.</summary>
    public IReadOnlyList<QuickReplyOption> Options { get; init; } = [];

    /// <summary>The card, when <see cref="Kind"/> is <see cref="BotReplyKind.Card"/>.</summary>
    public BotCard? Card { get; init; }

    public bool Handoff { get; init; }

    /// <summary>What produced the reply (a rule id, an FAQ entry id), for reports and the learning loop.</summary>
    public string? SourceId { get; init; }

    public static BotReply FromText(string text, double confidence) => new(BotReplyKind.Text, text, confidence);

    public static BotReply FromOptions(string text, IReadOnlyList<QuickReplyOption> options, double confidence) =>
        new(BotReplyKind.QuickReplies, text, confidence) { Options = options };

    public static BotReply FromCard(BotCard card, double confidence) =>
        new(BotReplyKind.Card, null, confidence) { Card = card };
}
