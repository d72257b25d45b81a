using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Kefu.Server.Tests.Infrastructure;

namespace Kefu.Server.Tests;

[Collection(SharedServerGroup.Name)]
public sealed class IsolationTests(SharedServer shared)
{
    private ServerProcess Server => shared.Server;

    private async Task<(ProtocolClient Client, string ConversationId, VisitorSession Session)> VisitorWithConversationAsync(string text)
    {
        var session = await Api.VisitorAsync(Server.Http);
        var (client, _) = await ProtocolClient.HelloAsync(Server.WebSocketUri, session.Token);
        var ack = await client.SendTextAsync(text);
        return (client, (string)ack["conversationId"]!, session);
    }

    private static async Task<string?> ErrorCodeAsync(ProtocolClient client, object frame)
    {
        await client.SendAsync(frame);
        var reply = await client.WaitForAsync(f => ProtocolClient.Type(f) == "error");
        return (string?)reply["code"];
    }

    [Fact]
    public async Task A_visitor_can_neither_read_nor_write_another_visitors_conversation()
    {
        var (owner, conversationId, _) = await VisitorWithConversationAsync("private");
        await using var ownerClient = owner;
        var (intruder, _, _) = await VisitorWithConversationAsync("mine");
        await using var intruderClient = intruder;

        Assert.Equal("not_found", await ErrorCodeAsync(intruder, new { type = "sync", rid = "s", conversationId, afterSeq = 0 }));
        Assert.Equal("not_found", await ErrorCodeAsync(intruder, new { type = "send", rid = "w", clientMsgId = "x1", conversationId, kind = "text", text = "let me in" }));
        Assert.Equal("not_found", await ErrorCodeAsync(intruder, new { type = "typing", conversationId, active = true }));
        Assert.Equal("not_found", await ErrorCodeAsync(intruder, new { type = "read", conversationId, seq = 1 }));
        Assert.Equal("forbidden", await ErrorCodeAsync(intruder, new { type = "watch", conversationId, active = true }));

        // Resuming someone else's conversation replays nothing of it.
        var session = await Api.VisitorAsync(Server.Http);
        var (resumer, _) = await ProtocolClient.HelloAsync(Server.WebSocketUri, session.Token, new[] { new { conversationId, afterSeq = 0 } });
        await using var resumerClient = resumer;
        var error = await resumer.WaitForAsync(f => ProtocolClient.Type(f) == "error");
        Assert.Equal("not_found", (string?)error["code"]);
        var pingRid = resumer.NextRid();
        await resumer.SendAsync(new { type = "ping", rid = pingRid });
        await resumer.WaitForAsync(f => (string?)f["rid"] == pingRid);
        // Frames are sent in order: had anything been replayed, it would have arrived before the pong.
        Assert.False(resumer.HasQueued(f => (string?)f["conversationId"] == conversationId));
    }

    [Fact]
    public async Task An_agent_sees_only_its_own_tenant()
    {
        SecondTenant.Create(Server.DatabasePath);
        var (owner, conversationId, session) = await VisitorWithConversationAsync("tenant one");
        await using var ownerClient = owner;
        var other = await Api.LoginAsync(Server.Http, SecondTenant.Username, SecondTenant.Password);
        var (agent, welcome) = await ProtocolClient.HelloAsync(Server.WebSocketUri, other.Token);
        await using var agentClient = agent;

        Assert.DoesNotContain(welcome["conversations"]!.AsArray(), c => (string?)c!["conversationId"] == conversationId);
        Assert.Equal("not_found", await ErrorCodeAsync(agent, new { type = "sync", rid = "s", conversationId, afterSeq = 0 }));
        Assert.Equal("not_found", await ErrorCodeAsync(agent, new { type = "watch", rid = "w", conversationId, active = true }));
        Assert.Equal("not_found", await ErrorCodeAsync(agent, new { type = "send", rid = "x", clientMsgId = "o1", conversationId, kind = "text", text = "hi" }));

        using var list = await Server.Http.SendAsync(Api.Authorized(HttpMethod.Get, "api/v1/conversations?view=open", other.Token));
        var items = await list.Content.ReadFromJsonAsync<JsonArray>();
        Assert.DoesNotContain(items!, i => (string?)i!["conversationId"] == conversationId);
        using var close = await Server.Http.SendAsync(Api.Authorized(HttpMethod.Post, $"api/v1/conversations/{conversationId}/close", other.Token));
        Assert.Equal(HttpStatusCode.NotFound, close.StatusCode);
        using var visitor = await Server.Http.SendAsync(Api.Authorized(HttpMethod.Get, $"api/v1/visitors/{session.VisitorId}", other.Token));
        Assert.Equal(HttpStatusCode.NotFound, visitor.StatusCode);
    }

    [Fact]
    public async Task A_renewed_visitor_token_keeps_the_history_and_nothing_else_can_claim_it()
    {
        var (client, conversationId, session) = await VisitorWithConversationAsync("remember me");
        await client.DisposeAsync();

        var renewed = await Api.VisitorAsync(Server.Http, new { siteKey = "default", token = session.Token });
        Assert.Equal(session.VisitorId, renewed.VisitorId);
        var (again, welcome) = await ProtocolClient.HelloAsync(Server.WebSocketUri, renewed.Token);
        await using var againClient = again;
        Assert.Contains(welcome["conversations"]!.AsArray(), c => (string?)c!["conversationId"] == conversationId);

        var forged = session.Token[..^3] + "abc";
        var stranger = await Api.VisitorAsync(Server.Http, new { siteKey = "default", token = forged });
        Assert.NotEqual(session.VisitorId, stranger.VisitorId);
        var unsigned = await Api.VisitorAsync(Server.Http, new { siteKey = "default", identity = new { userId = session.VisitorId, name = "Mallory" } });
        Assert.NotEqual(session.VisitorId, unsigned.VisitorId);
    }

    [Fact]
    public async Task A_wrongly_signed_identity_is_refused_and_a_signed_one_maps_to_the_same_visitor()
    {
        var secret = Db.Text(Server.DatabasePath, "SELECT identity_secret FROM sites WHERE site_key = 'default'");
        var userId = "user-" + Guid.NewGuid().ToString("N");
        var signature = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret), System.Text.Encoding.UTF8.GetBytes(userId)));

        using var wrong = await Server.Http.PostAsJsonAsync("api/v1/visitor/sessions", new { siteKey = "default", identity = new { userId, signature = new string('0', 64) } });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);

        var first = await Api.VisitorAsync(Server.Http, new { siteKey = "default", identity = new { userId, name = "Alice", signature } });
        var second = await Api.VisitorAsync(Server.Http, new { siteKey = "default", identity = new { userId, signature } });
        Assert.Equal(first.VisitorId, second.VisitorId);
    }
}
