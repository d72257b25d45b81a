using System.Buffers;
using System.Text;
using System.Text.Json;
using Kefu.Core.Bots;

namespace Kefu.Server.Realtime;

/// <summary>
/// The part of a visitor's <c>send.meta</c> the server keeps: <c>quickReply</c>, the payload of the quick-reply button
/// picked (a short token, see <see cref="QuickReplyPayload"/>). Everything else, and a payload that is not a valid
/// token, is dropped without an error (older servers dropped all of it), so the message is stored as plain text.
/// </summary>
internal static class VisitorMeta
{
    public const string QuickReply = "quickReply";

    /// <returns>The meta to store, or null.</returns>
    public static string? From(JsonElement? meta)
    {
        if (meta is not { ValueKind: JsonValueKind.Object } m
            || !m.TryGetProperty(QuickReply, out var value)
            || value.ValueKind != JsonValueKind.String
            || value.GetString() is not { } payload
            || !QuickReplyPayload.IsValid(payload))
        {
            return null;
        }
        var buffer = new ArrayBufferWriter<byte>(QuickReplyPayload.MaxLength + 20);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString(QuickReply, payload);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
