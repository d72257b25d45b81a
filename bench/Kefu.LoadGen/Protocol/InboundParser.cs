using System.Text.Json;

namespace Kefu.LoadGen.Protocol;

/// <summary>
/// Reads server frames with a forward-only <see cref="Utf8JsonReader"/>: the generator parses tens of thousands
/// of frames a second on cores it shares with the server, so it skips what it does not need.
/// </summary>
internal static class InboundParser
{
    public static InboundFrame Parse(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException("A frame must be a JSON object");
        return ReadObject(ref reader);
    }

    private static InboundFrame ReadObject(ref Utf8JsonReader reader)
    {
        var frame = new InboundFrame();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8)) frame.Type = ReadString(ref reader);
            else if (reader.ValueTextEquals("rid"u8)) frame.Rid = ReadString(ref reader);
            else if (reader.ValueTextEquals("conversationId"u8)) frame.ConversationId = ReadString(ref reader);
            else if (reader.ValueTextEquals("seq"u8)) frame.Seq = ReadLong(ref reader);
            else if (reader.ValueTextEquals("msgId"u8)) frame.MsgId = ReadString(ref reader);
            else if (reader.ValueTextEquals("clientMsgId"u8)) frame.ClientMsgId = ReadString(ref reader);
            else if (reader.ValueTextEquals("kind"u8)) frame.Kind = ReadString(ref reader);
            else if (reader.ValueTextEquals("text"u8)) frame.Text = ReadString(ref reader);
            else if (reader.ValueTextEquals("status"u8)) frame.Status = ReadString(ref reader);
            else if (reader.ValueTextEquals("lastSeq"u8)) frame.LastSeq = ReadLong(ref reader);
            else if (reader.ValueTextEquals("hasMore"u8)) frame.HasMore = ReadBool(ref reader);
            else if (reader.ValueTextEquals("userId"u8)) frame.UserId = ReadString(ref reader);
            else if (reader.ValueTextEquals("code"u8)) frame.Code = ReadCode(ref reader);
            else if (reader.ValueTextEquals("message"u8)) frame.Message = ReadString(ref reader);
            else if (reader.ValueTextEquals("heartbeatSeconds"u8)) frame.HeartbeatSeconds = (int)ReadLong(ref reader);
            else if (reader.ValueTextEquals("sender"u8)) ReadParty(ref reader, out var senderType, out var senderId, frame, isSender: true);
            else if (reader.ValueTextEquals("assignee"u8)) ReadParty(ref reader, out _, out _, frame, isSender: false);
            else if (reader.ValueTextEquals("conversations"u8) || reader.ValueTextEquals("items"u8)) frame.Items = ReadArray(ref reader);
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return frame;
    }

    private static void ReadParty(ref Utf8JsonReader reader, out string? type, out string? id, InboundFrame frame, bool isSender)
    {
        type = null;
        id = null;
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8)) type = ReadString(ref reader);
            else if (reader.ValueTextEquals("id"u8)) id = ReadString(ref reader);
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (isSender)
        {
            frame.SenderType = type;
            frame.SenderId = id;
        }
        else
        {
            frame.AssigneeId = id;
        }
    }

    private static List<InboundFrame>? ReadArray(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return null;
        }

        var items = new List<InboundFrame>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.StartObject)
                items.Add(ReadObject(ref reader));
            else
                reader.Skip();
        }

        return items;
    }

    private static string? ReadString(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
            return reader.GetString();
        reader.Skip();
        return null;
    }

    // "code" is a string in error frames and may be a number elsewhere; keep it as text either way.
    private static string? ReadCode(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Number => reader.GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => SkipNull(ref reader),
        };
    }

    private static string? SkipNull(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return null;
    }

    private static long ReadLong(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value))
            return value;
        reader.Skip();
        return 0;
    }

    private static bool ReadBool(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.True;
    }
}
