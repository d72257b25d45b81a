using System.Buffers;
using System.Text.Json;

namespace Kefu.LoadGen.Protocol;

/// <summary>Writes the client frames the generator sends, straight to UTF-8.</summary>
internal static class OutboundFrames
{
    public static byte[] Hello(string token, IReadOnlyList<(string ConversationId, long AfterSeq)> resume)
        => Write(w =>
        {
            w.WriteString("type"u8, "hello"u8);
            w.WriteString("rid"u8, "hello"u8);
            w.WriteString("token"u8, token);
            if (resume.Count > 0)
            {
                w.WriteStartArray("resume"u8);
                foreach (var (conversationId, afterSeq) in resume)
                {
                    w.WriteStartObject();
                    w.WriteString("conversationId"u8, conversationId);
                    w.WriteNumber("afterSeq"u8, afterSeq);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            w.WriteStartObject("client"u8);
            w.WriteString("name"u8, "kefu-loadgen"u8);
            w.WriteString("version"u8, "1"u8);
            w.WriteEndObject();
        });

    public static byte[] Send(string clientMsgId, string? conversationId, string text)
        => Write(w =>
        {
            w.WriteString("type"u8, "send"u8);
            w.WriteString("rid"u8, clientMsgId);
            w.WriteString("clientMsgId"u8, clientMsgId);
            if (conversationId is not null)
                w.WriteString("conversationId"u8, conversationId);
            w.WriteString("kind"u8, "text"u8);
            w.WriteString("text"u8, text);
        });

    public static byte[] Sync(string conversationId, long afterSeq, int limit)
        => Write(w =>
        {
            w.WriteString("type"u8, "sync"u8);
            w.WriteString("rid"u8, "sync"u8);
            w.WriteString("conversationId"u8, conversationId);
            w.WriteNumber("afterSeq"u8, afterSeq);
            w.WriteNumber("limit"u8, limit);
        });

    /// <summary>The rid carries the send time so the pong measures the round trip.</summary>
    public static byte[] Ping(long sentTicks)
        => Write(w =>
        {
            w.WriteString("type"u8, "ping"u8);
            w.WriteString("rid"u8, "p" + sentTicks.ToString(System.Globalization.CultureInfo.InvariantCulture));
        });

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
