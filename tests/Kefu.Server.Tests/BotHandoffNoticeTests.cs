using System.Net;
using Kefu.Server.Tests.Infrastructure;
using Kefu.Server.Tests.Routing;

namespace Kefu.Server.Tests;

/// <summary>A conversation the bot hands over is told, like one that starts with people, when nobody can answer now.</summary>
public sealed class BotHandoffNoticeTests
{
    [Fact]
    public async Task After_a_handoff_with_nobody_online_the_visitor_is_told_agents_are_away()
    {
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string> { ["Kefu__Routing__AnnounceAgentsAway"] = "true" });
        var admin = await server.AdminTokenAsync();
        await RoutingApi.SendAsync(server, HttpMethod.Put, "api/v1/bot/settings", admin, new { mode = "botFirst", welcome = "" });

        var (visitor, ack) = await BotFlowApi.VisitorAsync(server, "转人工");
        await using var _ = visitor;
        var handoff = await visitor.WaitForAsync(IsEvent("handoff"));
        var away = await visitor.WaitForAsync(IsEvent("agentsAway"));
        Assert.True((long)away["seq"]! > (long)handoff["seq"]!);
        Assert.Equal("queued", (string?)(await RoutingApi.ConversationAsync(server, admin, (string)ack["conversationId"]!))["status"]);
    }

    [Fact]
    public async Task After_a_handoff_outside_business_hours_the_visitor_is_told_and_offered_the_form()
    {
        await using var server = await ServerProcess.StartAsync();
        var admin = await server.AdminTokenAsync();
        await RoutingApi.SendAsync(server, HttpMethod.Put, "api/v1/bot/settings", admin, new { mode = "botFirst", welcome = "" });
        var team = (await RoutingApi.SendAsync(server, HttpMethod.Get, "api/v1/teams", admin)).AsArray().Single(t => (bool)t!["isDefault"]!)!;
        await RoutingApi.SendAsync(server, HttpMethod.Put, $"api/v1/business-hours/{team["id"]}", admin, new { timeZone = "UTC", weekly = new { } }, HttpStatusCode.NoContent);

        var (visitor, _) = await BotFlowApi.VisitorAsync(server, "talk to an agent");
        await using var __ = visitor;
        var handoff = await visitor.WaitForAsync(IsEvent("handoff"));
        var outside = await visitor.WaitForAsync(IsEvent("outsideBusinessHours"));
        Assert.True((long)outside["seq"]! > (long)handoff["seq"]!);
        Assert.True((bool)outside["meta"]!["leaveMessage"]!);
    }

    [Fact]
    public async Task Without_the_agents_away_notice_configured_a_handoff_gets_none()
    {
        await using var server = await ServerProcess.StartAsync();
        var admin = await server.AdminTokenAsync();
        await RoutingApi.SendAsync(server, HttpMethod.Put, "api/v1/bot/settings", admin, new { mode = "botFirst", welcome = "" });

        var (visitor, ack) = await BotFlowApi.VisitorAsync(server, "转人工");
        await using var _ = visitor;
        var conversationId = (string)ack["conversationId"]!;
        await visitor.WaitForAsync(IsEvent("handoff"));
        // The notice would be written right after the handoff, before anybody is assigned.
        var agent = await RoutingApi.AgentAsync(server, admin, "notice-agent", 3);
        await RoutingApi.AssigneeEventuallyAsync(server, admin, conversationId);
        await visitor.WaitForAsync(IsEvent("assigned"));
        Assert.DoesNotContain(await BotFlowApi.HistoryAsync(visitor, conversationId), m => (string?)m["meta"]?["event"] == "agentsAway");
        await agent.Client!.DisposeAsync();
    }

    private static Func<System.Text.Json.Nodes.JsonObject, bool> IsEvent(string name) =>
        f => ProtocolClient.Type(f) == "message" && (string?)f["meta"]?["event"] == name;
}
