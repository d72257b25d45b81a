using Kefu.Core.Bots;

namespace Kefu.Server.Bots;

/// <summary>A rule's reply: <c>kind</c> is <c>text</c>, <c>quickReplies</c> (text plus options) or <c>card</c>.</summary>
internal sealed record RuleReplyBody(string? Kind, string? Text, IReadOnlyList<QuickReplyOption>? Options, BotCard? Card);

/// <summary>
/// A rule to create or replace: <c>match</c> is <c>keyword</c>, <c>phrase</c> or <c>regex</c>; higher <c>priority</c>
/// is tried first; <c>team</c> (id or name) limits it to conversations of that team.
/// </summary>
internal sealed record RuleRequest(string? SiteKey, string? Team, string? Match, IReadOnlyList<string>? Patterns, int? Priority, bool? Enabled, RuleReplyBody? Reply);

internal sealed record RuleDto(string Id, string SiteId, string? TeamId, string Match, IReadOnlyList<string> Patterns, int Priority, bool Enabled, RuleReplyBody Reply);

/// <summary>
/// <c>mode</c>: <c>auto</c> (bot first when the site has a rule, an FAQ entry or a language model), <c>botFirst</c>,
/// <c>humanFirst</c> or <c>botWhenNoAgent</c>. <c>welcomes</c>: the welcome per language tag (<c>zh-CN</c>, <c>en</c>, …;
/// empty: none in that language); <c>welcome</c>: for the other languages, null for the default text, empty for none.
/// </summary>
internal sealed record BotSettingsRequest(
    string? SiteKey, string? Mode, string? Welcome, int? FailuresBeforeHandoff, string? BotName, IReadOnlyDictionary<string, string?>? Welcomes = null);

/// <summary><c>effectiveMode</c> is what <c>auto</c> means for the site right now.</summary>
internal sealed record BotSettingsDto(
    string SiteId, string Mode, string EffectiveMode, string? Welcome, int FailuresBeforeHandoff, string? BotName, IReadOnlyDictionary<string, string> Welcomes);

/// <summary>
/// Bot activity of conversations started in [from, to): <c>resolutionRate</c> is resolved / conversations (closed
/// without a handoff), <c>handoffRate</c> handedOff / conversations; both 0 without conversations.
/// </summary>
internal sealed record BotNumbersDto(
    DateTimeOffset From, DateTimeOffset To, int Conversations, int Resolved, int HandedOff, double ResolutionRate, double HandoffRate, int Answered, int Unanswered);
