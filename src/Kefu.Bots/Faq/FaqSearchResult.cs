namespace Kefu.Bots.Faq;

/// <summary>The best matches, best first, and the band the top one falls in.</summary>
public sealed record FaqSearchResult(IReadOnlyList<FaqMatch> Matches, FaqBand Band)
{
    public static FaqSearchResult None { get; } = new([], FaqBand.Unknown);

    public FaqMatch? Top => Matches.Count > 0 ? Matches[0] : null;
}
