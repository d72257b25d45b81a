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
    private const int InitialBufferBytes = 4096;
    private const int MaxRetainedBytes = 64 * 1024;
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public static byte[] Serialize<T>(T frame, JsonTypeInfo<T> typeInfo) => JsonSerializer.SerializeToUtf8Bytes(frame, typeInfo);

    public static byte[] Error(string? rid, string code, string message) =>
        Serialize(new ErrorFrame(rid, code, message), ProtocolJsonContext.Default.ErrorFrame);

    public static byte[] Message(StoredMessage message, AttachmentWriter attachments)
    {
        var writer = RentWriter(out var buffer);
        WriteMessage(writer, message, attachments, withType: true);
        return Finish(writer, buffer);
    }

    public static byte[] Messages(string? rid, string conversationId, IReadOnlyList<StoredMessage> items, bool hasMore, AttachmentWriter attachments)
    {
        var writer = RentWriter(out var buffer);
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
        return Finish(writer, buffer);
    }

    /// <summary>
    /// This thread's writer over its reused buffer. A writer asks for room for the worst case of every string it
    /// writes (each character escaped), so a fresh buffer per frame grew to several KiB for a frame of a few
    /// hundred bytes; kept per thread, only the frame's exact bytes are allocated.
    /// </summary>
    private static Utf8JsonWriter RentWriter(out ArrayBufferWriter<byte> buffer)
    {
        buffer = t_buffer ??= new ArrayBufferWriter<byte>(InitialBufferBytes);
        buffer.ResetWrittenCount();
        if (t_writer is { } writer)
        {
            writer.Reset(buffer);
            return writer;
        }
        return t_writer = new Utf8JsonWriter(buffer, WriterOptions);
    }

    private static byte[] Finish(Utf8JsonWriter writer, ArrayBufferWriter<byte> buffer)
    {
        writer.Flush();
        var bytes = buffer.WrittenSpan.ToArray();
        if (buffer.Capacity > MaxRetainedBytes)
        {
            // A long history page: let its buffer go rather than hold it on this thread.
            t_buffer = null;
            t_writer = null;
        }
        return bytes;
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
