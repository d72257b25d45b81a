using Kefu.Core.Bots;
using Kefu.Core.Storage;
using Kefu.Storage.Sqlite.Reading;
using Kefu.Storage.Sqlite.Writing;
using Microsoft.Data.Sqlite;

namespace Kefu.Storage.Sqlite.Bots;

/// <summary>The bot's settings, rules and sessions: written through the store's writer, read from pooled connections.</summary>
internal sealed class SqliteBotFlowStore(SqliteWriter writer, SqliteReader reader, TimeProvider time) : IBotFlowStore
{
    private const string SettingsColumns = "site_id, mode, welcome, failures_before_handoff, bot_name, updated_at, welcomes";
    private const string RuleColumns = "id, site_id, team_id, match, patterns, reply, priority, enabled";
    private const string SessionColumns = "conversation_id, tenant_id, site_id, team_id, mode, skills, priority, started_at, failures_in_a_row, handed_off_at";

    private const string UpsertSettings =
        "INSERT INTO bot_settings (" + SettingsColumns + ") VALUES ($1, $2, $3, $4, $5, $6, $7) "
        + "ON CONFLICT (site_id) DO UPDATE SET mode = excluded.mode, welcome = excluded.welcome, welcomes = excluded.welcomes, "
        + "failures_before_handoff = excluded.failures_before_handoff, bot_name = excluded.bot_name, updated_at = excluded.updated_at;";

    private const string UpsertRule =
        "INSERT INTO bot_rules (" + RuleColumns + ", updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
        + "ON CONFLICT (id) DO UPDATE SET site_id = excluded.site_id, team_id = excluded.team_id, match = excluded.match, "
        + "patterns = excluded.patterns, reply = excluded.reply, priority = excluded.priority, enabled = excluded.enabled, updated_at = excluded.updated_at;";

    private const string BumpRules = "UPDATE bot_revisions SET revision = revision + 1 WHERE scope = 'rules';";

