using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Kefu.Server.Tests.Infrastructure;

namespace Kefu.Server.Tests;

public sealed class ConsoleApiTests
{
    [Fact]
    public async Task An_agent_lists_claims_closes_and_reopens_and_every_step_is_in_the_history()
    {
        // No agent online: the conversation waits in the queue until claimed.
        await using var server = await ServerProcess.StartAsync();
        var session = await Api.VisitorAsync(server.Http, new { siteKey = "default", identity = new { name = "Visitor V" }, context = new { pageUrl = "https://shop.example/cart", referrer = "https://search.example/", title = "Cart", locale = "zh-CN" } });
        var (visitor, _) = await ProtocolClient.HelloAsync(server.WebSocketUri, session.Token);
        await using var visitorClient = visitor;
        var conversationId = (string)(await visitor.SendTextAsync("anyone there?"))["conversationId"]!;
        var admin = await server.AdminTokenAsync();

        var queued = await GetArrayAsync(server, admin, "api/v1/conversations?view=queued");
        var item = queued.Single(i => (string?)i!["conversationId"] == conversationId)!;
        Assert.Equal("queued", (string?)item["status"]);
        Assert.Equal("Visitor V", (string?)item["visitor"]!["name"]);
        Assert.Equal(1L, (long)item["unread"]!);
        Assert.Equal("anyone there?", (string?)item["lastMessage"]!["text"]);

        using (var claim = await server.Http.SendAsync(Api.Authorized(HttpMethod.Post, $"api/v1/conversations/{conversationId}/claim", admin)))
        {
            Assert.Equal(HttpStatusCode.OK, claim.StatusCode);
        }
        using (var again = await server.Http.SendAsync(Api.Authorized(HttpMethod.Post, $"api/v1/conversations/{conversationId}/claim", admin)))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        }
        Assert.Contains(await GetArrayAsync(server, admin, "api/v1/conversations?view=mine"), i => (string?)i!["conversationId"] == conversationId);

        using (var visitorTokenClose = await server.Http.SendAsync(Api.Authorized(HttpMethod.Post, $"api/v1/conversations/{conversationId}/close", session.Token)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, visitorTokenClose.StatusCode);
        }
        using (var close = await server.Http.SendAsync(Api.Authorized(HttpMethod.Post, $"api/v1/conversations/{conversationId}/close", admin)))
        {
            Assert.Equal(HttpStatusCode.NoContent, close.StatusCode);
        }
        var closed = await visitor.WaitForAsync(f => ProtocolClient.Type(f) == "conversation" && (string?)f["status"] == "closed");
        Assert.Equal(conversationId, (string?)closed["conversationId"]);

        using (var reopen = await server.Http.SendAsync(Api.Authorized(HttpMethod.Post, $"api/v1/conversations/{conversationId}/reopen", admin)))
        {
            Assert.Equal(HttpStatusCode.OK, reopen.StatusCode);
        }
        var rid = visitor.NextRid();
        await visitor.SendAsync(new { type = "sync", rid, conversationId, afterSeq = 0 });
        var history = (await visitor.WaitForAsync(f => (string?)f["rid"] == rid))["items"]!.AsArray();
        var events = history.Where(m => (string?)m!["kind"] == "event").Select(m => (string?)m!["meta"]!["event"]).ToList();
        Assert.Equal(new[] { "assigned", "closed", "reopened" }, events);
        Assert.Equal(Enumerable.Range(1, history.Count).Select(i => (long)i), history.Select(m => (long)m!["seq"]!));

        using var details = await server.Http.SendAsync(Api.Authorized(HttpMethod.Get, $"api/v1/visitors/{session.VisitorId}", admin));
        var panel = await details.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("https://shop.example/cart", (string?)panel!["context"]!["pageUrl"]);
        Assert.Equal("127.0.0.1", (string?)panel["context"]!["ip"]);
        Assert.Single(panel["conversations"]!.AsArray());
    }

    [Fact]
    public async Task Repeated_login_failures_are_throttled_even_for_the_right_password()
    {
        await using var server = await ServerProcess.StartAsync();
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await server.Http.PostAsJsonAsync("api/v1/auth/login", new { username = ServerProcess.AdminUsername, password = "wrong-" + i });
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }
        using var right = await server.Http.PostAsJsonAsync("api/v1/auth/login", new { username = ServerProcess.AdminUsername, password = ServerProcess.AdminPassword });
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        Assert.True(right.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }

    private static async Task<JsonArray> GetArrayAsync(ServerProcess server, string token, string path)
    {
        using var response = await server.Http.SendAsync(Api.Authorized(HttpMethod.Get, path, token));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonArray>())!;
    }
}
