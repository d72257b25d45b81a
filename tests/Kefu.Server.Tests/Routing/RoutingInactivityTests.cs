using Kefu.Server.Tests.Infrastructure;

namespace Kefu.Server.Tests.Routing;

public sealed class RoutingInactivityTests
{
    [Fact]
    public async Task A_silent_conversation_is_warned_then_closed_and_the_visitor_writing_again_within_the_window_reopens_it()
    {
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["Kefu__Lifecycle__InactivityWarningSeconds"] = "1",
            ["Kefu__Lifecycle__InactivityCloseSeconds"] = "1",
            ["Kefu__Lifecycle__ReopenWindowSeconds"] = "600",
        });
        var admin = await server.AdminTokenAsync();
        var agent = await RoutingApi.AgentAsync(server, admin, "patient", 5);
        var (visitor, conversationId, _) = await RoutingApi.VisitorAsync(server, "one question");
        Assert.Equal(agent.Id, await RoutingApi.AssigneeEventuallyAsync(server, admin, conversationId));

        var warning = await visitor.WaitForAsync(f => ProtocolClient.Type(f) == "message" && (string?)f["meta"]?["event"] == "inactivityWarning");
        Assert.Equal("system", (string?)warning["sender"]!["type"]);
        Assert.Equal(1L, (long)warning["meta"]!["closesInSeconds"]!);
        var closed = await visitor.WaitForAsync(f => ProtocolClient.Type(f) == "message" && (string?)f["meta"]?["event"] == "closed");
        Assert.Equal("system", (string?)closed["meta"]!["byType"]);
        Assert.True((long)closed["seq"]! > (long)warning["seq"]!);

        // Within the reopen window the same conversation comes back, and routing assigns it again.
        var again = await visitor.SendTextAsync("one more thing");
        Assert.Equal(conversationId, (string?)again["conversationId"]);
        await visitor.WaitForAsync(f => ProtocolClient.Type(f) == "message" && (string?)f["meta"]?["event"] == "reopened");
        var assigned = await visitor.WaitForAsync(f => ProtocolClient.Type(f) == "conversation" && (string?)f["status"] == "open" && (long)f["lastSeq"]! > (long)closed["seq"]!);
        Assert.Equal(agent.Id, (string?)assigned["assignee"]!["id"]);
        await RoutingRulesTests.DisposeAllAsync(visitor, agent.Client);
    }

    [Fact]
    public async Task Without_a_reopen_window_a_visitor_writing_after_the_close_starts_a_new_conversation()
    {
        await using var server = await ServerProcess.StartAsync();
        var admin = await server.AdminTokenAsync();
        var agent = await RoutingApi.AgentAsync(server, admin, "closer", 5);
        var (visitor, conversationId, _) = await RoutingApi.VisitorAsync(server, "hi");
        await RoutingApi.AssigneeEventuallyAsync(server, admin, conversationId);
        await RoutingApi.SendAsync(server, HttpMethod.Post, $"api/v1/conversations/{conversationId}/close", agent.Token, expect: System.Net.HttpStatusCode.NoContent);
        await visitor.WaitForAsync(f => ProtocolClient.Type(f) == "conversation" && (string?)f["status"] == "closed");
        Assert.NotEqual(conversationId, (string?)(await visitor.SendTextAsync("hello again"))["conversationId"]);
        await RoutingRulesTests.DisposeAllAsync(visitor, agent.Client);
    }
}
