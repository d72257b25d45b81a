using System.Net;
using System.Text.Json.Nodes;
using Kefu.Server.Tests.Infrastructure;
using Kefu.Server.Tests.Routing;

namespace Kefu.Server.Tests;

/// <summary>What the bot flow tests do through the API and the protocol.</summary>
internal static class BotFlowApi
{
    public static Task<JsonNode> AddFaqAsync(ServerProcess server, string admin, string question, string answer, params string[] alternates) =>
        RoutingApi.SendAsync(server, HttpMethod.Post, "api/v1/bot/faq", admin, new { question, alternates, answer }, HttpStatusCode.Created);

    public static bool IsBotMessage(JsonObject frame) =>
        ProtocolClient.Type(frame) == "message" && (string?)frame["sender"]?["type"] == "bot";

    public static bool IsStatus(JsonObject frame, string status) =>
        ProtocolClient.Type(frame) == "conversation" && (string?)frame["status"] == status;

    /// <summary>The next bot message after <paramref name="afterSeq"/>.</summary>
    public static Task<JsonObject> BotReplyAsync(ProtocolClient client, long afterSeq, TimeSpan? timeout = null) =>
        client.WaitForAsync(f => IsBotMessage(f) && (long)f["seq"]! > afterSeq, timeout);

    /// <summary>A new visitor on the default site: its socket, and the ack of its first message.</summary>
    public static async Task<(ProtocolClient Client, JsonObject Ack)> VisitorAsync(ServerProcess server, string text)
    {
        var session = await Api.VisitorAsync(server.Http);
        var (client, _) = await ProtocolClient.HelloAsync(server.WebSocketUri, session.Token);
        var ack = await client.SendTextAsync(text);
        return (client, ack);
    }

    /// <summary>The conversation's stored messages, as the client syncs them.</summary>
    public static async Task<List<JsonObject>> HistoryAsync(ProtocolClient client, string conversationId)
    {
        var rid = client.NextRid();
        await client.SendAsync(new { type = "sync", rid, conversationId, afterSeq = 0 });
        return [.. (await client.WaitForAsync(f => (string?)f["rid"] == rid))["items"]!.AsArray().Select(i => i!.AsObject())];
    }
}
