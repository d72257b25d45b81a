using System.Buffers;
using System.Text;
using System.Text.Json;
using Kefu.Core.Bots;
using Kefu.Core.Protocol;
using Kefu.Core.Storage;

namespace Kefu.Server.Bots;

/// <summary>
/// Turns bot replies into stored messages (sender type <c>bot</c>). Each reply to a visitor message uses the
/// client id <c>bot:&lt;msgId&gt;</c>, so the store keeps at most one, whichever node or path writes it.
/// </summary>
internal static class BotMessages
{
    public const string SenderId = SenderTypes.Bot;

    public static string ReplyKey(StoredMessage question) => "bot:" + question.MsgId;

    public static NewMessage From(string conversationId, string clientMsgId, string senderName, BotReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        return reply.Kind switch
        {
            BotReplyKind.QuickReplies => new NewMessage(
                conversationId, SenderTypes.Bot, SenderId, senderName, clientMsgId, MessageKinds.QuickReplies, reply.Text, null, OptionsMeta(reply.Options)),
            BotReplyKind.Card when reply.Card is { } card => new NewMessage(
                conversationId, SenderTypes.Bot, SenderId, senderName, clientMsgId, MessageKinds.Card, reply.Text ?? card.Title, null, CardMeta(card)),
            _ => Text(conversationId, clientMsgId, senderName, reply.Text ?? ""),
        };
    }

    public static NewMessage Text(string conversationId, string clientMsgId, string senderName, string text) =>
        new(conversationId, SenderTypes.Bot, SenderId, senderName, clientMsgId, MessageKinds.Text, text, null, null);

    public static NewMessage WithOptions(string conversationId, string clientMsgId, string senderName, string text, IReadOnlyList<QuickReplyOption> options) =>
        new(conversationId, SenderTypes.Bot, SenderId, senderName, clientMsgId, MessageKinds.QuickReplies, text, null, OptionsMeta(options));

    /// <summary>True for the leave-a-message form (<c>meta.leaveMessage = true</c>): it is for people, not the bot.</summary>
    public static bool IsLeftMessage(string? metaJson) => HasFlag(metaJson, "leaveMessage");

    /// <summary>True when the visitor picked the bot's "talk to a person" button (<c>meta.quickReply = "handoff"</c>).</summary>
    public static bool IsHandoffPick(string? metaJson)
    {
        if (string.IsNullOrEmpty(metaJson))
        {
            return false;
        }
        try
        {
            using var document = JsonDocument.Parse(metaJson);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("quickReply", out var payload)
                && payload.ValueKind == JsonValueKind.String
                && payload.ValueEquals(QuickReplyPayload.Handoff);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool HasFlag(string? metaJson, string name)
    {
        if (string.IsNullOrEmpty(metaJson))
        {
            return false;
        }
        try
        {
            using var document = JsonDocument.Parse(metaJson);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty(name, out var flag)
                && flag.ValueKind == JsonValueKind.True;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string OptionsMeta(IReadOnlyList<QuickReplyOption> options) => Write(writer =>
    {
        writer.WriteStartArray("options");
        foreach (var option in options)
        {
            writer.WriteStartObject();
            writer.WriteString("label", option.Label);
            writer.WriteString("value", option.Value);
            if (QuickReplyPayload.IsValid(option.Payload))
            {
                writer.WriteString("payload", option.Payload);
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    });

    private static string CardMeta(BotCard card) => Write(writer =>
    {
        writer.WriteString("title", card.Title);
        if (card.Description is not null)
        {
            writer.WriteString("description", card.Description);
        }
        if (card.ImageUrl is not null)
        {
            writer.WriteString("imageUrl", card.ImageUrl);
        }
        if (card.Url is not null)
        {
            writer.WriteString("url", card.Url);
        }
    });

    private static string Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
