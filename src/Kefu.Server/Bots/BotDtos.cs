namespace Kefu.Server.Bots;

internal sealed record FaqEntryRequest(string? Question, IReadOnlyList<string>? Alternates, string? Answer, string? Category, string? SiteKey);

internal sealed record FaqEntryDto(string Id, string SiteId, string Question, IReadOnlyList<string> Alternates, string Answer, string? Category);

internal sealed record AskRequest(string? Text, string? SiteKey);

internal sealed record AskSuggestion(string FaqId, string Question, double Confidence);

/// <summary>
/// What the bot would say: <see cref="Answer"/> when confident, <see cref="FaqId"/> when the top entry reaches
/// the suggestion band (null below it), and the top entries as <see cref="Suggestions"/> in that band.
/// </summary>
internal sealed record AskResponse(string? Answer, string? FaqId, double Confidence, string Band, IReadOnlyList<AskSuggestion> Suggestions);

internal sealed record ImportResult(int Imported);

internal sealed record SuggestionEdit(string? Question, string? Answer, string? TargetEntryId);
