using System.Net;
using Kefu.Server.Tests.Infrastructure;

namespace Kefu.Server.Tests.Routing;

public sealed class RoutingRulesTests
{
    [Fact]
    public async Task The_entry_point_chooses_the_team_and_skills_and_conversations_without_a_choice_go_to_the_default_team()
    {
        await using var server = await ServerProcess.StartAsync();
        var admin = await server.AdminTokenAsync();
        await RoutingApi.SendAsync(server, HttpMethod.Post, "api/v1/teams", admin, new { name = "sales" }, HttpStatusCode.Created);
        var seller = await RoutingApi.AgentAsync(server, admin, "seller", 5, teams: new[] { "sales" });
        var speaker = await RoutingApi.AgentAsync(server, admin, "speaker", 5, skills: ["zh"]);
        var plain = await RoutingApi.AgentAsync(server, admin, "plain", 5);

        var (salesVisitor, salesConversation, _) = await RoutingApi.VisitorAsync(server, "a quote please", routing: new { team = "Sales" });
        Assert.Equal(seller.Id, await RoutingApi.AssigneeEventuallyAsync(server, admin, salesConversation));
        var (zhVisitor, zhConversation, _) = await RoutingApi.VisitorAsync(server, "你好", routing: new { skills = new[] { "zh" } });
        Assert.Equal(speaker.Id, await RoutingApi.AssigneeEventuallyAsync(server, admin, zhConversation));
        var (anyVisitor, anyConversation, _) = await RoutingApi.VisitorAsync(server, "hi");
        // Least busy of the default team: the speaker has one already, the seller is in another team.
        Assert.Equal(plain.Id, await RoutingApi.AssigneeEventuallyAsync(server, admin, anyConversation));

        var item = await RoutingApi.ConversationAsync(server, admin, salesConversation);
        Assert.NotEqual(item["team"]!.ToString(), (await RoutingApi.ConversationAsync(server, admin, anyConversation))["team"]!.ToString());
        await DisposeAllAsync(salesVisitor, zhVisitor, anyVisitor, seller.Client, speaker.Client, plain.Client);
    }

    [Fact]
    public async Task A_skill_nobody_online_has_stops_being_required_after_the_team_skill_timeout()
    {
        await using var server = await ServerProcess.StartAsync();
        var admin = await server.AdminTokenAsync();
        await RoutingApi.SendAsync(server, HttpMethod.Post, "api/v1/teams", admin, new { name = "intl", skillTimeoutSeconds = 1 }, HttpStatusCode.Created);
        var agent = await RoutingApi.AgentAsync(server, admin, "generalist", 5, teams: new[] { "intl" });

        var (visitor, conversationId, _) = await RoutingApi.VisitorAsync(server, "bonjour", routing: new { team = "intl", skills = new[] { "fr" } });
        // Without the timeout the generalist could never take it: nobody has "fr".
        var assigned = await visitor.WaitForAsync(f => ProtocolClient.Type(f) == "conversation" && (string?)f["status"] == "open");
        Assert.Equal(agent.Id, (string?)assigned["assignee"]!["id"]);
        Assert.Equal(conversationId, (string?)assigned["conversationId"]);
        await DisposeAllAsync(visitor, agent.Client);
    }

    [Fact]
    public async Task A_returning_visitor_gets_its_last_agent_and_falls_back_to_another_when_that_agent_is_away()
    {
        await using var server = await ServerProcess.StartAsync();
        var admin = await server.AdminTokenAsync();
        var one = await RoutingApi.AgentAsync(server, admin, "one", 5);
        var two = await RoutingApi.AgentAsync(server, admin, "two", 5);
        var (visitor, first, _) = await RoutingApi.VisitorAsync(server, "first visit");
        var last = await RoutingApi.AssigneeEventuallyAsync(server, admin, first);
        var other = last == one.Id ? two : one;
        var lastAgent = last == one.Id ? one : two;

        // Least-busy alone would pick the other agent (equal load, idle longer); sticky picks the last one.
        await RoutingApi.SendAsync(server, HttpMethod.Post, $"api/v1/conversations/{first}/close", admin, expect: HttpStatusCode.NoContent);
        await visitor.WaitForAsync(f => ProtocolClient.Type(f) == "conversation" && (string?)f["status"] == "closed");
        var second = (string)(await visitor.SendTextAsync("back again"))["conversationId"]!;
        Assert.NotEqual(first, second);
        Assert.Equal(last, await RoutingApi.AssigneeEventuallyAsync(server, admin, second));

        await RoutingApi.SendAsync(server, HttpMethod.Post, $"api/v1/conversations/{second}/close", admin, expect: HttpStatusCode.NoContent);
        await visitor.WaitForAsync(f => ProtocolClient.Type(f) == "conversation" && (string?)f["status"] == "closed" && (string?)f["conversationId"] == second);
        await RoutingApi.SendAsync(server, HttpMethod.Put, "api/v1/agents/me/status", lastAgent.Token, new { status = "away" }, HttpStatusCode.NoContent);
        var third = (string)(await visitor.SendTextAsync("and again"))["conversationId"]!;
        Assert.Equal(other.Id, await RoutingApi.AssigneeEventuallyAsync(server, admin, third));
        await DisposeAllAsync(visitor, one.Client, two.Client);
    }

    [Fact]
    public async Task An_away_agent_gets_nothing_new_until_it_is_online_again()
    {
        await using var server = await ServerProcess.StartAsync();
        var admin = await server.AdminTokenAsync();
        var agent = await RoutingApi.AgentAsync(server, admin, "solo", 5);
        await RoutingApi.SendAsync(server, HttpMethod.Put, "api/v1/agents/me/status", agent.Token, new { status = "away" }, HttpStatusCode.NoContent);
        var (visitor, conversationId, _) = await RoutingApi.VisitorAsync(server, "anyone?");
        var queued = await visitor.WaitForAsync(f => ProtocolClient.Type(f) == "conversation" && f["queuePosition"] is not null);
        Assert.Equal("queued", (string?)queued["status"]);

        // Away is kept across connections: a second socket does not make the agent online.
        var (second, _) = await ProtocolClient.HelloAsync(server.WebSocketUri, agent.Token);
        Assert.Equal("away", (string?)(await RoutingApi.SendAsync(server, HttpMethod.Get, "api/v1/agents/me/status", agent.Token))["status"]);
        await RoutingApi.SendAsync(server, HttpMethod.Put, "api/v1/agents/me/status", agent.Token, new { status = "online" }, HttpStatusCode.NoContent);
        Assert.Equal(agent.Id, await RoutingApi.AssigneeEventuallyAsync(server, admin, conversationId));
        await RoutingApi.SendAsync(server, HttpMethod.Put, "api/v1/agents/me/status", agent.Token, new { status = "busy" }, HttpStatusCode.BadRequest);
        await DisposeAllAsync(visitor, second, agent.Client);
    }

    internal static async Task DisposeAllAsync(params ProtocolClient?[] clients)
    {
        foreach (var client in clients)
        {
            if (client is not null)
            {
                await client.DisposeAsync();
            }
        }
    }
}
