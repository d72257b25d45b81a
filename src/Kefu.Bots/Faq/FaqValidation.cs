using Kefu.Core.Bots;
namespace Kefu.Bots.Faq;

internal static class FaqValidation
{
    /// <summary>Rejects an imported entry a visitor could never be answered with, naming it.</summary>
    public static FaqEntry Check(FaqEntry? entry)
    {
        if (entry is null || string.IsNullOrWhiteSpace(entry.Id) || string.IsNullOrWhiteSpace(entry.SiteId)
            || string.IsNullOrWhiteSpace(entry.Question) || string.IsNullOrWhiteSpace(entry.Answer))
        {
            throw new FormatException($"FAQ entry '{entry?.Id}' needs an id, a siteId, a question and an answer.");
        }
        if (entry.Alternates is null)
        {
            return entry with { Alternates = [] };
        }
        return entry;
    }
}
