using System.Net;
using System.Text.Json.Nodes;
using Kefu.Server.Tests.Infrastructure;

namespace Kefu.Server.Tests.Routing;

internal sealed record TestAgent(string Id, string Username, string Token, ProtocolClient? Client);

/// <summary>The admin and routing calls the routing tests make.</summary>
internal static class RoutingApi
{
    public const string Password = "agent-password-1";

    public static async Task<JsonNode> SendAsync(IKefuServer server, HttpMethod method, string path, string token, object? body = null, HttpStatusCode? expect = null)
    {
        using var response = await server.Http.SendAsync(Api.Authorized(method, path, token, body));
        var text = await response.Content.ReadAsStringAsync();
        if (expect is { } status)
        {
            Assert.True(response.StatusCode == status, $"{method} {path}: expected {status}, got {(int)response.StatusCode} {text}");
        }
        else
        {
            Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        }
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    /// <summary>Creates an agent, logs it in and, when <paramref name="connect"/>, opens its socket and waits until it is online.</summary>
    public static async Task<TestAgent> AgentAsync(IKefuServer server, string admin, string username, int maxConcurrent, object? teams = null, string[]? skills = null, bool connect = true)
    {
        var created = await SendAsync(server, HttpMethod.Post, "api/v1/agents", admin,
            new { username, password = Password, displayName = username, maxConcurrent, teams, skills }, HttpStatusCode.Created);
        var id = (string)created["id"]!;
        var token = (await Api.LoginAsync(server.Http, username, Password)).Token;
        if (!connect)
        {
            return new TestAgent(id, username, token, null);
        }
        var (client, _) = await server.HelloAsync(token);
        await WaitForStatusAsync(server, token, "online");
        return new TestAgent(id, username, token, client);
    }

    public static async Task WaitForStatusAsync(IKefuServer server, string token, string status)
    {
        await Eventually.HoldsAsync(async () => (string?)(await SendAsync(server, HttpMethod.Get, "api/v1/agents/me/status", token))["status"] == status, $"status {status}");
    }

    /// <summary>A visitor with its socket, after its first message started its conversation.</summary>
    public static async Task<(ProtocolClient Client, string ConversationId, string VisitorToken)> VisitorAsync(IKefuServer server, string text = "hello", object? routing = null, object? identity = null)
    {
        var session = await Api.VisitorAsync(server.Http, identity is null ? null : new { siteKey = "default", identity });
        if (routing is not null)
        {
            await SendAsync(server, HttpMethod.Put, "api/v1/visitor/routing", session.Token, routing, HttpStatusCode.NoContent);
        }
        var (client, _) = await server.HelloAsync(session.Token);
        var ack = await client.SendTextAsync(text);
        return (client, (string)ack["conversationId"]!, session.Token);
    }

    public static async Task<JsonObject> ConversationAsync(IKefuServer server, string admin, string conversationId)
        => (await SendAsync(server, HttpMethod.Get, $"api/v1/conversations/{conversationId}", admin)).AsObject();

    /// <summary>Waits until the conversation is assigned; returns the assignee's id.</summary>
    public static async Task<string> AssigneeEventuallyAsync(IKefuServer server, string admin, string conversationId, TimeSpan? timeout = null)
    {
        string? assignee = null;
        await Eventually.HoldsAsync(async () =>
        {
            assignee = (string?)(await ConversationAsync(server, admin, conversationId))["assignee"]?["id"];
            return assignee is not null;
        }, "assigned " + conversationId, timeout);
        return assignee!;
    }

    /// <summary>The last <c>conversation</c> frame the client has received so far, or null.</summary>
    public static JsonObject? LastConversationFrame(ProtocolClient client)
    {
        JsonObject? last = null;
        client.HasQueued(f =>
        {
            if (ProtocolClient.Type(f) == "conversation")
            {
                last = f;
            }
            return false;
        });
        return last;
    }

    /// <summary>Every queue position the client was told, in order, with repeats (a changed estimate) removed.</summary>
    public static List<long> Positions(ProtocolClient client)
    {
        var positions = new List<long>();
        client.HasQueued(f =>
        {
            if (ProtocolClient.Type(f) == "conversation" && f["queuePosition"] is { } p && (positions.Count == 0 || positions[^1] != (long)p))
            {
                positions.Add((long)p);
            }
            return false;
        });
        return positions;
    }
}
