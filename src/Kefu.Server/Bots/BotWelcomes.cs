using Kefu.Core.Bots;

namespace Kefu.Server.Bots;

/// <summary>
/// Which welcome a visitor gets, from its language tag (<c>context.locale</c>, else the browser's
/// <c>Accept-Language</c>; <c>zh-CN</c> when neither says): the site's text for that tag, else for another tag of the
/// same language (<c>en-GB</c> takes <c>en</c>, <c>zh-TW</c> takes <c>zh-CN</c>), else the site's welcome for other
/// languages, else Kefu's default (English for English tags, Chinese otherwise). An empty text means no welcome.
/// </summary>
internal static class BotWelcomes
{
    public const string DefaultLocale = "zh-CN";
    public const int MaxLanguages = 20;
    public const int MaxTagLength = 35;

    public static string? For(BotSiteSettings settings, string? locale)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var tag = Normalize(locale);
        if (settings.Welcomes is { Count: > 0 } welcomes)
        {
            var text = welcomes.FirstOrDefault(w => string.Equals(Normalize(w.Key), tag, StringComparison.OrdinalIgnoreCase)).Value
                ?? welcomes.FirstOrDefault(w => SameLanguage(w.Key, tag)).Value;
            if (text is not null)
            {
                return text.Length == 0 ? null : text;
            }
        }
        var welcome = settings.Welcome ?? BotTexts.Welcome(IsEnglish(tag));
        return welcome.Length == 0 ? null : welcome;
    }

    public static bool IsEnglish(string? locale) => string.Equals(Language(Normalize(locale)), "en", StringComparison.OrdinalIgnoreCase);

    /// <summary>A tag an admin may key a welcome with: letters, digits and hyphens, starting with a 2-3 letter language.</summary>
    public static bool IsValidTag(string? tag)
    {
        if (string.IsNullOrEmpty(tag) || tag.Length > MaxTagLength)
        {
            return false;
        }
        var parts = tag.Split('-');
        return parts[0].Length is 2 or 3 && parts[0].All(char.IsAsciiLetter)
            && parts.Skip(1).All(p => p.Length is >= 1 and <= 8 && p.All(char.IsAsciiLetterOrDigit));
    }

    private static string Normalize(string? locale) =>
        string.IsNullOrWhiteSpace(locale) ? DefaultLocale : locale.Trim().Replace('_', '-');

    private static string Language(string tag) => tag.Split('-')[0];

    private static bool SameLanguage(string key, string tag) =>
        string.Equals(Language(Normalize(key)), Language(tag), StringComparison.OrdinalIgnoreCase);
}
