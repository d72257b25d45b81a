namespace Kefu.Bots.Faq;

public sealed record FaqBotOptions
{
    public string SuggestionPromptChinese { get; init; } = "您是不是想问：";

    public string SuggestionPromptEnglish { get; init; } = "Did you mean one of these?";
}
