using System.Buffers;
using System.Text.Json;
using Kefu.Server.Realtime;

namespace Kefu.Server.Visitors;

/// <summary>
/// The page a visitor is on, as the agent's visitor panel shows it: the known fields the client reports,
/// capped in length, plus what the server itself saw (address, user agent). Unknown fields are dropped.
/// </summary>
internal static class VisitorContext
{
    private const int MaxFieldLength = 2048;
    private static readonly string[] Fields = ["pageUrl", "referrer", "title", "locale"];

    public static string Merge(JsonElement? reported, ClientConnection connection) =>
        Merge(reported, connection.RemoteAddress, connection.UserAgent);

    public static JsonElement Parse(string contextJson)
    {
        using var document = JsonDocument.Parse(contextJson);
        return document.RootElement.Clone();
    }

    public static string Merge(JsonElement? reported, string? ip, string? userAgent)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (reported is { ValueKind: JsonValueKind.Object } context)
            {
                foreach (var field in Fields)
                {
                    if (context.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String)
                    {
                        var text = value.GetString()!;
                        writer.WriteString(field, text.Length > MaxFieldLength ? text[..MaxFieldLength] : text);
                    }
                }
            }
            if (ip is not null)
            {
                writer.WriteString("ip", ip);
            }
            if (userAgent is not null)
            {
                writer.WriteString("userAgent", userAgent);
            }
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
