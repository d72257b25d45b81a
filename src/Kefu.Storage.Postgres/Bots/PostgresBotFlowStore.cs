using Kefu.Core.Bots;
using Kefu.Core.Storage;
using Kefu.Storage.Postgres.Reading;
using Kefu.Storage.Postgres.Writing;
using Npgsql;

namespace Kefu.Storage.Postgres.Bots;

/// <summary>
/// The bot's settings, rules and sessions. Each write is one statement committed on its own (a rule and its
/// revision bump in one statement), visible to every node at once; the handoff goes through the writer,
/// because it changes a conversation.
/// </summary>
internal sealed class PostgresBotFlowStore(PostgresWriter writer, PostgresReader reader, TimeProvider time) : IBotFlowStore
{
    private const string SettingsColumns = "site_id, mode, welcome, failures_before_handoff, bot_name, updated_at, welcomes";
    private const string RuleColumns = "id, site_id, team_id, match, patterns, reply, priority, enabled";
    private const string SessionColumns = "conversation_id, tenant_id, site_id, team_id, mode, skills, priority, started_at, failures_in_a_row, handed_off_at";

    private const string UpsertSettings =
        "INSERT INTO bot_settings (" + SettingsColumns + ") VALUES ($1, $2, $3, $4, $5, $6, $7) "
        + "ON CONFLICT (site_id) DO UPDATE SET mode = excluded.mode, welcome = excluded.welcome, welcomes = excluded.welcomes, "
        + "failures_before_handoff = excluded.failures_before_handoff, bot_name = excluded.bot_name, updated_at = excluded.updated_at;";

    private const string UpsertRule =
        "WITH saved AS (INSERT INTO bot_rules (" + RuleColumns + ", updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
        + "ON CONFLICT (id) DO UPDATE SET site_id = excluded.site_id, team_id = excluded.team_id, match = excluded.match, "
        + "patterns = excluded.patterns, reply = excluded.reply, priority = excluded.priority, enabled = excluded.enabled, "
        + "updated_at = excluded.updated_at RETURNING 1) "
        + "UPDATE bot_revisions SET revision = revision + (SELECT count(*) FROM saved) WHERE scope = 'rules';";

    private const string DeleteRule =
        "WITH gone AS (DELETE FROM bot_rules WHERE id = $1 RETURNING 1) "
        + "UPDATE bot_revisions SET revision = revision + (SELECT count(*) FROM gone) WHERE scope = 'rules' RETURNING (SELECT count(*) FROM gone);";

