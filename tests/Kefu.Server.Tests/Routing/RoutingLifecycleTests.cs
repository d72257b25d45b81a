using System.Net;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Kefu.Server.Tests.Infrastructure;

namespace Kefu.Server.Tests.Routing;

public sealed class RoutingLifecycleTests
{
    [Fact]
    public async Task Transfer_to_an_agent_or_a_team_and_unassign_are_in_the_history_with_their_note()
    {
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string> { ["Kefu__Routing__StickyWaitSeconds"] = "0" });
        var admin = await server.AdminTokenAsync();
        await RoutingApi.SendAsync(server, HttpMethod.Post, "api/v1/teams", admin, new { name = "billing" }, HttpStatusCode.Created);
        var first = await RoutingApi.AgentAsync(server, admin, "first", 5);
        var (visitor, conversationId, _) = await RoutingApi.VisitorAsync(server, "my invoice is wrong");
        Assert.Equal(first.Id, await RoutingApi.AssigneeEventuallyAsync(server, admin, conversationId));
        var colleague = await RoutingApi.AgentAsync(server, admin, "colleague", 5);
        var biller = await RoutingApi.AgentAsync(server, admin, "biller", 5, teams: new[] { "billing" });

        // Only the assignee (or an admin) moves it.
        await RoutingApi.SendAsync(server, HttpMethod.Post, $"api/v1/conversations/{conversationId}/transfer", colleague.Token, new { agentId = colleague.Id }, HttpStatusCode.Forbidden);
        await RoutingApi.SendAsync(server, HttpMethod.Post, $"api/v1/conversations/{conversationId}/transfer", first.Token, new { agentId = colleague.Id, note = "knows this customer" }, HttpStatusCode.NoContent);
        Assert.Equal(colleague.Id, await RoutingApi.AssigneeEventuallyAsync(server, admin, conversationId));

        await RoutingApi.SendAsync(server, HttpMethod.Post, $"api/v1/conversations/{conversationId}/transfer", colleague.Token, new { team = "billing", note = "refund" }, HttpStatusCode.NoContent);
        await Eventually.HoldsAsync(async () => (string?)(await RoutingApi.ConversationAsync(server, admin, conversationId))["assignee"]?["id"] == biller.Id, "assigned to billing");

        await RoutingApi.SendAsync(server, HttpMethod.Post, $"api/v1/conversations/{conversationId}/unassign", biller.Token, new { note = "wrong team after all" }, HttpStatusCode.NoContent);
        // Back in the billing queue, where the biller is the only agent: it gets it again.
        await Eventually.HoldsAsync(async () => (await EventsAsync(visitor, conversationId)).Count(e => (string?)e["event"] == "assigned") == 3, "assigned again after unassign");

