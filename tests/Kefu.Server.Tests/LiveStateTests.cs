using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using Kefu.Server.Tests.Infrastructure;

namespace Kefu.Server.Tests;

public sealed class LiveStateTests
{
    private static async Task<(ServerProcess Server, ProtocolClient Agent, ProtocolClient Visitor, string ConversationId, string VisitorId, string AgentId)> ChatAsync()
    {
        var server = await ServerProcess.StartAsync();
        var (agent, agentWelcome) = await ProtocolClient.HelloAsync(server.WebSocketUri, await server.AdminTokenAsync());
        var session = await Api.VisitorAsync(server.Http);
        var (visitor, _) = await ProtocolClient.HelloAsync(server.WebSocketUri, session.Token);
        var conversationId = (string)(await visitor.SendTextAsync("hi"))["conversationId"]!;
        await agent.WaitForAsync(f => ProtocolClient.Type(f) == "conversation" && (string?)f["status"] == "open" && (string?)f["conversationId"] == conversationId);
        return (server, agent, visitor, conversationId, session.VisitorId, (string)agentWelcome["userId"]!);
    }

    [Fact]
    public async Task Typing_reaches_the_other_party_and_is_not_echoed_to_the_typist()
    {
        var (server, agent, visitor, conversationId, visitorId, _) = await ChatAsync();
        await using var _ = server;
        await using var a = agent;
        await using var v = visitor;

        await visitor.SendAsync(new { type = "typing", conversationId, active = true });
        var typing = await agent.WaitForAsync(f => ProtocolClient.Type(f) == "typing");
        Assert.Equal(visitorId, (string?)typing["userId"]);
        Assert.True((bool)typing["active"]!);

        // The visitor's next frame after its own typing is the pong: nothing was echoed to it.
        var rid = visitor.NextRid();
        await visitor.SendAsync(new { type = "ping", rid });
        await visitor.WaitForAsync(f => (string?)f["rid"] == rid);
        Assert.False(visitor.HasQueued(f => ProtocolClient.Type(f) == "typing"));
    }

    [Fact]
    public async Task Read_receipts_reach_the_other_side_never_decrease_and_show_in_welcome()
    {
        var (server, agent, visitor, conversationId, _, agentId) = await ChatAsync();
        await using var _ = server;
        await using var a = agent;
        await using var v = visitor;
        var lastSeq = (long)(await visitor.SendTextAsync("second"))["seq"]!;

        await agent.SendAsync(new { type = "delivered", conversationId, seq = lastSeq });
        var delivered = await visitor.WaitForAsync(f => ProtocolClient.Type(f) == "receipt" && (string?)f["kind"] == "delivered");
        Assert.Equal(agentId, (string?)delivered["userId"]);
        Assert.Equal(lastSeq, (long)delivered["seq"]!);

        await agent.SendAsync(new { type = "read", conversationId, seq = lastSeq });
        var read = await visitor.WaitForAsync(f => ProtocolClient.Type(f) == "receipt" && (string?)f["kind"] == "read");
        Assert.Equal(lastSeq, (long)read["seq"]!);
        await agent.SendAsync(new { type = "read", conversationId, seq = 1 });

        var (again, welcome) = await ProtocolClient.HelloAsync(server.WebSocketUri, await server.AdminTokenAsync());
        await using var againClient = again;
        var summary = welcome["conversations"]!.AsArray().Single(c => (string?)c!["conversationId"] == conversationId)!;
        Assert.Equal(lastSeq, (long)summary["readSeq"]!);
    }

