namespace Kefu.Bots.Handoff;

public sealed record HandoffBotOptions
{
    public string ReplyChinese { get; init; } = "好的，正在为您转接人工客服，请稍候。";

    public string ReplyEnglish { get; init; } = "Sure, connecting you with an agent. One moment please.";

    /// <summary>More explicit request phrases (matched anywhere in a message), e.g. a brand's own wording.</summary>
    public IReadOnlyList<string> ExtraPhrases { get; init; } = [];
}
