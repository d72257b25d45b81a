namespace Kefu.Core.Bots;

/// <summary>
/// An admin-defined automatic reply. Higher <see cref="Priority"/> is tried first. A rule with a
/// <see cref="SiteId"/> or <see cref="TeamId"/> applies only there; null means every site or team.
/// <see cref="Reply"/> gives the shape (text, quick replies or card); its confidence is ignored.
/// </summary>
public sealed record BotRule(
    string Id,
    RuleMatchKind Match,
    IReadOnlyList<string> Patterns,
    BotReply Reply,
    int Priority = 0,
    string? SiteId = null,
    string? TeamId = null,
    bool Enabled = true);
