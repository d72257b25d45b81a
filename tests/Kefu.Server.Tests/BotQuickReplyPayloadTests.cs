using Kefu.Server.Tests.Infrastructure;
using Kefu.Server.Tests.Routing;

namespace Kefu.Server.Tests;

/// <summary>
/// The bot's "talk to a person" button carries a payload; a visitor's pick sends it as <c>meta.quickReply</c> and is
/// recognised by it, whatever the words. Any other visitor meta, or a payload that is not a short token, is dropped.
/// </summary>
public sealed class BotQuickReplyPayloadTests
{
    [Fact]
    public async Task The_handoff_button_is_recognised_by_its_payload_and_other_visitor_meta_is_dropped()
    {
        await using var server = await ServerProcess.StartAsync();
        var admin = await server.AdminTokenAsync();
        await RoutingApi.SendAsync(server, HttpMethod.Put, "api/v1/bot/settings", admin, new { mode = "botFirst", welcome = "", failuresBeforeHandoff = 10 });

        var (visitor, ack) = await BotFlowApi.VisitorAsync(server, "qwertyuiop zxcvbnm");
        await using var _ = visitor;
        var conversationId = (string)ack["conversationId"]!;
        var unknown = await BotFlowApi.BotReplyAsync(visitor, (long)ack["seq"]!);
        Assert.Equal("quickReplies", (string?)unknown["kind"]);
        var button = unknown["meta"]!["options"]!.AsArray().Single()!;
        Assert.Equal("handoff", (string?)button["payload"]);

        // A bad payload and unknown fields are dropped: the words alone are a question, which the bot answers.
        var plain = await SendAsync(visitor, conversationId, "asdfghjkl", new { quickReply = "hand off!", color = "red" });
        var stored = (await BotFlowApi.HistoryAsync(visitor, conversationId)).Single(m => (long)m["seq"]! == (long)plain["seq"]!);
        Assert.Null(stored["meta"]);
        Assert.Equal("quickReplies", (string?)(await BotFlowApi.BotReplyAsync(visitor, (long)plain["seq"]!))["kind"]);

        // The pick, with words the handoff detector would not take as a request: the payload decides.
        var pick = await SendAsync(visitor, conversationId, "Yes please", new { quickReply = "handoff", extra = new { nested = true } });
        var handoff = await visitor.WaitForAsync(f => ProtocolClient.Type(f) == "message" && (string?)f["meta"]?["event"] == "handoff");
        Assert.Equal("request", (string?)handoff["meta"]!["reason"]);
        var picked = (await BotFlowApi.HistoryAsync(visitor, conversationId)).Single(m => (long)m["seq"]! == (long)pick["seq"]!);
        Assert.Equal("""{"quickReply":"handoff"}""", picked["meta"]!.ToJsonString());
        Assert.Equal("Yes please", (string?)picked["text"]);
    }

    private static async Task<System.Text.Json.Nodes.JsonObject> SendAsync(ProtocolClient client, string conversationId, string text, object meta)
    {
        var rid = client.NextRid();
        await client.SendAsync(new { type = "send", rid, clientMsgId = Guid.NewGuid().ToString("N"), conversationId, kind = "text", text, meta });
        var reply = await client.WaitForAsync(f => (string?)f["rid"] == rid && ProtocolClient.Type(f) is "ack" or "error");
        Assert.Equal("ack", ProtocolClient.Type(reply));
        return reply;
    }
}