    private const string InsertSession =
        "INSERT INTO bot_sessions (conversation_id, tenant_id, site_id, team_id, mode, skills, priority, started_at, last_activity_at) "
        + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) ON CONFLICT (conversation_id) DO NOTHING;";

    private const string RecordTurn =
        "UPDATE bot_sessions SET answered = answered + $2, unanswered = unanswered + $3, failures_in_a_row = $4, last_activity_at = $5 "
        + "WHERE conversation_id = $1;";

    private const string Numbers =
        "SELECT count(*)::int, count(b.handed_off_at)::int, "
        + "count(*) FILTER (WHERE b.handed_off_at IS NULL AND c.status = 'closed')::int, "
        + "COALESCE(sum(b.answered), 0)::int, COALESCE(sum(b.unanswered), 0)::int "
        + "FROM bot_sessions b JOIN conversations c ON c.id = b.conversation_id "
        + "WHERE b.site_id = $1 AND b.started_at >= $2 AND b.started_at < $3;";

    public async Task<BotSiteSettings?> GetSettingsAsync(string siteId, CancellationToken cancellationToken) =>
        await reader.SingleAsync("SELECT " + SettingsColumns + " FROM bot_settings WHERE site_id = $1;", MapSettings, cancellationToken, siteId);

    public async Task SaveSettingsAsync(BotSiteSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        await reader.ExecuteAsync(
            UpsertSettings, cancellationToken,
            settings.SiteId, BotModes.ToWire(settings.Mode), settings.Welcome, settings.FailuresBeforeHandoff, settings.BotName, settings.UpdatedAt.ToUnixTimeMilliseconds(), BotRuleJson.WriteWelcomes(settings.Welcomes));
    }

    public async Task<IReadOnlyList<BotRule>> ListRulesAsync(CancellationToken cancellationToken) =>
        await reader.ListAsync("SELECT " + RuleColumns + " FROM bot_rules ORDER BY id COLLATE \"C\";", MapRule, cancellationToken);

    public async Task<long> GetRulesRevisionAsync(CancellationToken cancellationToken) =>
        (long)(await reader.ScalarAsync("SELECT revision FROM bot_revisions WHERE scope = 'rules';", cancellationToken))!;

    public async Task SaveRuleAsync(BotRule rule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rule);
        string[] patterns = [.. rule.Patterns];
        await reader.ExecuteAsync(
            UpsertRule, cancellationToken,
            rule.Id, rule.SiteId, rule.TeamId, rule.Match.ToString(), patterns, BotRuleJson.WriteReply(rule.Reply), rule.Priority, rule.Enabled,
            time.GetUtcNow().ToUnixTimeMilliseconds());
    }

    public async Task<bool> DeleteRuleAsync(string id, CancellationToken cancellationToken) =>
        (long)(await reader.ScalarAsync(DeleteRule, cancellationToken, id) ?? 0L) > 0;

    public async Task StartSessionAsync(BotSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        await reader.ExecuteAsync(
            InsertSession, cancellationToken,
            session.ConversationId, session.TenantId, session.SiteId, session.TeamId, BotModes.ToWire(session.Mode),
            BotRuleJson.WriteList(session.Skills), session.Priority, session.StartedAt.ToUnixTimeMilliseconds());
    }

    public async Task<BotSession?> GetSessionAsync(string conversationId, CancellationToken cancellationToken) =>
        await reader.SingleAsync("SELECT " + SessionColumns + " FROM bot_sessions WHERE conversation_id = $1;", MapSession, cancellationToken, conversationId);

    public async Task RecordTurnAsync(string conversationId, bool answered, int failuresInARow, CancellationToken cancellationToken) =>
        await reader.ExecuteAsync(
            RecordTurn, cancellationToken, conversationId, answered ? 1 : 0, answered ? 0 : 1, failuresInARow, time.GetUtcNow().ToUnixTimeMilliseconds());

    public Task<Conversation?> HandOffAsync(string conversationId, string reason, CancellationToken cancellationToken) =>
        writer.EnqueueAsync(new PostgresHandOffOp(conversationId, reason, cancellationToken), cancellationToken);

    public Task<Conversation?> ReopenToBotAsync(string conversationId, BotMode mode, RoutingActor by, CancellationToken cancellationToken) =>
        writer.EnqueueAsync(new PostgresReopenToBotOp(conversationId, mode, by, cancellationToken), cancellationToken);

    public async Task<IReadOnlyList<string>> ListWaitingForAgentAsync(string teamId, int limit, CancellationToken cancellationToken) =>
        await reader.ListAsync(
            "SELECT conversation_id FROM bot_sessions WHERE team_id = $1 AND NOT ended AND mode = 'botWhenNoAgent' ORDER BY started_at LIMIT $2;",
            r => r.GetString(0), cancellationToken, teamId, limit);

    public async Task<IReadOnlyList<BotWaitingTeam>> ListWaitingTeamsAsync(CancellationToken cancellationToken) =>
        await reader.ListAsync(
            "SELECT DISTINCT tenant_id, team_id FROM bot_sessions WHERE team_id IS NOT NULL AND NOT ended AND mode = 'botWhenNoAgent';",
            r => new BotWaitingTeam(r.GetString(0), r.GetString(1)), cancellationToken);

    public async Task<IReadOnlyList<string>> ListIdleAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken) =>
        await reader.ListAsync(
            "SELECT conversation_id FROM bot_sessions WHERE NOT ended AND last_activity_at < $1 ORDER BY last_activity_at LIMIT $2;",
            r => r.GetString(0), cancellationToken, before.ToUnixTimeMilliseconds(), limit);

    public async Task EndSessionAsync(string conversationId, CancellationToken cancellationToken) =>
        await reader.ExecuteAsync("UPDATE bot_sessions SET ended = true WHERE conversation_id = $1;", cancellationToken, conversationId);

    public async Task<BotNumbers> GetNumbersAsync(string siteId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken) =>
        (await reader.SingleAsync(
            Numbers,
            r => new BotNumbers(r.GetInt32(0), r.GetInt32(1), r.GetInt32(2), r.GetInt32(3), r.GetInt32(4)),
            cancellationToken,
            siteId, since.ToUnixTimeMilliseconds(), until.ToUnixTimeMilliseconds()))!;

    private static BotSiteSettings MapSettings(NpgsqlDataReader r) => new(
        r.GetString(0),
        BotModes.FromWire(r.IsDBNull(1) ? null : r.GetString(1)),
        r.IsDBNull(2) ? null : r.GetString(2),
        r.GetInt32(3),
        r.IsDBNull(4) ? null : r.GetString(4),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5)),
        BotRuleJson.ReadWelcomes(r.IsDBNull(6) ? null : r.GetString(6)));

    private static BotRule MapRule(NpgsqlDataReader r) => new(
        r.GetString(0),
        Enum.Parse<RuleMatchKind>(r.GetString(3)),
        r.GetFieldValue<string[]>(4),
        BotRuleJson.ReadReply(r.GetString(5)),
        r.GetInt32(6),
        r.GetString(1),
        r.IsDBNull(2) ? null : r.GetString(2),
        r.GetBoolean(7));

    private static BotSession MapSession(NpgsqlDataReader r) => new(
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
