using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Kefu.Core.Protocol;
using Kefu.Core.Storage;
using Kefu.Server.Uploads;

namespace Kefu.Server.Realtime;

/// <summary>
/// Serializes server frames to UTF-8 once. Message frames are written by hand so the stored attachment and
/// meta JSON go out as they are, without being parsed again; an attachment gets its signed links here, once
/// per frame (every recipient of the frame gets the same links).
/// </summary>
internal static class FrameSerializer
{
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };

    public static byte[] Serialize<T>(T frame, JsonTypeInfo<T> typeInfo) => JsonSerializer.SerializeToUtf8Bytes(frame, typeInfo);

    public static byte[] Error(string? rid, string code, string message) =>
        Serialize(new ErrorFrame(rid, code, message), ProtocolJsonContext.Default.ErrorFrame);

    public static byte[] Message(StoredMessage message, AttachmentWriter attachments)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            WriteMessage(writer, message, attachments, withType: true);
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] Messages(string? rid, string conversationId, IReadOnlyList<StoredMessage> items, bool hasMore, AttachmentWriter attachments)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + (items.Count * 200));
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, FrameTypes.Messages);
            if (rid is not null)
            {
                writer.WriteString("rid"u8, rid);
            }
            writer.WriteString("conversationId"u8, conversationId);
            writer.WriteStartArray("items"u8);
            foreach (var item in items)
            {
                WriteMessage(writer, item, attachments, withType: false);
            }
            writer.WriteEndArray();
            writer.WriteBoolean("hasMore"u8, hasMore);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteMessage(Utf8JsonWriter writer, StoredMessage m, AttachmentWriter attachments, bool withType)
    {
        writer.WriteStartObject();
        if (withType)
        {
            writer.WriteString("type"u8, FrameTypes.Message);
        }
        writer.WriteString("conversationId"u8, m.ConversationId);
        writer.WriteNumber("seq"u8, m.Seq);
        writer.WriteString("msgId"u8, m.MsgId);
        if (m.ClientMsgId is not null)
        {
            writer.WriteString("clientMsgId"u8, m.ClientMsgId);
        }
        writer.WriteStartObject("sender"u8);
        writer.WriteString("type"u8, m.SenderType);
        writer.WriteString("id"u8, m.SenderId);
        if (m.SenderName is not null)
        {
            writer.WriteString("name"u8, m.SenderName);
        }
        writer.WriteEndObject();
        writer.WriteString("kind"u8, m.Kind);
        if (m.Text is not null)
        {
            writer.WriteString("text"u8, m.Text);
        }
        if (m.AttachmentJson is not null)
        {
            writer.WritePropertyName("attachment"u8);
            attachments.Write(writer, m.AttachmentJson);
        }
        if (m.MetaJson is not null)
        {
            writer.WritePropertyName("meta"u8);
            writer.WriteRawValue(m.MetaJson, skipInputValidation: true);
        }
        writer.WriteString("createdAt"u8, m.CreatedAt.UtcDateTime);
        writer.WriteEndObject();
    }
}
