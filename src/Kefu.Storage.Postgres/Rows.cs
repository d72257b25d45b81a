using System.Text.Json;
using Kefu.Core.Storage;
using Npgsql;

namespace Kefu.Storage.Postgres;

/// <summary>Column lists and the mapping from rows to the Core records, shared by readers and the writer.</summary>
internal static class Rows
{
    /// <summary>Conversation columns (alias <c>c</c>); the last seq is the row's own <c>last_seq</c>.</summary>
    public const string ConversationColumns =
        "c.id, c.tenant_id, c.site_id, c.visitor_id, c.team_id, c.status, c.assignee_id, c.assignee_name, c.created_at, c.closed_at, c.last_seq";

    public const string MessageColumns =
        "conversation_id, seq, msg_id, client_msg_id, sender_type, sender_id, sender_name, kind, text, attachment, meta, created_at";

    public const string SiteColumns = "id, tenant_id, site_key, name, allowed_origins, identity_secret, require_identity";

    public const string AgentColumns =
        "id, tenant_id, username, display_name, password_hash, is_admin, max_concurrent, disabled, token_version, must_change_password";

    public const string VisitorColumns = "id, tenant_id, site_id, external_id, name, email, context, created_at";

    public static Conversation Conversation(NpgsqlDataReader r) => new(
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

    public static StoredMessage Message(NpgsqlDataReader r) => Message(r, 0);

    /// <summary>A message whose columns start at <paramref name="at"/>.</summary>
    public static StoredMessage Message(NpgsqlDataReader r, int at) => new(
        r.GetString(at),
        r.GetInt64(at + 1),
        r.GetString(at + 2),
        NullableString(r, at + 3),
        r.GetString(at + 4),
        r.GetString(at + 5),
        NullableString(r, at + 6),
        r.GetString(at + 7),
        NullableString(r, at + 8),
        NullableString(r, at + 9),
        NullableString(r, at + 10),
        Time(r.GetInt64(at + 11)));

    public static Tenant Tenant(NpgsqlDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2));

    public static Site Site(NpgsqlDataReader r) => new(
        r.GetString(0),
        r.GetString(1),
        r.GetString(2),
        r.GetString(3),
        Origins(r.GetString(4)),
        r.GetString(5),
        r.GetBoolean(6));

    public static Team Team(NpgsqlDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetBoolean(3));

    public static Agent Agent(NpgsqlDataReader r) => new(
        r.GetString(0),
        r.GetString(1),
        r.GetString(2),
        r.GetString(3),
        r.GetString(4),
        r.GetBoolean(5),
        r.GetInt32(6),
        r.GetBoolean(7),
        r.GetInt32(8),
        r.GetBoolean(9));

    public static Visitor Visitor(NpgsqlDataReader r) => new(
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

    public static string? NullableString(NpgsqlDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);

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
