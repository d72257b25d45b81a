using System.Text.Json;
using Kefu.Core.Storage;
using Microsoft.Data.Sqlite;

namespace Kefu.Storage.Sqlite;

/// <summary>Column lists and the mapping from rows to the Core records, shared by readers and the writer.</summary>
internal static class Rows
{
    /// <summary>Conversation columns (alias <c>c</c>) plus its last seq, derived from the messages' primary key.</summary>
    public const string ConversationColumns =
        "c.id, c.tenant_id, c.site_id, c.visitor_id, c.team_id, c.status, c.assignee_id, c.assignee_name, c.created_at, c.closed_at, "
        + "COALESCE((SELECT MAX(m.seq) FROM messages m WHERE m.conversation_id = c.id), 0)";

    public const string MessageColumns =
        "conversation_id, seq, msg_id, client_msg_id, sender_type, sender_id, sender_name, kind, text, attachment, meta, created_at";

    public const string SiteColumns = "id, tenant_id, site_key, name, allowed_origins, identity_secret, require_identity";

    public const string AgentColumns =
        "id, tenant_id, username, display_name, password_hash, is_admin, max_concurrent, disabled, token_version, must_change_password";

    public const string VisitorColumns = "id, tenant_id, site_id, external_id, name, email, context, created_at";

    public static Conversation Conversation(SqliteDataReader r) => new(
        r.GetString(0),
        r.GetString(1),
        r.GetString(2),
        r.GetString(3),
        NullableString(r, 4),
        r.GetString(5),
        NullableString(r, 6),
        NullableString(r, 7),
        r.GetInt64(10),
        Time(r.GetInt64(8)),
        r.IsDBNull(9) ? null : Time(r.GetInt64(9)));

    public static StoredMessage Message(SqliteDataReader r) => new(
        r.GetString(0),
        r.GetInt64(1),
        r.GetString(2),
        NullableString(r, 3),
        r.GetString(4),
        r.GetString(5),
        NullableString(r, 6),
        r.GetString(7),
        NullableString(r, 8),
        NullableString(r, 9),
        NullableString(r, 10),
        Time(r.GetInt64(11)));

    public static Tenant Tenant(SqliteDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2));

    public static Site Site(SqliteDataReader r) => new(
        r.GetString(0),
        r.GetString(1),
        r.GetString(2),
        r.GetString(3),
        Origins(r.GetString(4)),
        r.GetString(5),
        r.GetInt64(6) != 0);

    public static Team Team(SqliteDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3) != 0);

    public static Agent Agent(SqliteDataReader r) => new(
        r.GetString(0),
        r.GetString(1),
        r.GetString(2),
        r.GetString(3),
        r.GetString(4),
        r.GetInt64(5) != 0,
        r.GetInt32(6),
        r.GetInt64(7) != 0,
        r.GetInt32(8),
        r.GetInt64(9) != 0);

    public static Visitor Visitor(SqliteDataReader r) => new(
        r.GetString(0),
        r.GetString(1),
        r.GetString(2),
        NullableString(r, 3),
        NullableString(r, 4),
        NullableString(r, 5),
        NullableString(r, 6),
        Time(r.GetInt64(7)));

    /// <summary>Stored times are unix milliseconds; values handed out are truncated the same way so they compare equal.</summary>
    public static DateTimeOffset Time(long unixMilliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds);

    public static long Millis(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static object Db(string? value) => value is null ? DBNull.Value : value;

    private static string? NullableString(SqliteDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);

    private static string[] Origins(string json)
    {
        using var document = JsonDocument.Parse(json);
        var origins = new string[document.RootElement.GetArrayLength()];
        var i = 0;
        foreach (var element in document.RootElement.EnumerateArray())
        {
            origins[i++] = element.GetString() ?? string.Empty;
        }
        return origins;
    }
}