    [Fact]
    public async Task An_agent_watching_a_conversation_receives_its_frames_and_stops_after_unwatch()
    {
        var (server, agent, visitor, conversationId, _, _) = await ChatAsync();
        await using var _ = server;
        await using var a = agent;
        await using var v = visitor;
        Db.Execute(server.DatabasePath, "INSERT INTO agents (id, tenant_id, username, display_name, password_hash, is_admin, max_concurrent, disabled, token_version, must_change_password, created_at) SELECT 'a_watcher', tenant_id, 'watcher', 'Watcher', password_hash, 0, 5, 0, 0, 0, 0 FROM agents WHERE username = 'admin'");
        var watcherLogin = await Api.LoginAsync(server.Http, "watcher", ServerProcess.AdminPassword);
        var (watcher, _) = await ProtocolClient.HelloAsync(server.WebSocketUri, watcherLogin.Token);
        await using var w = watcher;

        await watcher.SendAsync(new { type = "watch", conversationId, active = true });
        var ridPing = watcher.NextRid();
        await watcher.SendAsync(new { type = "ping", rid = ridPing });
        await watcher.WaitForAsync(f => (string?)f["rid"] == ridPing);
        await visitor.SendTextAsync("for everyone watching");
        var seen = await watcher.WaitForAsync(f => ProtocolClient.Type(f) == "message" && (string?)f["text"] == "for everyone watching");
        Assert.Equal(conversationId, (string?)seen["conversationId"]);

        // A watcher is not the assignee: it may read but not write.
        await watcher.SendAsync(new { type = "send", rid = "w1", clientMsgId = "w1", conversationId, kind = "text", text = "me too" });
        var refused = await watcher.WaitForAsync(f => (string?)f["rid"] == "w1");
        Assert.Equal("forbidden", (string?)refused["code"]);
    }

    [Fact]
    public async Task A_site_with_allowed_origins_refuses_other_browsers_over_http_and_websocket()
    {
        await using var server = await ServerProcess.StartAsync();
        var token = (await Api.VisitorAsync(server.Http)).Token;
        Db.Execute(server.DatabasePath, "UPDATE sites SET allowed_origins = '[\"https://shop.example\"]' WHERE site_key = 'default'");

        using var evil = new HttpRequestMessage(HttpMethod.Post, "api/v1/visitor/sessions") { Content = JsonContent.Create(new { siteKey = "default" }) };
        evil.Headers.Add("Origin", "https://evil.example");
        using (var refused = await server.Http.SendAsync(evil))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }
        using var good = new HttpRequestMessage(HttpMethod.Post, "api/v1/visitor/sessions") { Content = JsonContent.Create(new { siteKey = "default" }) };
        good.Headers.Add("Origin", "https://shop.example");
        using (var allowed = await server.Http.SendAsync(good))
        {
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
            Assert.Equal("https://shop.example", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        }

        await using var socket = await ProtocolClient.ConnectAsync(server.WebSocketUri, origin: "https://evil.example");
        await socket.SendAsync(new { type = "hello", rid = "h", token });
        Assert.Equal((WebSocketCloseStatus)4403, await socket.WaitForCloseAsync());
    }

    [Fact]
    public async Task Agents_watching_the_queue_see_a_queued_conversations_lastSeq_move_with_each_message()
    {
        await using var server = await ServerProcess.StartAsync();
        var admin = await server.AdminTokenAsync();
        var (agent, _) = await ProtocolClient.HelloAsync(server.WebSocketUri, admin);
        await using var a = agent;
        using (var away = await server.Http.SendAsync(Api.Authorized(HttpMethod.Put, "api/v1/agents/me/status", admin, new { status = "away" })))
        {
            Assert.True(away.IsSuccessStatusCode, $"status: {away.StatusCode}");
        }
        var session = await Api.VisitorAsync(server.Http);
        var (visitor, _) = await ProtocolClient.HelloAsync(server.WebSocketUri, session.Token);
        await using var v = visitor;
        var conversationId = (string)(await visitor.SendTextAsync("first"))["conversationId"]!;
        var last = (long)(await visitor.SendTextAsync("second"))["seq"]!;

        var snapshot = await agent.WaitForAsync(f => ProtocolClient.Type(f) == "conversation" && (string?)f["conversationId"] == conversationId && (long?)f["lastSeq"] == last);
        Assert.Equal("queued", (string?)snapshot["status"]);
    }
}
