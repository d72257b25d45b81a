namespace Kefu.Core.Bots;

/// <summary>
/// A site's bot settings. A null <see cref="Mode"/> means "automatic": bot first when the site has a rule, an
/// FAQ entry or a language model, human first otherwise. A null <see cref="Welcome"/> uses the default text.
/// </summary>
public sealed record BotSiteSettings(
    string SiteId,
    BotMode? Mode,
    string? Welcome,
    int FailuresBeforeHandoff,
    string? BotName,
    DateTimeOffset UpdatedAt);
