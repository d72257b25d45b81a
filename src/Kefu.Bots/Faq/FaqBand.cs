namespace Kefu.Bots.Faq;

/// <summary>What to do with a search result.</summary>
public enum FaqBand
{
    /// <summary>Nothing close enough: say "don't know" (or let the next bot try).</summary>
    Unknown,

    /// <summary>Plausible but not sure: offer the top matches as suggestions.</summary>
    Suggest,

    /// <summary>Confident: send the top entry's answer.</summary>
    Answer,
}
