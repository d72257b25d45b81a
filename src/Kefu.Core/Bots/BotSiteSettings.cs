namespace Kefu.Core.Bots;

/// <summary>
/// A site's bot settings. A null <see cref="Mode"/> means "automatic": bot first when the site has a rule, an
/// FAQ entry or a language model, human first otherwise. <see cref="Welcomes"/> holds the welcome per language tag
/// (<c>zh-CN</c>, <c>en</c>, …; an empty text: none in that language); <see cref="Welcome"/> is for the other
/// languages, and null there uses the default text.
/// </summary>
public sealed record BotSiteSettings(
    string SiteId,
    BotMode? Mode,
    string? Welcome,
    int FailuresBeforeHandoff,
    string? BotName,
    DateTimeOffset UpdatedAt,
    IReadOnlyDictionary<string, string>? Welcomes = null);
