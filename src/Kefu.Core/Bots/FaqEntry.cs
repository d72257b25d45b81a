namespace Kefu.Core.Bots;

/// <summary>A knowledge-base entry: the canonical question, other ways visitors ask it, and the answer.</summary>
/// <param name="Alternates">Other phrasings, including those learned from agents' replies.</param>
public sealed record FaqEntry(
    string Id,
    string SiteId,
    string Question,
    IReadOnlyList<string> Alternates,
    string Answer,
    string? Category = null);