    private const string InsertSession =
        "INSERT INTO bot_sessions (conversation_id, tenant_id, site_id, team_id, mode, skills, priority, started_at, last_activity_at) "
        + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) ON CONFLICT (conversation_id) DO NOTHING;";

    private const string RecordTurn =
        "UPDATE bot_sessions SET answered = answered + $2, unanswered = unanswered + $3, failures_in_a_row = $4, last_activity_at = $5 "
        + "WHERE conversation_id = $1;";

    private const string Numbers =
        "SELECT COUNT(*), COUNT(b.handed_off_at), "
        + "COALESCE(SUM(CASE WHEN b.handed_off_at IS NULL AND c.status = 'closed' THEN 1 ELSE 0 END), 0), "
        + "COALESCE(SUM(b.answered), 0), COALESCE(SUM(b.unanswered), 0) "
        + "FROM bot_sessions b JOIN conversations c ON c.id = b.conversation_id "
        + "WHERE b.site_id = $site AND b.started_at >= $from AND b.started_at < $to;";

    public async Task<BotSiteSettings?> GetSettingsAsync(string siteId, CancellationToken cancellationToken) =>
        await reader.SingleAsync("SELECT " + SettingsColumns + " FROM bot_settings WHERE site_id = $site;", p => p.AddWithValue("$site", siteId), MapSettings, cancellationToken);

    public async Task SaveSettingsAsync(BotSiteSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        await writer.EnqueueAsync(
            new SqlOp<int>(
                s => s.Execute(UpsertSettings, settings.SiteId, BotModes.ToWire(settings.Mode), settings.Welcome, settings.FailuresBeforeHandoff, settings.BotName, settings.UpdatedAt.ToUnixTimeMilliseconds(), BotRuleJson.WriteWelcomes(settings.Welcomes)),
                cancellationToken),
            cancellationToken);
    }

    public async Task<IReadOnlyList<BotRule>> ListRulesAsync(CancellationToken cancellationToken) =>
        await reader.ListAsync("SELECT " + RuleColumns + " FROM bot_rules ORDER BY id;", _ => { }, MapRule, cancellationToken);

    public async Task<long> GetRulesRevisionAsync(CancellationToken cancellationToken) =>
        (long)(await reader.ScalarAsync("SELECT revision FROM bot_revisions WHERE scope = 'rules';", _ => { }, cancellationToken))!;

    public async Task SaveRuleAsync(BotRule rule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var patterns = BotRuleJson.WriteList(rule.Patterns);
        var reply = BotRuleJson.WriteReply(rule.Reply);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await writer.EnqueueAsync(
            new SqlOp<int>(
                s =>
                {
                    s.Execute(UpsertRule, rule.Id, rule.SiteId, rule.TeamId, rule.Match.ToString(), patterns, reply, rule.Priority, rule.Enabled ? 1 : 0, now);
                    return s.Execute(BumpRules);
                },
                cancellationToken),
            cancellationToken);
    }

    public async Task<bool> DeleteRuleAsync(string id, CancellationToken cancellationToken) =>
        await writer.EnqueueAsync(
            new SqlOp<int>(s => s.Execute("DELETE FROM bot_rules WHERE id = $1;", id) > 0 ? s.Execute(BumpRules) : 0, cancellationToken),
            cancellationToken) > 0;

    public async Task StartSessionAsync(BotSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        await writer.EnqueueAsync(
            new SqlOp<int>(
                s => s.Execute(
                    InsertSession, session.ConversationId, session.TenantId, session.SiteId, session.TeamId, BotModes.ToWire(session.Mode),
                    BotRuleJson.WriteList(session.Skills), session.Priority, session.StartedAt.ToUnixTimeMilliseconds()),
                cancellationToken),
            cancellationToken);
    }

    public async Task<BotSession?> GetSessionAsync(string conversationId, CancellationToken cancellationToken) =>
        await reader.SingleAsync("SELECT " + SessionColumns + " FROM bot_sessions WHERE conversation_id = $id;", p => p.AddWithValue("$id", conversationId), MapSession, cancellationToken);

    public async Task RecordTurnAsync(string conversationId, bool answered, int failuresInARow, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await writer.EnqueueAsync(
            new SqlOp<int>(s => s.Execute(RecordTurn, conversationId, answered ? 1 : 0, answered ? 0 : 1, failuresInARow, now), cancellationToken),
            cancellationToken);
    }

    public Task<Conversation?> HandOffAsync(string conversationId, string reason, CancellationToken cancellationToken) =>
        writer.EnqueueAsync(new SqliteHandOffOp(conversationId, reason, cancellationToken), cancellationToken);

    public Task<Conversation?> ReopenToBotAsync(string conversationId, BotMode mode, RoutingActor by, CancellationToken cancellationToken) =>
        writer.EnqueueAsync(new SqliteReopenToBotOp(conversationId, mode, by, cancellationToken), cancellationToken);

    public async Task<IReadOnlyList<string>> ListWaitingForAgentAsync(string teamId, int limit, CancellationToken cancellationToken) =>
        await reader.ListAsync(
            "SELECT conversation_id FROM bot_sessions WHERE team_id = $team AND ended = 0 AND mode = 'botWhenNoAgent' ORDER BY started_at LIMIT $limit;",
            p =>
            {
                p.AddWithValue("$team", teamId);
                p.AddWithValue("$limit", limit);
            },
            r => r.GetString(0),
            cancellationToken);

    public async Task<IReadOnlyList<BotWaitingTeam>> ListWaitingTeamsAsync(CancellationToken cancellationToken) =>
        await reader.ListAsync(
            "SELECT DISTINCT tenant_id, team_id FROM bot_sessions WHERE team_id IS NOT NULL AND ended = 0 AND mode = 'botWhenNoAgent';",
            _ => { },
            r => new BotWaitingTeam(r.GetString(0), r.GetString(1)),
            cancellationToken);

    public async Task<IReadOnlyList<string>> ListIdleAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken) =>
        await reader.ListAsync(
            "SELECT conversation_id FROM bot_sessions WHERE ended = 0 AND last_activity_at < $before ORDER BY last_activity_at LIMIT $limit;",
            p =>
            {
                p.AddWithValue("$before", before.ToUnixTimeMilliseconds());
                p.AddWithValue("$limit", limit);
            },
            r => r.GetString(0),
            cancellationToken);

    public async Task EndSessionAsync(string conversationId, CancellationToken cancellationToken) =>
        await writer.EnqueueAsync(
            new SqlOp<int>(s => s.Execute("UPDATE bot_sessions SET ended = 1 WHERE conversation_id = $1;", conversationId), cancellationToken),
            cancellationToken);

    public async Task<BotNumbers> GetNumbersAsync(string siteId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken) =>
        (await reader.SingleAsync(
            Numbers,
            p =>
            {
                p.AddWithValue("$site", siteId);
                p.AddWithValue("$from", since.ToUnixTimeMilliseconds());
                p.AddWithValue("$to", until.ToUnixTimeMilliseconds());
            },
            r => new BotNumbers(r.GetInt32(0), r.GetInt32(1), r.GetInt32(2), r.GetInt32(3), r.GetInt32(4)),
            cancellationToken))!;

    private static BotSiteSettings MapSettings(SqliteDataReader r) => new(
        r.GetString(0),
        BotModes.FromWire(r.IsDBNull(1) ? null : r.GetString(1)),
        r.IsDBNull(2) ? null : r.GetString(2),
        r.GetInt32(3),
        r.IsDBNull(4) ? null : r.GetString(4),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5)),
        BotRuleJson.ReadWelcomes(r.IsDBNull(6) ? null : r.GetString(6)));

    private static BotRule MapRule(SqliteDataReader r) => new(
        r.GetString(0),
        Enum.Parse<RuleMatchKind>(r.GetString(3)),
        BotRuleJson.ReadList(r.GetString(4)),
        BotRuleJson.ReadReply(r.GetString(5)),
        r.GetInt32(6),
        r.GetString(1),
        r.IsDBNull(2) ? null : r.GetString(2),
        r.GetInt64(7) != 0);

    private static BotSession MapSession(SqliteDataReader r) => new(
        r.GetString(0),
        r.GetString(1),
        r.GetString(2),
        r.IsDBNull(3) ? null : r.GetString(3),
        BotModes.FromWire(r.GetString(4)) ?? BotMode.BotFirst,
        BotRuleJson.ReadList(r.GetString(5)),
        r.GetInt32(6),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(7)),
        r.GetInt32(8),
        r.IsDBNull(9) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(9)));
}
