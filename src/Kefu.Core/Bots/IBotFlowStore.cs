using Kefu.Core.Storage;

namespace Kefu.Core.Bots;

/// <summary>
/// Persistence of the bot's conversation flow: site settings, rules, and one session per bot-served
/// conversation. Every node reads and writes here, so a handoff, a rule change or a setting applies on
/// all of them. Thread-safe.
/// </summary>
public interface IBotFlowStore
{
    Task<BotSiteSettings?> GetSettingsAsync(string siteId, CancellationToken cancellationToken);

    Task SaveSettingsAsync(BotSiteSettings settings, CancellationToken cancellationToken);

    /// <summary>Every rule of every site (the bot compiles them once per revision).</summary>
    Task<IReadOnlyList<BotRule>> ListRulesAsync(CancellationToken cancellationToken);

    /// <summary>Grows with every rule change; a node reloads its rules when it differs from what it loaded.</summary>
    Task<long> GetRulesRevisionAsync(CancellationToken cancellationToken);

    /// <summary>Adds the rule or replaces the one with the same id.</summary>
    Task SaveRuleAsync(BotRule rule, CancellationToken cancellationToken);

    Task<bool> DeleteRuleAsync(string id, CancellationToken cancellationToken);

    /// <summary>Records a session; a second one for the same conversation is ignored.</summary>
    Task StartSessionAsync(BotSession session, CancellationToken cancellationToken);

    Task<BotSession?> GetSessionAsync(string conversationId, CancellationToken cancellationToken);

    /// <summary>Counts one answered or unanswered visitor question and stores the failures in a row.</summary>
    Task RecordTurnAsync(string conversationId, bool answered, int failuresInARow, CancellationToken cancellationToken);

    /// <summary>
    /// Moves a conversation from <c>bot</c> to <c>queued</c> with a <c>handoff</c> event (meta <c>reason</c>) in
    /// one commit, and marks its session handed off. Null when it is not in <c>bot</c> status (handed off already).
    /// </summary>
    Task<Conversation?> HandOffAsync(string conversationId, string reason, CancellationToken cancellationToken);

    /// <summary>
    /// Reopens a closed conversation back to the bot (status <c>bot</c> with a <c>reopened</c> event by
    /// <paramref name="by"/>, in one commit) and resumes its session in <paramref name="mode"/> with no failures. Null
    /// when it is not closed, has no bot session, was handed off, or its visitor has another conversation open.
    /// </summary>
    Task<Conversation?> ReopenToBotAsync(string conversationId, BotMode mode, RoutingActor by, CancellationToken cancellationToken);

    /// <summary>Bot-served conversations in <paramref name="teamId"/> started in <see cref="BotMode.BotWhenNoAgent"/>.</summary>
    Task<IReadOnlyList<string>> ListWaitingForAgentAsync(string teamId, int limit, CancellationToken cancellationToken);

    /// <summary>The teams (with their tenant) that have bot-served conversations started in <see cref="BotMode.BotWhenNoAgent"/>.</summary>
    Task<IReadOnlyList<BotWaitingTeam>> ListWaitingTeamsAsync(CancellationToken cancellationToken);

    /// <summary>Sessions not ended (neither handed off nor closed) with no visitor question since <paramref name="before"/>.</summary>
    Task<IReadOnlyList<string>> ListIdleAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken);

    /// <summary>Marks a session ended without a handoff (its conversation was closed).</summary>
    Task EndSessionAsync(string conversationId, CancellationToken cancellationToken);

    Task<BotNumbers> GetNumbersAsync(string siteId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken);
}
