using System.Buffers;
using System.Text;
using System.Text.Json;
using Kefu.Core.Storage;
using Npgsql;

namespace Kefu.Storage.Postgres;

/// <summary>Columns and mappings of the routing rows: teams with settings, agents with teams and skills.</summary>
internal static class RoutingRows
{
    public const string TeamColumns = "id, tenant_id, name, is_default, strategy, skill_timeout_seconds";

    /// <summary>Agent columns of table <c>agents</c> (alias <c>a</c>), then skills, then team ids as an array.</summary>
    public const string AgentProfileColumns =
        "a.id, a.tenant_id, a.username, a.display_name, a.password_hash, a.is_admin, a.max_concurrent, a.disabled, a.token_version, a.must_change_password, "
        + "a.skills, ARRAY(SELECT tm.team_id FROM team_members tm WHERE tm.agent_id = a.id ORDER BY tm.team_id COLLATE \"C\")";

    public static TeamProfile Team(NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetBoolean(3), r.GetString(4), r.GetInt32(5));

    public static AgentRecord AgentRecord(NpgsqlDataReader r)
    {
        var teams = r.GetFieldValue<string[]>(11);
        Array.Sort(teams, StringComparer.Ordinal);
        return new AgentRecord(Rows.Agent(r), teams, Strings(r.GetString(10)));
    }

    public static IReadOnlyList<string> Strings(string json)
    {
        using var document = JsonDocument.Parse(json);
        var items = new List<string>(document.RootElement.GetArrayLength());
        foreach (var element in document.RootElement.EnumerateArray())
        {
            items.Add(element.GetString() ?? string.Empty);
        }
        return items;
    }

    public static string Json(IReadOnlyList<string>? items)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var item in items ?? [])
            {
                writer.WriteStringValue(item);
            }
            writer.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
