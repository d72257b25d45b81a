using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Kefu.Core.Protocol;

/// <summary>The <c>meta</c> JSON of system <c>event</c> messages, written with proper escaping; every store writes them alike.</summary>
public static class EventMeta
{
    public static string Assigned(string agentId, string agentName)
        => Write(("event", "assigned"), ("agentId", agentId), ("agentName", agentName));

    public static string Closed(string byId, string byType, string? byName)
        => byName is null
            ? Write(("event", "closed"), ("by", byId), ("byType", byType))
            : Write(("event", "closed"), ("by", byId), ("byType", byType), ("byName", byName));

    public static string Reopened(string agentId, string agentName)
        => Write(("event", "reopened"), ("agentId", agentId), ("agentName", agentName));

    /// <summary>A routing event (unassigned, transferred); null values are left out.</summary>
    public static string Of(string name, params ReadOnlySpan<(string Name, string? Value)> properties)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("event", name);
            foreach (var (property, value) in properties)
            {
                if (value is not null)
                {
                    writer.WriteString(property, value);
                }
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string Write(params ReadOnlySpan<(string Name, string Value)> properties)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in properties)
            {
                writer.WriteString(name, value);
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