        var events = await EventsAsync(visitor, conversationId);
        Assert.Equal(["assigned", "transferred", "transferred", "assigned", "unassigned", "assigned"], events.Select(e => (string?)e["event"]));
        Assert.Equal("knows this customer", (string?)events[1]["note"]);
        Assert.Equal(colleague.Id, (string?)events[1]["agentId"]);
        Assert.Equal("refund", (string?)events[2]["note"]);
        Assert.Equal("wrong team after all", (string?)events[4]["note"]);
        await RoutingRulesTests.DisposeAllAsync(visitor, first.Client, colleague.Client, biller.Client);
    }

    [Fact]
    public async Task An_agent_that_drops_stays_online_for_the_grace_period_then_goes_offline_and_its_conversations_are_requeued()
    {
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["Kefu__Routing__AgentGraceSeconds"] = "1",
            ["Kefu__Routing__OnAgentOffline"] = "requeue",
            ["Kefu__Routing__StickyWaitSeconds"] = "0",
        });
        var admin = await server.AdminTokenAsync();
        var leaving = await RoutingApi.AgentAsync(server, admin, "leaving", 5);
        var (visitor, conversationId, _) = await RoutingApi.VisitorAsync(server, "help");
        Assert.Equal(leaving.Id, await RoutingApi.AssigneeEventuallyAsync(server, admin, conversationId));
        var staying = await RoutingApi.AgentAsync(server, admin, "staying", 5);

        leaving.Client!.Abort();
        await RoutingApi.WaitForStatusAsync(server, leaving.Token, "offline");
        await Eventually.HoldsAsync(async () => (string?)(await RoutingApi.ConversationAsync(server, admin, conversationId))["assignee"]?["id"] == staying.Id, "requeued to the agent still online");
        var events = await EventsAsync(visitor, conversationId);
        Assert.Equal(["assigned", "unassigned", "assigned"], events.Select(e => (string?)e["event"]));
        await RoutingRulesTests.DisposeAllAsync(visitor, staying.Client);
    }

    [Fact]
    public async Task By_default_an_agent_that_goes_offline_keeps_its_conversations_and_a_reconnect_within_the_grace_period_keeps_it_online()
    {
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string> { ["Kefu__Routing__AgentGraceSeconds"] = "1" });
        var admin = await server.AdminTokenAsync();
        var agent = await RoutingApi.AgentAsync(server, admin, "keeper", 5);
        var (visitor, conversationId, _) = await RoutingApi.VisitorAsync(server, "help");
        Assert.Equal(agent.Id, await RoutingApi.AssigneeEventuallyAsync(server, admin, conversationId));

        var (second, _) = await ProtocolClient.HelloAsync(server.WebSocketUri, agent.Token);
        await agent.Client!.DisposeAsync();
        Assert.Equal("online", (string?)(await RoutingApi.SendAsync(server, HttpMethod.Get, "api/v1/agents/me/status", agent.Token))["status"]);
        await second.DisposeAsync();
        await RoutingApi.WaitForStatusAsync(server, agent.Token, "offline");
        Assert.Equal(agent.Id, (string?)(await RoutingApi.ConversationAsync(server, admin, conversationId))["assignee"]!["id"]);
        await visitor.DisposeAsync();
    }

    [Fact]
    public async Task Admins_manage_agents_and_disabling_one_revokes_its_tokens_and_closes_its_sockets()
    {
        await using var server = await ServerProcess.StartAsync();
        var admin = await server.AdminTokenAsync();
        var agent = await RoutingApi.AgentAsync(server, admin, "managed", 2, skills: ["vip", "zh"]);
        await RoutingApi.SendAsync(server, HttpMethod.Post, "api/v1/agents", agent.Token, new { username = "x", password = "long-enough-1", maxConcurrent = 1 }, HttpStatusCode.Forbidden);
        await RoutingApi.SendAsync(server, HttpMethod.Post, "api/v1/agents", admin, new { username = "managed", password = "long-enough-1", maxConcurrent = 1 }, HttpStatusCode.Conflict);

        var listed = (await RoutingApi.SendAsync(server, HttpMethod.Get, "api/v1/agents", admin)).AsArray().Single(a => (string?)a!["id"] == agent.Id)!;
        Assert.Equal(["vip", "zh"], listed["skills"]!.AsArray().Select(s => (string?)s));
        Assert.Single(listed["teams"]!.AsArray());
        Assert.Equal("online", (string?)listed["status"]);

        var settings = await RoutingApi.SendAsync(server, HttpMethod.Get, "api/v1/routing/settings", admin);
        Assert.Equal("keep", (string?)settings["routing"]!["onAgentOffline"]);
        await RoutingApi.SendAsync(server, HttpMethod.Get, "api/v1/routing/settings", agent.Token, expect: HttpStatusCode.Forbidden);

        var openApi = await server.Http.GetStringAsync("openapi/v1.json");
        foreach (var path in new[] { "/api/v1/agents", "/api/v1/agents/me/status", "/api/v1/teams", "/api/v1/business-hours/{scopeId}", "/api/v1/conversations/{id}/transfer", "/api/v1/visitor/messages" })
        {
            Assert.Contains($"\"{path}\"", openApi, StringComparison.Ordinal);
        }

        var updated = await RoutingApi.SendAsync(server, HttpMethod.Patch, $"api/v1/agents/{agent.Id}", admin, new { maxConcurrent = 4 });
        Assert.Equal(4, (int)updated["maxConcurrent"]!);

        await RoutingApi.SendAsync(server, HttpMethod.Patch, $"api/v1/agents/{agent.Id}", admin, new { disabled = true });
        Assert.Equal((WebSocketCloseStatus)4401, await agent.Client!.WaitForCloseAsync());
        await RoutingApi.SendAsync(server, HttpMethod.Get, "api/v1/agents/me/status", agent.Token, expect: HttpStatusCode.Unauthorized);
        await agent.Client.DisposeAsync();
    }

    private static async Task<List<JsonObject>> EventsAsync(ProtocolClient visitor, string conversationId)
    {
        var rid = visitor.NextRid();
        await visitor.SendAsync(new { type = "sync", rid, conversationId, afterSeq = 0 });
        var items = (await visitor.WaitForAsync(f => (string?)f["rid"] == rid))["items"]!.AsArray();
        return [.. items.Where(m => (string?)m!["kind"] == "event").Select(m => m!["meta"]!.AsObject())];
    }
}
