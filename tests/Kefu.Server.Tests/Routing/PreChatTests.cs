using System.Net;
using Kefu.Server.Tests.Infrastructure;

namespace Kefu.Server.Tests.Routing;

public sealed class PreChatTests
{
    [Fact]
    public async Task The_form_is_off_by_default_and_an_admin_turns_it_on_per_site()
    {
        await using var server = await ServerProcess.StartAsync();
        var admin = await server.AdminTokenAsync();
        var visitor = await Api.VisitorAsync(server.Http);

        var form = await RoutingApi.SendAsync(server, HttpMethod.Get, "api/v1/visitor/prechat", visitor.Token);
        Assert.False((bool)form["enabled"]!);
        await RoutingApi.SendAsync(server, HttpMethod.Post, "api/v1/visitor/prechat", visitor.Token, new { name = "Li" }, HttpStatusCode.NotFound);

        var agent = await RoutingApi.AgentAsync(server, admin, "plain-agent", 3, connect: false);
        await RoutingApi.SendAsync(server, HttpMethod.Put, "api/v1/sites/default/prechat", agent.Token, new { enabled = true }, HttpStatusCode.Forbidden);
        await RoutingApi.SendAsync(server, HttpMethod.Put, "api/v1/sites/nope/prechat", admin, new { enabled = true }, HttpStatusCode.NotFound);
        await RoutingApi.SendAsync(server, HttpMethod.Put, "api/v1/sites/default/prechat", admin, new { enabled = true, contactRequired = true });

        var settings = await RoutingApi.SendAsync(server, HttpMethod.Get, "api/v1/sites/default/prechat", admin);
        Assert.True((bool)settings["enabled"]!);
        Assert.True((bool)settings["askName"]!);
        form = await RoutingApi.SendAsync(server, HttpMethod.Get, "api/v1/visitor/prechat", visitor.Token);
        Assert.True((bool)form["enabled"]!);
        Assert.True((bool)form["contactRequired"]!);
        // One team only: nothing to choose.
        Assert.Empty(form["teams"]!.AsArray());
    }

    [Fact]
    public async Task The_form_chooses_the_team_and_the_agent_sees_the_name_and_contact()
    {
        await using var server = await ServerProcess.StartAsync();
        var admin = await server.AdminTokenAsync();
        await RoutingApi.SendAsync(server, HttpMethod.Post, "api/v1/teams", admin, new { name = "Sales" }, HttpStatusCode.Created);
        await RoutingApi.SendAsync(server, HttpMethod.Put, "api/v1/sites/default/prechat", admin, new { enabled = true, contactRequired = true });
        var seller = await RoutingApi.AgentAsync(server, admin, "seller", 3, teams: new[] { "Sales" });
        var helper = await RoutingApi.AgentAsync(server, admin, "helper", 3);
        var visitor = await Api.VisitorAsync(server.Http);

        var form = await RoutingApi.SendAsync(server, HttpMethod.Get, "api/v1/visitor/prechat", visitor.Token);
        Assert.Contains(form["teams"]!.AsArray(), t => (string?)t!["name"] == "Sales");
        await RoutingApi.SendAsync(server, HttpMethod.Post, "api/v1/visitor/prechat", visitor.Token, new { name = "Li Lei", team = "Sales" }, HttpStatusCode.BadRequest);
        await RoutingApi.SendAsync(server, HttpMethod.Post, "api/v1/visitor/prechat", visitor.Token, new { name = "Li Lei", contact = "li@example.com", team = "Marketing" }, HttpStatusCode.BadRequest);
        await RoutingApi.SendAsync(server, HttpMethod.Post, "api/v1/visitor/prechat", visitor.Token,
            new { name = "Li Lei\u0007", contact = " li@example.com ", team = "sales" }, HttpStatusCode.NoContent);

        var (client, _) = await ProtocolClient.HelloAsync(server.WebSocketUri, visitor.Token);
        var conversationId = (string)(await client.SendTextAsync("a quote please"))["conversationId"]!;
        Assert.Equal(seller.Id, await RoutingApi.AssigneeEventuallyAsync(server, admin, conversationId));

        var panel = await RoutingApi.SendAsync(server, HttpMethod.Get, $"api/v1/visitors/{visitor.VisitorId}", seller.Token);
        Assert.Equal("Li Lei", (string?)panel["entry"]!["name"]);
        Assert.Equal("li@example.com", (string?)panel["entry"]!["contact"]);
        Assert.Equal("Li Lei", (string?)panel["name"]);
        await client.DisposeAsync();
        await seller.Client!.DisposeAsync();
        await helper.Client!.DisposeAsync();
    }

    [Fact]
    public async Task An_entry_point_naming_an_unknown_team_is_refused()
    {
        await using var server = await ServerProcess.StartAsync();
        var visitor = await Api.VisitorAsync(server.Http);
        await RoutingApi.SendAsync(server, HttpMethod.Put, "api/v1/visitor/routing", visitor.Token, new { team = "Nobody" }, HttpStatusCode.BadRequest);
        await RoutingApi.SendAsync(server, HttpMethod.Put, "api/v1/visitor/routing", visitor.Token, new { skills = new[] { "zh" } }, HttpStatusCode.NoContent);
    }
}
